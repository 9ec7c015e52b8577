//! The register with its filters, the .xlsx ledger and the import (.xlsx or CSV).

use super::{back_to_register, items_table};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{page, sheet_import};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::feedback as service;
use taizhang_app::view::PeriodQuery;
use taizhang_core::feedback::{Feedback, FeedbackStatus, Level};
use taizhang_core::import::ImportError;
use taizhang_docs::feedback_ledger::feedback_ledger;
use taizhang_docs::ledger::write_xlsx;
use taizhang_store::FeedbackItem;

/// A file larger than this is refused (a year's register is far smaller).
pub const UPLOAD_MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// open | overdue | closed
    pub status: Option<String>,
    pub level: Option<String>,
    pub category: Option<String>,
    /// How many rows an import just wrote.
    pub imported: Option<usize>,
}

fn filter_form(group: i64, q: &ListQuery, categories: &[String]) -> Markup {
    let status = q.status.as_deref().unwrap_or("");
    let level = q.level.as_deref().unwrap_or("");
    let category = q.category.as_deref().unwrap_or("");
    html! {
        form.toolbar method="get" action=(format!("/units/{group}/feedback")) {
            label { "状态 " select name="status" {
                @for (code, label) in [("", "全部"), ("open", "未办结"), ("overdue", "已逾期"), ("closed", "已办结")] {
                    option value=(code) selected[code == status] { (label) }
                }
            } }
            label { "等级 " select name="level" {
                option value="" { "全部" }
                @for l in Level::ALL { option value=(l.code()) selected[l.code() == level] { (l.label()) } }
            } }
            label { "类别 " select name="category" {
                option value="" { "全部" }
                @for c in categories { option value=(c) selected[c == category] { (c) } }
            } }
            button.btn.plain type="submit" { "筛选" }
        }
    }
}

fn keep(q: &ListQuery, f: &Feedback, overdue: bool) -> bool {
    let status_ok = match q.status.as_deref().unwrap_or("") {
        "open" => f.status() != FeedbackStatus::Closed,
        "closed" => f.status() == FeedbackStatus::Closed,
        "overdue" => overdue,
        _ => true,
    };
    let level_ok = q.level.as_deref().filter(|l| !l.is_empty()).is_none_or(|l| f.level.code() == l);
    let category_ok = q.category.as_deref().filter(|c| !c.is_empty()).is_none_or(|c| f.category == c);
    status_ok && level_ok && category_ok
}

/// GET /units/{id}/feedback
pub async fn list(c: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let items = service::list(&state, &view, &user, id).await?;
    let group = view.group_of(id)?;
    let now = state.now();
    let mut categories: Vec<String> = items.iter().map(|i| i.feedback.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let overdue_ids: Vec<i64> = service::overdue(&state, &items, now).iter().map(|o| o.item.id).collect();
    let shown: Vec<&FeedbackItem> =
        items.iter().filter(|i| keep(&q, &i.feedback, overdue_ids.contains(&i.id))).collect();
    let can_write = view.access(&user).can_write(group.id);
    let year = state.today().format("%Y").to_string();
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · 舆情与诉求处置台账" }
        p.muted { "只登记与本单位工作有关的舆情和诉求，由工作人员录入或导入；不采集群众发帖，除公开链接外不保存发帖人信息。" }
        @if let Some(n) = q.imported { div.flash.ok { "已导入" (n) "条。" } }
        div.toolbar {
            @if can_write { a.btn href=(format!("/units/{}/feedback/new", group.id)) { "登记舆情与诉求" } }
            a.btn.plain href=(format!("/units/{}/feedback/weekly", group.id)) { "每周汇总" }
            a.btn.plain href=(format!("/units/{}/feedback.xlsx?period={year}", group.id)) download { "导出台账（Excel）" }
            span.muted { "未办结" (items.iter().filter(|i| i.feedback.status() != FeedbackStatus::Closed).count()) "件，已逾期" (overdue_ids.len()) "件" }
        }
        (filter_form(group.id, &q, &categories))
        (items_table(&state, &shown, now))
        @if shown.is_empty() { p.muted { "没有符合条件的事项。" } }
        @if can_write { (import_form(&user, group.id)) }
    };
    Ok(page("舆情与诉求处置台账", Some(&user), body).into_response())
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    let help = html! { "来源、内容摘要、类别、等级、责任人、发现时间、发现人为必填列；可选来源说明、链接、发现情况，以及核实、报告、处置、回应、办结各步骤的“时间”“人”“情况”列（报告对象、回应方式）。" };
    let template = format!("/units/{group}/feedback/template.xlsx");
    sheet_import(user, "从 Excel 或 CSV 导入", &format!("/units/{group}/feedback/import"), &template, help)
}

/// GET /units/{id}/feedback.xlsx?period=2026: the entries discovered in the period.
pub async fn export(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let items = service::list(&state, &view, &user, id).await?;
    let group = view.group_of(id)?;
    let period = q.resolve(&state)?;
    let (from, to) = period.instants();
    // Oldest first, as a ledger is kept.
    let entries: Vec<&Feedback> = items
        .iter()
        .rev()
        .map(|i| &i.feedback)
        .filter(|f| f.discovered_at() >= from && f.discovered_at() < to)
        .collect();
    let ledger = feedback_ledger(&group.name, &period.label(), &entries, &state.feedback_limits, state.now());
    let name = format!("{}{}舆情与诉求处置台账.xlsx", group.name, period.label());
    xlsx(write_xlsx(&ledger), &name, "feedback-ledger.xlsx")
}

fn import_errors_page(user: &CurrentUser, group: i64, errors: &[ImportError]) -> Markup {
    let body = html! {
        (back_to_register(group))
        h1 { "导入失败" }
        div.flash.error { "文件有" (errors.len()) "处错误，一条也没有导入。请改正后重新导入。" }
        ul.errors { @for e in errors { li { (e.to_string()) } } }
        (import_form(user, group))
    };
    page("导入失败", Some(user), body)
}

/// POST /units/{id}/feedback/import (multipart): all rows or none.
pub async fn import(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let upload = Upload::read(&user, form, &["file"], UPLOAD_MAX_BYTES).await?;
    let group = view.group_of(id)?.id;
    match service::import(&state, &view, &user, id, upload.import_file("file")?).await? {
        Ok(n) => Ok(Redirect::to(&format!("/units/{group}/feedback?imported={n}")).into_response()),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, import_errors_page(&user, group, &errors)).into_response())
        }
    }
}
