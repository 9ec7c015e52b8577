//! The ledger of a Party group's own channels (宣传阵地台账): each channel
//! with its owner (谁主办谁负责), last update, the reviewers of each stage of
//! 三审三校, and a form to name them for those allowed to.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Pressed;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use taizhang_app::drafts::{self as drafting, channels_of};
use taizhang_app::view::View;
use taizhang_core::drafts::{Reviewers, Stage};
use taizhang_core::duty::channel_kind_label;
use taizhang_core::engine::Channel;
use taizhang_core::period::chinese_date;
use taizhang_core::period::{Cadence, Period};
use taizhang_core::record::{FilingState, Record, RecordData, RecordKind};

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
pub async fn list(c: Ctx) -> Result<Response, AppError> {
    let (state, view, user) = (&c.state, &c.view, &c.user);
    let (group, access) = (view.unit(c.group()?)?, view.access(user));
    // The group's duty list says how long a channel may go without an
    // update; without that duty the page marks none.
    let limit = drafting::update_limit(state, group.id).await?;
    let today = state.today();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let from = today - chrono::Duration::days(LOOKBACK_DAYS);
    // Events are on the books before they are held: look a year ahead.
    let records = state.store.records(&units, None, from, today + chrono::Duration::days(366)).await?;
    let about = |channel: i64, kind: RecordKind| -> Vec<&Record> {
        let mut list: Vec<&Record> =
            records.iter().filter(|r| r.kind() == kind && r.data.channel_id() == Some(channel)).collect();
        list.sort_by_key(|r| (r.occurred_on, r.id));
        list
    };
    let channels = channels_of(view, group.id);
    let (events, publishing): (Vec<&Channel>, Vec<&Channel>) = channels.iter().partition(|c| c.kind == "event");
    let mut rows = Vec::new();
    for c in &publishing {
        let last_update =
            about(c.id, RecordKind::ChannelUpdate).iter().map(|r| r.occurred_on).filter(|d| *d <= today).max();
        let last_check = about(c.id, RecordKind::ChannelCheck).into_iter().rfind(|r| r.occurred_on <= today);
        rows.push((*c, state.store.channel_reviewers(c.id).await?, last_update, last_check));
    }
    let can_write = access.can_write(group.id);
    let new_record = |kind: RecordKind, channel: i64| {
        format!("/units/{}/records/new?kind={}&channel_id={channel}", group.id, kind.code())
    };
    let quarter = Period::containing(today, Cadence::Quarter);
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } " · " a href=(format!("/units/{}/drafts", group.id)) { "稿件审校" } }
        h1 { (group.name) " · 宣传阵地台账" }
        p.muted {
            @if let Some(days) = limit { "超过" (days) "天未更新的阵地在工作台“宣传阵地更新”中提示；" }
            "发布经三审三校的稿件即记为一次更新。每季度须对每个阵地检查一次（“宣传阵地季度检查”）。"
        }
        h2 { "网站、新媒体阵地" }
        table.channels {
            thead { tr { th { "阵地" } th { "类型" } th { "责任人" } th { "最近更新" } th { "最近检查" } th { "初审一校" } th { "复审二校" } th { "终审三校" } } }
            tbody {
                @for (c, reviewers, last, check) in &rows {
                    tr {
                        td { (c.name) }
                        td { (channel_kind_label(&c.kind)) }
                        td { (names(view, c.owner.as_slice())) }
                        td.date {
                            @match last {
                                Some(d) => {
                                    (chinese_date(*d))
                                    @let days = (today - *d).num_days();
                                    @if limit.is_some_and(|max| days > i64::from(max)) { " " span class="badge s-overdue" { (days) "天未更新" } }
                                }
                                None => { span class="badge s-overdue" { "无更新记录" } }
                            }
                        }
                        td.check {
                            @match check {
                                Some(r) => {
                                    a href=(format!("/records/{}", r.id)) { (chinese_date(r.occurred_on)) }
                                    @if !quarter.contains(r.occurred_on) { " " span class="badge s-due_soon" { (quarter.label()) "尚未检查" } }
                                }
                                None => { span class="badge s-overdue" { "无检查记录" } }
                            }
                            @if can_write { " " a.small href=(new_record(RecordKind::ChannelCheck, c.id)) { "登记检查" } }
                        }
                        td { (names(view, &reviewers.first)) }
                        td { (names(view, &reviewers.second)) }
                        td { (names(view, &reviewers.last)) }
                    }
                    @if access.can_assign_reviewers(c.unit_id) {
                        tr { td colspan="8" { (reviewer_form(view, user, c, reviewers, group.id)) } }
                    }
                }
            }
        }
        @if publishing.is_empty() { p.muted { "尚未登记网站、新媒体阵地。" } }
        h2 { "报告会、讲座、论坛（活动前审核报备）" }
        @if events.is_empty() { p.muted { "尚未登记报告会、讲座、论坛等活动阵地；可在“系统管理”中新增，类型选“报告会、讲座、论坛”。" } }
        @for c in &events {
            section.event-channel {
                h3 { (c.name) span.muted { " 责任人：" (names(view, c.owner.as_slice())) } }
                @if can_write { p { a.btn href=(new_record(RecordKind::EventFiling, c.id)) { "登记活动报备" } } }
                (event_table(c, &about(c.id, RecordKind::EventFiling), today))
            }
        }
    };
    Ok(page("宣传阵地台账", Some(user), body).into_response())
}

/// The events of one event channel, each with where its 审核报备 stands.
fn event_table(channel: &Channel, events: &[&Record], today: NaiveDate) -> Markup {
    if events.is_empty() {
        return html! { p.muted { (channel.name) "尚未登记活动。" } };
    }
    html! {
        table.events {
            thead { tr { th { "活动日期" } th { "主题" } th { "主讲人" } th { "审核" } th { "报备" } th { "状态" } } }
            tbody {
                @for r in events.iter().rev() {
                    @if let RecordData::EventFiling(e) = &r.data {
                        @let state = e.state(r.occurred_on, today);
                        tr {
                            td.date { a href=(format!("/records/{}", r.id)) { (chinese_date(r.occurred_on)) } }
                            td { (e.topic) }
                            td { (e.speaker) }
                            td { (e.reviewer) @if let Some(d) = e.reviewed_on { " " span.muted { (chinese_date(d)) } } }
                            td { (e.filed_to) @if let Some(d) = e.filed_on { " " span.muted { (chinese_date(d)) } } }
                            td { span class=(format!("badge {}", filing_class(state))) { (state.label()) } }
                        }
                    }
                }
            }
        }
    }
}

fn filing_class(state: FilingState) -> &'static str {
    match state {
        FilingState::InTime => "s-met",
        FilingState::After(_) => "s-late",
        FilingState::Missing => "s-overdue",
        FilingState::Ahead(days) if days <= 7 => "s-due_soon",
        FilingState::Ahead(_) => "s-pending",
    }
}

/// POST /channels/{id}/reviewers: checkbox lists `first`, `second`, `last`.
pub async fn set_reviewers(c: Ctx, form: Pressed) -> Result<Response, AppError> {
    let reviewers = Reviewers { first: form.ids("first"), second: form.ids("second"), last: form.ids("last") };
    drafting::set_reviewers(&c.state, &c.view, &c.user, c.id, reviewers).await?;
    let unit = drafting::channel(&c.view, &c.user, c.id)?.unit_id;
    Ok(Redirect::to(&format!("/units/{unit}/channels")).into_response())
}
