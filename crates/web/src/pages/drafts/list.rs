//! The drafts of a period and the 三审三校记录清单.

use super::{channel_name, status_badge};
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::page;
use axum::response::{IntoResponse, Response};
use maud::html;
use taizhang_app::view::PeriodQuery;
use taizhang_core::period::shanghai_minute;
use taizhang_docs::drafts_ledger::{drafts_ledger, ReviewedDraft};
use taizhang_docs::ledger::write_xlsx;

/// GET /units/{id}/drafts?period=2026
pub async fn list(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    let period = q.resolve(&state)?;
    let (from, to) = period.instants();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let drafts = state.store.drafts(&units, from, to).await?;
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } " · " a href=(format!("/units/{}/channels", group.id)) { "宣传阵地台账" } }
        h1 { (group.name) " · " (period.label()) "稿件审校（三审三校）" }
        form.toolbar method="get" action=(format!("/units/{}/drafts", group.id)) {
            label { "期间 " (crate::pages::layout::period_input(&period.code())) }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("/units/{}/drafts.xlsx?period={}", group.id, period.code())) download { "三审三校记录清单（Excel）" }
            @if access.can_write(group.id) { a.btn href=(format!("/units/{}/drafts/new", group.id)) { "新建稿件" } }
        }
        table {
            thead { tr { th { "提交时间" } th { "标题" } th { "发布阵地" } th { "撰稿人" } th { "稿次" } th { "状态" } } }
            tbody {
                @for d in &drafts {
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
        @if drafts.is_empty() { p.muted { "该期间没有稿件。" } }
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
