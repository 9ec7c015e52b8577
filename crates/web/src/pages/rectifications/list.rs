//! The problems of a unit, adding one, the import (.xlsx or CSV) and the 整改台账.

use super::{owner_name, REMIND_DAYS};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{respond, Submitted};
use crate::pages::downloads::xlsx;
use crate::pages::layout::{badge, csrf_field, flash, import_refused, page, sheet_import};
use crate::pages::list_controls::{
    choice_select, coded_select, filter_form, in_period, nothing, pager, paginate, period_box, person_select,
    search_box, ListQuery, Paged,
};
use crate::pages::upload::Upload;
use crate::register_form::{fields, FormValues};
use crate::state::AppState;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use std::collections::HashMap;
use taizhang_app::rectifications as rectify;
use taizhang_app::view::View;
use taizhang_core::engine::Status;
use taizhang_core::period::chinese_date;
use taizhang_core::rectification::{assess, FindingSource, Rectification, RectificationInput, CSV_HEADER};
use taizhang_core::register::{FieldKind, Register, Values};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::rectification_ledger::rectification_ledger;

/// Larger problem lists are refused (axum's default body limit is 2MB too).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The add form's fields by name, as typed.
type NewForm = HashMap<String, String>;

/// The add forms; `typed` refills the problem form after a refusal.
fn add_forms(view: &View, user: &CurrentUser, group: i64, typed: Option<&NewForm>) -> Markup {
    let values = Values(typed.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default());
    let people: Vec<(i64, String)> =
        view.people_of(group).iter().map(|p| (p.id, format!("{}（{}）", p.name, p.title))).collect();
    // Today's labels, without stars (people and the browser tests know them).
    let form = FormValues { star_required: false, ..FormValues::new(&values, &people) };
    html! {
        details open[typed.is_some()] {
            summary { "登记问题" }
            form.record method="post" action=(format!("/units/{group}/rectifications")) {
                (csrf_field(user))
                (fields::<RectificationInput>(&form))
                button.btn type="submit" { "登记" }
            }
        }
        (sheet_import(user, "从 Excel 或 CSV 导入问题清单", &format!("/units/{group}/rectifications/import"),
            &format!("/units/{group}/rectifications/template.xlsx"),
            html! { "表头：" (CSV_HEADER.join(",")) "。" }))
    }
}

const STATUSES: [(&str, &str); 4] =
    [("open", "整改中"), ("overdue", "已逾期"), ("reported", "待上级销号"), ("closed", "已销号")];

/// Whether a problem stands as the status filter's `code` says on `today`.
fn has_status(p: &Rectification, code: &str, today: NaiveDate) -> bool {
    match code {
        "open" => p.rectified_on.is_none(),
        "overdue" => assess(p, today, REMIND_DAYS).0 == Status::Overdue,
        "reported" => p.rectified_on.is_some() && p.closed_on.is_none(),
        _ => p.closed_on.is_some(),
    }
}

/// The group's problems the list's filters keep, newest first (by the
/// date found): by 状态, 来源, 责任人, the period found and the words of
/// the problem, measures, evidence, opinion or owner.
pub(crate) async fn filtered(
    state: &AppState,
    view: &View,
    group: i64,
    q: &ListQuery,
) -> Result<Vec<Rectification>, AppError> {
    let status = q.choice("status", "状态", &STATUSES)?;
    let source = q.coded::<FindingSource>("source", "来源")?;
    let (person, period, search, today) = (q.person(view, group)?, q.period()?, q.search(), state.today());
    let mut problems = state.store.rectifications_of(&[group]).await?;
    problems.retain(|p| {
        let owner = owner_name(view, p.owner);
        status.is_none_or(|s| has_status(p, s, today))
            && source.is_none_or(|s| p.source == s)
            && person.is_none_or(|id| p.owner == Some(id))
            && in_period(period, p.found_on)
            && search.matches([p.problem.as_str(), &p.measures, &p.evidence, &p.opinion, &owner, p.source.label()])
    });
    problems.sort_by_key(|p| std::cmp::Reverse((p.found_on, p.id)));
    Ok(problems)
}

fn filters(q: &ListQuery, view: &View, group: i64) -> Markup {
    filter_form(
        q,
        html! {
            (choice_select(q, "status", "状态", "全部状态", &STATUSES))
            (coded_select::<FindingSource>(q, "source", "来源", "全部来源"))
            (person_select(q, view, group, "责任人"))
            (period_box(q.period().ok().flatten()))
            (search_box(q, "搜索问题或整改措施"))
        },
    )
}

fn problems_table(view: &View, shown: &Paged<Rectification>, today: NaiveDate) -> Markup {
    html! {
        table.stack {
            thead { tr { th { "整改期限" } th { "来源" } th { "问题" } th { "责任人" } th { "状态" } th { "说明" } th { "发现日期" } } }
            tbody {
                @for p in shown.rows {
                    @let (status, text, _) = assess(p, today, REMIND_DAYS);
                    tr {
                        td.date data-label="整改期限" { (chinese_date(p.deadline)) }
                        td.nowrap data-label="来源" { (p.source.label()) }
                        td data-label="问题" { a href=(format!("/rectifications/{}", p.id)) { (p.short_problem()) } }
                        td.person data-label="责任人" { (owner_name(view, p.owner)) }
                        td data-label="状态" { (badge(status)) " " (p.state_label()) }
                        td data-label="说明" { (text) }
                        td.date data-label="发现日期" { (chinese_date(p.found_on)) }
                    }
                }
            }
        }
    }
}

/// The list under `q`'s filters, with `flash` above and, after a refused
/// add, the problem form refilled with what was `typed`.
async fn list_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    group: i64,
    q: &ListQuery,
    flash: Markup,
    typed: Option<&NewForm>,
) -> Result<Markup, AppError> {
    let problems = filtered(state, view, group, q).await?;
    let shown = paginate(&problems, q.page()?);
    let name = view.tree.get(group).map(|u| u.name.as_str()).unwrap_or("");
    let body = html! {
        p.back { a href=(format!("/units/{group}")) { "← 返回工作台" } }
        h1 { (name) " · 问题整改台账" }
        (flash)
        div.toolbar {
            a.btn.plain href=(format!("/units/{group}/rectifications.xlsx")) download { "整改台账（Excel）" }
        }
        @if rectify::may_add(view, user, group) { (add_forms(view, user, group, typed)) }
        (filters(q, view, group))
        (problems_table(view, &shown, state.today()))
        @if problems.is_empty() { (nothing(q, "问题", "没有登记的问题。")) } @else { (pager(q, &shown, "按发现日期从新到旧")) }
    };
    Ok(page("问题整改", Some(user), body))
}

/// The list as a form's answer shows it: unfiltered.
fn unfiltered(group: i64) -> ListQuery {
    ListQuery::at(&format!("/units/{group}/rectifications"))
}

/// GET /units/{id}/rectifications?status=…&source=…&person=…&period=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    Ok(list_page(&state, &view, &user, group, &q, html! {}, None).await?.into_response())
}

/// GET /units/{id}/rectifications.xlsx
pub async fn export(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user: _, view, id } = c;
    let group = view.group_of(id)?.id;
    let group = view.unit(group)?;
    let problems = state.store.rectifications_of(&[group.id]).await?;
    let ledger = rectification_ledger(&group.name, &problems, state.today(), |id| owner_name(&view, id));
    let name = format!("{}问题整改台账.xlsx", group.name);
    xlsx(write_xlsx(&ledger), &name, "rectifications.xlsx")
}

/// The problem typed into the add form (`owner`, the form's old name of
/// 责任人, is still read).
fn parse_new(form: &NewForm, unit_id: i64) -> taizhang_app::Result<Rectification> {
    let get = |name: &str| form.get(name).cloned().unwrap_or_default();
    let mut values = Values::from_fn(RectificationInput::FIELDS, &get);
    if !form.contains_key("owner_id") {
        values.set("owner_id", get("owner"));
    }
    let input = RectificationInput::from_values(&values, None).map_err(|errors| {
        // A date is asked for as the form always asked for it.
        let worded = errors.into_iter().map(|mut e| {
            if let Some(f) = RectificationInput::field(e.field).filter(|f| matches!(f.kind, FieldKind::Date)) {
                e.message = format!("请填写{}（如 2026-11-20）", f.label);
            }
            e
        });
        taizhang_app::Error::Fields(worded.collect())
    })?;
    Ok(Rectification::new(unit_id, input))
}

/// POST /units/{id}/rectifications
pub async fn create(c: Ctx, Submitted { form, .. }: Submitted<NewForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    view.access(&user).require_view(id)?;
    let outcome = match parse_new(&form, id) {
        Ok(new) => rectify::add(&state, &view, &user, new).await,
        Err(e) => Err(e),
    };
    respond(
        outcome,
        |saved| format!("/rectifications/{}", saved.id),
        async |refusal| {
            let group = view.group_of(id)?.id;
            list_page(&state, &view, &user, group, &unfiltered(group), refusal.flash(), Some(&form)).await
        },
    )
    .await
}

/// POST /units/{id}/rectifications/import (multipart: csrf, file)
pub async fn import(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let upload = Upload::read(&user, form, &["file"], IMPORT_MAX_BYTES).await?;
    let group = view.group_of(id)?.id;
    let outcome = rectify::import(&state, &view, &user, group, upload.import_file("file")?).await?;
    let (status, flash) = match outcome {
        Ok(n) => (StatusCode::OK, flash("ok", html! { "已导入" (n) "个问题。" })),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, import_refused("问题", &errors)),
    };
    Ok((status, list_page(&state, &view, &user, group, &unfiltered(group), flash, None).await?).into_response())
}
