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
    #[serde(flatten)]
    pub period: PeriodQuery,
}

pub async fn list(c: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    let period = q.period.resolve(&state)?;
    let kind = kind_param(q.kind.as_deref())?;
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let records = state.store.records(&units, kind, period.first_day(), period.last_day()).await?;
    let voided: Vec<_> = state
        .store
        .voided_records(&units, period.first_day(), period.last_day())
        .await?
        .into_iter()
        .filter(|(r, _)| kind.is_none_or(|k| r.kind() == k))
        .collect();
    let body = html! {
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · " (period.label()) "工作记录" }
        (crate::pages::downloads::download_buttons(group.id, &period.code(), kind.map(|k| k.code())))
        form.toolbar method="get" action=(format!("/units/{}/records", group.id)) {
            select name="kind" {
                option value="" { "全部类别" }
                @for k in RecordKind::ALL { option value=(k.code()) selected[kind == Some(k)] { (k.label()) } }
            }
            (crate::pages::layout::period_input(&period.code()))
            button.btn.plain type="submit" { "筛选" }
            @if access.can_write(group.id) { a.btn href=(format!("/units/{}/records/new", group.id)) { "录入记录" } }
        }
        table {
            thead { tr { th { "日期" } th { "类别" } th { "内容" } th { "所属" } th { "录入时间" } th { "版本" } } }
            tbody {
                @for r in &records {
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
        @if records.is_empty() { p.muted { "该期间没有记录。" } }
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
