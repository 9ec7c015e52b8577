//! A Party group's records of a period, by kind.

use super::kind_param;
use crate::context::Ctx;
use crate::error::AppError;
use crate::pages::layout::page;
use crate::pages::list_controls::{filter_form, nothing, pager, paginate, period_box, search_box, ListQuery, Search};
use axum::response::{IntoResponse, Response};
use maud::html;
use taizhang_core::period::{chinese_date, shanghai_minute};
use taizhang_core::record::{Record, RecordKind};

/// Whether a record mentions every word searched for (in its title or any field).
fn matches(record: &Record, search: &Search) -> bool {
    let title = record.data.title();
    let fields = taizhang_core::fields::field_texts(&record.data);
    search.matches(std::iter::once(title.as_str()).chain(fields.iter().map(|(_, v)| v.as_str())))
}

/// GET /units/{id}/records?period=2026&kind=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    let period = q.period_or_year(&state)?;
    let kind = kind_param(q.get("kind"))?;
    let (search, asked) = (q.search(), q.page()?);
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let mut records = state.store.records(&units, kind, period.first_day(), period.last_day()).await?;
    records.retain(|r| matches(r, &search));
    records.reverse(); // newest first
    let shown = paginate(&records, asked);
    let voided: Vec<_> = state
        .store
        .voided_records(&units, period.first_day(), period.last_day())
        .await?
        .into_iter()
        .filter(|(r, _)| kind.is_none_or(|k| r.kind() == k))
        .collect();
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · " (period.label()) "工作记录" }
        (crate::pages::downloads::download_buttons(group.id, &period.code(), kind.map(|k| k.code())))
        (filter_form(&q, html! {
            select name="kind" aria-label="类别" {
                option value="" { "全部类别" }
                @for k in RecordKind::ALL { option value=(k.code()) selected[kind == Some(k)] { (k.label()) } }
            }
            (period_box(Some(period)))
            (search_box(&q, "搜索标题或内容"))
        }))
        @if access.can_write(group.id) { div.toolbar { a.btn href=(format!("/units/{}/records/new", group.id)) { "录入记录" } } }
        table {
            thead { tr { th { "日期" } th { "类别" } th { "内容" } th { "所属" } th { "录入时间" } th { "版本" } } }
            tbody {
                @for r in shown.rows {
                    tr {
                        td.date { (chinese_date(r.occurred_on)) }
                        td { (r.kind().label()) }
                        td { a href=(format!("/records/{}", r.id)) { (r.data.title()) } }
                        td { (view.tree.get(r.unit_id).map(|u| u.name.as_str()).unwrap_or("")) }
                        td.date { (shanghai_minute(r.entered_at)) }
                        td.nowrap { "第" (r.revision) "版" }
                    }
                }
            }
        }
        @if records.is_empty() { (nothing(&q, "记录", "该期间没有记录。")) } @else { (pager(&q, &shown, "按日期从新到旧")) }
        @if !voided.is_empty() {
            h2 #voided { "已作废的记录（不计入统计、报告和台账）" }
            ul {
                @for (r, v) in &voided {
                    li {
                        del { (chinese_date(r.occurred_on)) " " (r.kind().label()) "：" }
                        a href=(format!("/records/{}", r.id)) { del { (r.data.title()) } }
                        span.muted { " · " (v.by_name) "作废，原因：" (v.reason) }
                    }
                }
            }
        }
    };
    Ok(page("工作记录", Some(&user), body).into_response())
}
