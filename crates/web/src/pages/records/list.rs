//! A Party group's records of a period, by kind.

use super::kind_param;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::layout::page;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use taizhang_app::view::PeriodQuery;
use taizhang_core::period::{chinese_date, shanghai_minute};
use taizhang_core::record::RecordKind;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub kind: Option<String>,
    /// Words to find in a record's title or fields.
    pub q: Option<String>,
    /// 1-based page of [`PAGE_SIZE`] records, newest first.
    pub page: Option<usize>,
    #[serde(flatten)]
    pub period: PeriodQuery,
}

/// Records shown per page.
const PAGE_SIZE: usize = 50;

/// Whether a record mentions every word of `q` (in its title or any field).
fn matches(record: &taizhang_core::record::Record, words: &[&str]) -> bool {
    if words.is_empty() {
        return true;
    }
    let mut text = record.data.title();
    for (_, value) in taizhang_core::fields::field_texts(&record.data) {
        text.push('\n');
        text.push_str(&value);
    }
    words.iter().all(|w| text.contains(w))
}

pub async fn list(c: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    let period = q.period.resolve(&state)?;
    let kind = kind_param(q.kind.as_deref())?;
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let mut records = state.store.records(&units, kind, period.first_day(), period.last_day()).await?;
    let search = q.q.as_deref().map(str::trim).unwrap_or_default();
    let words: Vec<&str> = search.split_whitespace().collect();
    records.retain(|r| matches(r, &words));
    records.reverse(); // newest first
    let total = records.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let current = q.page.unwrap_or(1).clamp(1, pages);
    let shown = &records[(current - 1) * PAGE_SIZE..(current * PAGE_SIZE).min(total)];
    let page_link = |n: usize| {
        let code = period.code();
        let mut query = vec![("period", code.as_str()), ("kind", kind.map_or("", |k| k.code())), ("q", search)];
        query.retain(|(_, v)| !v.is_empty());
        let page = n.to_string();
        query.push(("page", &page));
        format!("/units/{}/records?{}", group.id, serde_urlencoded::to_string(&query).unwrap_or_default())
    };
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
        form.toolbar method="get" action=(format!("/units/{}/records", group.id)) {
            select name="kind" {
                option value="" { "全部类别" }
                @for k in RecordKind::ALL { option value=(k.code()) selected[kind == Some(k)] { (k.label()) } }
            }
            (crate::pages::layout::period_input(&period.code()))
            input type="search" name="q" value=(search) placeholder="搜索标题或内容" size="14";
            button.btn.plain type="submit" { "筛选" }
            @if access.can_write(group.id) { a.btn href=(format!("/units/{}/records/new", group.id)) { "录入记录" } }
        }
        table {
            thead { tr { th { "日期" } th { "类别" } th { "内容" } th { "所属" } th { "录入时间" } th { "版本" } } }
            tbody {
                @for r in shown {
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
        @if records.is_empty() {
            p.muted { @if words.is_empty() { "该期间没有记录。" } @else { "没有找到包含“" (search) "”的记录。" } }
        } @else {
            p.pager {
                "共" (total) "条，按日期从新到旧"
                @if pages > 1 {
                    " · 第" (current) "/" (pages) "页 "
                    @if current > 1 { a href=(page_link(current - 1)) { "上一页" } " " }
                    @if current < pages { a href=(page_link(current + 1)) { "下一页" } }
                }
            }
        }
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
