//! The drafts of a period and the 三审三校记录清单.

use super::{channel_name, status_badge};
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::page;
use crate::pages::list_controls::{
    choice_select, filter_form, id_select, nothing, pager, paginate, period_box, person_select, search_box, ListQuery,
};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::html;
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::drafts::ReviewStatus;
use taizhang_core::period::shanghai_minute;
use taizhang_core::period::Period;
use taizhang_docs::drafts_ledger::{drafts_ledger, ReviewedDraft};
use taizhang_docs::ledger::write_xlsx;
use taizhang_store::Draft;

/// The group's channels as (id, name) choices.
fn channels(view: &View, group: i64) -> Vec<(i64, String)> {
    view.org.channels.iter().filter(|c| view.tree.is_within(c.unit_id, group)).map(|c| (c.id, c.name.clone())).collect()
}

fn statuses() -> Vec<(&'static str, &'static str)> {
    ReviewStatus::ALL.iter().map(|s| (s.code(), s.label())).collect()
}

/// The drafts of the period the list's filters keep, newest first: by
/// 状态, 发布阵地, 撰稿人 and the words of the title, text, author or channel.
pub(crate) async fn filtered(
    state: &AppState,
    view: &View,
    group: i64,
    q: &ListQuery,
) -> Result<(Period, Vec<Draft>), AppError> {
    let period = q.period_or_year(state)?;
    let status = q.choice("status", "状态", &statuses())?;
    let channel = q.id_choice("channel", "发布阵地", &channels(view, group))?;
    let (person, search) = (q.person(view, group)?, q.search());
    let (from, to) = period.instants();
    let units: Vec<i64> = view.tree.subtree(group).iter().map(|u| u.id).collect();
    let mut drafts = state.store.drafts(&units, from, to).await?;
    drafts.retain(|d| {
        let (author, outlet) = (view.person_name(d.author_id), channel_name(view, d.channel_id));
        status.is_none_or(|s| d.review.status().code() == s)
            && channel.is_none_or(|c| d.channel_id == c)
            && person.is_none_or(|p| d.author_id == Some(p))
            && search.matches([d.title.as_str(), &d.body, &author, &outlet])
    });
    Ok((period, drafts))
}

/// GET /units/{id}/drafts?period=2026&status=…&channel=…&person=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    let (period, drafts) = filtered(&state, &view, group.id, &q).await?;
    let shown = paginate(&drafts, q.page()?);
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } " · " a href=(format!("/units/{}/channels", group.id)) { "宣传阵地台账" } }
        h1 { (group.name) " · " (period.label()) "稿件审校（三审三校）" }
        div.toolbar {
            a.btn.plain href=(format!("/units/{}/drafts.xlsx?period={}", group.id, period.code())) download { "三审三校记录清单（Excel）" }
            @if access.can_write(group.id) { a.btn href=(format!("/units/{}/drafts/new", group.id)) { "新建稿件" } }
        }
        (filter_form(&q, html! {
            (period_box(Some(period)))
            (choice_select(&q, "status", "状态", "全部状态", &statuses()))
            (id_select(&q, "channel", "发布阵地", "全部阵地", &channels(&view, group.id)))
            (person_select(&q, &view, group.id, "撰稿人"))
            (search_box(&q, "搜索标题、正文或撰稿人"))
        }))
        table {
            thead { tr { th { "提交时间" } th { "标题" } th { "发布阵地" } th { "撰稿人" } th { "稿次" } th { "状态" } } }
            tbody {
                @for d in shown.rows {
                    tr {
                        td.date { (shanghai_minute(d.created_at)) }
                        td { a href=(format!("/drafts/{}", d.id)) { (d.title) } }
                        td { (channel_name(&view, d.channel_id)) }
                        td { (view.person_name(d.author_id)) }
                        td.nowrap { "第" (d.review.version) "稿" }
                        td { (status_badge(&d.review)) }
                    }
                }
            }
        }
        @if drafts.is_empty() { (nothing(&q, "稿件", "该期间没有稿件。")) } @else { (pager(&q, &shown, "按提交时间从新到旧")) }
    };
    Ok(page("稿件审校", Some(&user), body).into_response())
}

/// GET /units/{id}/drafts.xlsx?period=2026: the 三审三校记录清单.
pub async fn export(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user: _, view, id } = c;
    let group = view.group_of(id)?.id;
    let group = view.unit(group)?;
    let period = q.resolve(&state)?;
    let (from, to) = period.instants();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let mut drafts = state.store.drafts(&units, from, to).await?;
    drafts.reverse(); // oldest first, as a ledger is kept
    let names: Vec<(String, String)> =
        drafts.iter().map(|d| (channel_name(&view, d.channel_id), view.person_name(d.author_id))).collect();
    let rows: Vec<ReviewedDraft> = drafts
        .iter()
        .zip(&names)
        .map(|(d, (channel, author))| ReviewedDraft {
            title: &d.title,
            channel,
            author,
            submitted_at: d.created_at,
            review: &d.review,
        })
        .collect();
    let name = format!("{}{}三审三校记录清单.xlsx", group.name, period.label());
    xlsx(write_xlsx(&drafts_ledger(&group.name, &period.label(), &rows)), &name, "review-ledger.xlsx")
}
