//! The ledger of a Party group's own channels (宣传阵地台账): each channel
//! with its owner (谁主办谁负责), last update, the reviewers of each stage of
//! 三审三校, and a form to name them for those allowed to.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::drafting::{self, channels_of};
use crate::error::AppError;
use crate::service::View;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup};
use taizhang_core::engine::Channel;
use taizhang_core::period::chinese_date;
use taizhang_core::record::RecordData;
use taizhang_core::review::{Reviewers, Stage};

/// How far back the page looks for a channel's last update.
const LOOKBACK_DAYS: i64 = 400;

fn names(view: &View, ids: &[i64]) -> String {
    ids.iter().filter_map(|id| view.org.person(*id)).map(|p| p.name.as_str()).collect::<Vec<_>>().join("、")
}

fn reviewer_form(view: &View, user: &CurrentUser, channel: &Channel, reviewers: &Reviewers, group: i64) -> Markup {
    let people = view.people_of(group);
    html! {
        details {
            summary { "指定审核人" }
            form.record method="post" action=(format!("/channels/{}/reviewers", channel.id)) {
                (csrf_field(user))
                @for stage in Stage::ALL {
                    fieldset {
                        legend { (stage.label()) }
                        @for p in &people {
                            label.inline {
                                input type="checkbox" name=(stage_field(stage)) value=(p.id) checked[reviewers.for_stage(stage).contains(&p.id)];
                                (p.name) span.muted { "（" (p.title) "）" }
                            }
                        }
                    }
                }
                p.muted { "同一稿件中，同一人不得担任两个审校环节。" }
                button.btn type="submit" { "保存审核人" }
            }
        }
    }
}

fn stage_field(stage: Stage) -> &'static str {
    match stage {
        Stage::First => "first",
        Stage::Second => "second",
        Stage::Final => "last",
    }
}

/// GET /units/{id}/channels
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let access = view.access(&user);
    access.require_view(id)?;
    let group = view.group_of(id)?;
    let today = state.today();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let from = today - chrono::Duration::days(LOOKBACK_DAYS);
    let updates =
        state.store.records(&units, Some(taizhang_core::record::RecordKind::ChannelUpdate), from, today).await?;
    let last_update = |channel: i64| -> Option<NaiveDate> {
        updates
            .iter()
            .filter(|r| matches!(&r.data, RecordData::ChannelUpdate(u) if u.channel_id == channel))
            .map(|r| r.occurred_on)
            .max()
    };
    let channels = channels_of(&view, group.id);
    let mut rows = Vec::new();
    for c in &channels {
        rows.push((c, state.store.channel_reviewers(c.id).await?, last_update(c.id)));
    }
    let body = html! {
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } " · " a href=(format!("/units/{}/drafts", group.id)) { "稿件审校" } }
        h1 { (group.name) " · 宣传阵地台账" }
        p.muted { "超过14天未更新的阵地在工作台“宣传阵地更新”中提示；发布经三审三校的稿件即记为一次更新。" }
        table {
            thead { tr { th { "阵地" } th { "类型" } th { "责任人" } th { "最近更新" } th { "初审一校" } th { "复审二校" } th { "终审三校" } } }
            tbody {
                @for (c, reviewers, last) in &rows {
                    tr {
                        td { (c.name) }
                        td { (super::admin::CHANNEL_KINDS.iter().find(|(code, _)| *code == c.kind).map(|(_, l)| *l).unwrap_or(&c.kind)) }
                        td { (names(&view, c.owner.as_slice())) }
                        td.date {
                            @match last {
                                Some(d) => {
                                    (chinese_date(*d))
                                    @let days = (today - *d).num_days();
                                    @if days > 14 { " " span class="badge s-overdue" { (days) "天未更新" } }
                                }
                                None => { span class="badge s-overdue" { "无更新记录" } }
                            }
                        }
                        td { (names(&view, &reviewers.first)) }
                        td { (names(&view, &reviewers.second)) }
                        td { (names(&view, &reviewers.last)) }
                    }
                    @if access.can_assign_reviewers(c.unit_id) {
                        tr { td colspan="7" { (reviewer_form(&view, &user, c, reviewers, group.id)) } }
                    }
                }
            }
        }
        @if channels.is_empty() { p.muted { "尚未登记宣传阵地。" } }
    };
    Ok(page("宣传阵地台账", Some(&user), body).into_response())
}

/// POST /channels/{id}/reviewers: checkbox lists `first`, `second`, `last`.
pub async fn set_reviewers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    user.check_csrf(csrf)?;
    let ids = |field: &str| -> Vec<i64> {
        pairs.iter().filter(|(k, _)| k == field).filter_map(|(_, v)| v.parse().ok()).collect()
    };
    let reviewers = Reviewers { first: ids("first"), second: ids("second"), last: ids("last") };
    let view = View::load(&state).await?;
    drafting::set_reviewers(&state, &view, &user, id, reviewers).await?;
    let unit = drafting::channel(&view, &user, id)?.unit_id;
    Ok(Redirect::to(&format!("/units/{unit}/channels")).into_response())
}
