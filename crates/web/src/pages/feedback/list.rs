//! The register with its filters, the .xlsx ledger and the import (.xlsx or CSV).

use super::{back_to_register, items_table};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{page, sheet_import};
use crate::pages::list_controls::{
    at_in_period, choice_select, coded_select, filter_form, nothing, pager, paginate, period_box, person_select,
    same_pairs, search_box, ListQuery,
};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use taizhang_app::feedback as service;
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::feedback::{Feedback, FeedbackStatus, Level};
use taizhang_core::import::ImportError;
use taizhang_docs::feedback_ledger::feedback_ledger;
use taizhang_docs::ledger::write_xlsx;
use taizhang_store::FeedbackItem;

/// A file larger than this is refused (a year's register is far smaller).
pub const UPLOAD_MAX_BYTES: usize = 5 * 1024 * 1024;

const STATUSES: [(&str, &str); 3] = [("open", "未办结"), ("overdue", "已逾期"), ("closed", "已办结")];

/// The register's entries the list's filters keep (newest first), with
/// every category (for the select) and the register's open and overdue counts.
pub(crate) struct Filtered {
    pub kept: Vec<FeedbackItem>,
    pub categories: Vec<String>,
    pub open: usize,
    pub overdue: usize,
}

/// Filters by 状态, 等级, 类别, 责任人, the period discovered and the
/// words of the summary, source, category, owner or any step's note.
pub(crate) async fn filtered(c: &Ctx, q: &ListQuery) -> Result<Filtered, AppError> {
    let items = service::list(&c.state, &c.view, &c.user, c.id).await?;
    let group = c.view.group_of(c.id)?.id;
    let mut categories: Vec<String> = items.iter().map(|i| i.feedback.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let status = q.choice("status", "状态", &STATUSES)?;
    let level = q.coded::<Level>("level", "等级")?;
    let category = q.choice("category", "类别", &same_pairs(&categories))?.map(str::to_string);
    let (person, period, search) = (q.person(&c.view, group)?, q.period()?, q.search());
    let overdue: Vec<i64> = service::overdue(&c.state, &items, c.state.now()).iter().map(|o| o.item.id).collect();
    let open = items.iter().filter(|i| i.feedback.status() != FeedbackStatus::Closed).count();
    let keeps = |i: &FeedbackItem| {
        let f = &i.feedback;
        let closed = f.status() == FeedbackStatus::Closed;
        let status_ok = match status {
            Some("open") => !closed,
            Some("closed") => closed,
            Some(_) => overdue.contains(&i.id),
            None => true,
        };
        let notes = f.steps.iter().map(|s| s.note.as_str());
        status_ok
            && level.is_none_or(|l| f.level == l)
            && category.as_ref().is_none_or(|c| &f.category == c)
            && person.is_none_or(|p| f.owner.id == p)
            && at_in_period(period, f.discovered_at())
            && search
                .matches([f.summary.as_str(), &f.category, &f.source.detail, &f.owner.name].into_iter().chain(notes))
    };
    let kept = items.iter().filter(|i| keeps(i)).cloned().collect();
    Ok(Filtered { kept, categories, open, overdue: overdue.len() })
}

fn filters(q: &ListQuery, view: &View, group: i64, categories: &[String]) -> Markup {
    filter_form(
        q,
        html! {
            (choice_select(q, "status", "状态", "全部状态", &STATUSES))
            (coded_select::<Level>(q, "level", "等级", "全部等级"))
            (choice_select(q, "category", "类别", "全部类别", &same_pairs(categories)))
            (person_select(q, view, group, "责任人"))
            (period_box(q.period().ok().flatten()))
            (search_box(q, "搜索摘要、来源或处置情况"))
        },
    )
}

/// GET /units/{id}/feedback?status=…&level=…&category=…&person=…&period=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let f = filtered(&c, &q).await?;
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?;
    let kept: Vec<&FeedbackItem> = f.kept.iter().collect();
    let shown = paginate(&kept, q.page()?);
    let can_write = view.access(&user).can_write(group.id);
    let year = state.today().format("%Y").to_string();
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · 舆情与诉求处置台账" }
        p.muted { "只登记与本单位工作有关的舆情和诉求，由工作人员录入或导入；不采集群众发帖，除公开链接外不保存发帖人信息。" }
        @if let Some(n) = q.imported() { div.flash.ok { "已导入" (n) "条。" } }
        div.toolbar {
            @if can_write { a.btn href=(format!("/units/{}/feedback/new", group.id)) { "登记舆情与诉求" } }
            a.btn.plain href=(format!("/units/{}/feedback/weekly", group.id)) { "每周汇总" }
            a.btn.plain href=(format!("/units/{}/feedback.xlsx?period={year}", group.id)) download { "导出台账（Excel）" }
            span.muted { "未办结" (f.open) "件，已逾期" (f.overdue) "件" }
        }
        (filters(&q, &view, group.id, &f.categories))
        (items_table(&state, shown.rows, state.now()))
        @if kept.is_empty() { (nothing(&q, "事项", "台账中还没有事项。")) } @else { (pager(&q, &shown, "按发现时间从新到旧")) }
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
