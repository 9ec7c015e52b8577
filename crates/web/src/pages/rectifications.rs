//! 问题整改 pages: a unit's problems with where each stands, adding one or
//! importing a CSV, a problem's page with the unit's forms (measures,
//! 申请销号) and the superior's (销号, 退回), and the 整改台账 as .xlsx.

use super::downloads::{content_disposition, XLSX};
use super::layout::{badge, csrf_field, page};
use super::upload::Upload;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::rectifications::{self as rectify, Step};
use taizhang_app::view::View;
use taizhang_core::fields::parse_date;
use taizhang_core::period::chinese_date;
use taizhang_core::rectification::{assess, FindingSource, Rectification, CSV_HEADER};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::rectification_ledger::rectification_ledger;

/// Larger problem lists are refused (axum's default body limit is 2MB too).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Days before a deadline a problem shows as due soon (the duty list's
/// `remind_days` for 问题整改 decides the dashboard; this is the list's).
const REMIND_DAYS: i64 = 7;

fn owner_name(view: &View, id: Option<i64>) -> String {
    Some(view.person_name(id)).filter(|n| !n.is_empty()).unwrap_or_else(|| "未指定".into())
}

fn people_options(view: &View, group: i64, selected: Option<i64>) -> Markup {
    html! {
        option value="" { "（未指定）" }
        @for p in view.people_of(group) {
            option value=(p.id) selected[Some(p.id) == selected] { (p.name) "（" (p.title) "）" }
        }
    }
}

/// The add forms; `typed` refills the problem form after a refusal.
fn add_forms(view: &View, user: &CurrentUser, group: i64, typed: Option<&NewForm>) -> Markup {
    let v = |f: fn(&NewForm) -> &str| typed.map(f).unwrap_or("");
    let owner = typed.and_then(|t| t.owner.trim().parse().ok());
    html! {
        details open[typed.is_some()] {
            summary { "登记问题" }
            form.record method="post" action=(format!("/units/{group}/rectifications")) {
                (csrf_field(user))
                label for="source" { "问题来源" }
                select #source name="source" {
                    @for s in FindingSource::ALL { option value=(s.code()) selected[v(|t| &t.source) == s.code()] { (s.label()) } }
                }
                label for="found_on" { "发现日期" }
                input #found_on type="date" name="found_on" value=(v(|t| &t.found_on)) required;
                label for="problem" { "问题" }
                textarea #problem name="problem" required { (v(|t| &t.problem)) }
                label for="measures" { "整改措施" }
                textarea #measures name="measures" { (v(|t| &t.measures)) }
                label for="owner" { "责任人" }
                select #owner name="owner" { (people_options(view, group, owner)) }
                label for="deadline" { "整改期限" }
                input #deadline type="date" name="deadline" value=(v(|t| &t.deadline)) required;
                button.btn type="submit" { "登记" }
            }
        }
        details {
            summary { "从 CSV 导入问题清单" }
            form.record method="post" action=(format!("/units/{group}/rectifications/import")) enctype="multipart/form-data" {
                (csrf_field(user))
                p.help { "UTF-8 CSV，表头：" (CSV_HEADER.join(",")) "。整个文件先校验，有错则一条也不导入。" }
                input type="file" name="file" accept=".csv,text/csv" required;
                button.btn type="submit" { "导入" }
            }
        }
    }
}

fn list_page(
    view: &View,
    user: &CurrentUser,
    group: i64,
    problems: &[Rectification],
    today: chrono::NaiveDate,
    flash: Option<(&str, Markup)>,
    typed: Option<&NewForm>,
) -> Markup {
    let name = view.tree.get(group).map(|u| u.name.as_str()).unwrap_or("");
    html! {
        p { a href=(format!("/units/{group}")) { "← 返回工作台" } }
        h1 { (name) " · 问题整改台账" }
        @if let Some((class, message)) = flash { div class=(format!("flash {class}")) { (message) } }
        div.toolbar {
            a.btn.plain href=(format!("/units/{group}/rectifications.xlsx")) download { "整改台账（Excel）" }
        }
        @if rectify::may_add(view, user, group) { (add_forms(view, user, group, typed)) }
        table {
            thead { tr { th { "整改期限" } th { "来源" } th { "问题" } th { "责任人" } th { "状态" } th { "说明" } } }
            tbody {
                @for p in problems {
                    @let (status, text, _) = assess(p, today, REMIND_DAYS);
                    tr {
                        td.date { (chinese_date(p.deadline)) }
                        td.nowrap { (p.source.label()) }
                        td { a href=(format!("/rectifications/{}", p.id)) { (p.short_problem()) } }
                        td.person { (owner_name(view, p.owner)) }
                        td { (badge(status)) " " (p.state_label()) }
                        td { (text) }
                    }
                }
            }
        }
        @if problems.is_empty() { p.muted { "没有登记的问题。" } }
    }
}

/// GET /units/{id}/rectifications
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    let problems = state.store.rectifications_of(&[group]).await?;
    Ok(page("问题整改", Some(&user), list_page(&view, &user, group, &problems, state.today(), None, None))
        .into_response())
}

/// GET /units/{id}/rectifications.xlsx
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?;
    let problems = state.store.rectifications_of(&[group.id]).await?;
    let ledger = rectification_ledger(&group.name, &problems, state.today(), |id| owner_name(&view, id));
    let bytes = write_xlsx(&ledger).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("{}问题整改台账.xlsx", group.name);
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_string()),
        (header::CONTENT_DISPOSITION, content_disposition(&name, "rectifications.xlsx")),
    ];
    Ok((headers, bytes).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NewForm {
    csrf: String,
    source: String,
    found_on: String,
    problem: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    owner: String,
    deadline: String,
}

fn date_field(text: &str, label: &str) -> Result<chrono::NaiveDate, AppError> {
    parse_date(text).ok_or_else(|| AppError::BadRequest(format!("请填写{label}（如 2026-11-20）")))
}

fn owner_field(text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::BadRequest("责任人无法识别".into())),
    }
}

/// POST /units/{id}/rectifications
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<NewForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf)?;
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    match add_from_form(&state, &view, &user, id, &f).await {
        Ok(saved) => Ok(Redirect::to(&format!("/rectifications/{}", saved.id)).into_response()),
        Err(AppError::BadRequest(m)) => {
            let group = view.group_of(id)?.id;
            let problems = state.store.rectifications_of(&[group]).await?;
            let flash = ("error", html! { (m) });
            let body = list_page(&view, &user, group, &problems, state.today(), Some(flash), Some(&f));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("问题整改", Some(&user), body)).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn add_from_form(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    id: i64,
    f: &NewForm,
) -> Result<Rectification, AppError> {
    let new = Rectification {
        id: 0,
        unit_id: id,
        source: rectify::source(&f.source)?,
        found_on: date_field(&f.found_on, "发现日期")?,
        problem: f.problem.clone(),
        measures: f.measures.clone(),
        owner: owner_field(&f.owner)?,
        deadline: date_field(&f.deadline, "整改期限")?,
        evidence: String::new(),
        rectified_on: None,
        closed_on: None,
        opinion: String::new(),
    };
    rectify::add(state, view, user, new).await.map_err(AppError::from)
}

/// POST /units/{id}/rectifications/import (multipart: csrf, file)
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = Upload::read(form, &["file"], IMPORT_MAX_BYTES).await?;
    user.check_csrf(upload.field("csrf"))?;
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    if upload.file("file").is_none() {
        return Err(AppError::BadRequest("请选择要导入的文件".into()));
    }
    let text = upload.text_file("file")?;
    let outcome = rectify::import(&state, &view, &user, group, &text).await?;
    let problems = state.store.rectifications_of(&[group]).await?;
    let (status, flash) = match outcome {
        Ok(n) => (StatusCode::OK, ("ok", html! { "已导入" (n) "个问题。" })),
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ("error", html! { "文件有误，未导入任何问题：" ul { @for e in &errors { li { (e.to_string()) } } } }),
        ),
    };
    let body = list_page(&view, &user, group, &problems, state.today(), Some(flash), None);
    Ok((status, page("问题整改", Some(&user), body)).into_response())
}

/// A problem's page; `typed` refills the forms after a refusal.
fn detail(
    view: &View,
    user: &CurrentUser,
    p: &Rectification,
    revision: i64,
    today: chrono::NaiveDate,
    typed: Option<&StepForm>,
) -> Markup {
    let typed_on = typed.and_then(|t| t.on.clone()).unwrap_or_else(|| today.to_string());
    let typed_evidence = typed.and_then(|t| t.evidence.clone()).unwrap_or_default();
    let typed_opinion = typed.and_then(|t| t.opinion.clone()).unwrap_or_default();
    let access = view.access(user);
    let (status, text, _) = assess(p, today, REMIND_DAYS);
    let open = p.closed_on.is_none();
    let action = format!("/rectifications/{}", p.id);
    html! {
        p { a href=(format!("/units/{}/rectifications", p.unit_id)) { "← 返回整改台账" } }
        h1 { (p.source.label()) "问题" }
        p { (badge(status)) " " (p.state_label()) " · " (text) }
        table.kv {
            tr { th { "问题" } td { (p.problem) } }
            tr { th { "发现日期" } td { (chinese_date(p.found_on)) } }
            tr { th { "整改措施" } td { (p.measures) } }
            tr { th { "责任人" } td { (owner_name(view, p.owner)) } }
            tr { th { "整改期限" } td { (chinese_date(p.deadline)) } }
            tr { th { "整改完成日期" } td { @if let Some(d) = p.rectified_on { (chinese_date(d)) } } }
            tr { th { "佐证材料" } td { (p.evidence) } }
            tr { th { "销号日期" } td { @if let Some(d) = p.closed_on { (chinese_date(d)) } } }
            tr { th { "上级意见" } td { (p.opinion) } }
        }
        @if open && access.can_write(p.unit_id) {
            h2 { "整改落实" }
            form.record method="post" action=(format!("{action}/update")) {
                (csrf_field(user))
                input type="hidden" name="revision" value=(revision);
                label for="measures" { "整改措施" }
                textarea #measures name="measures" { (p.measures) }
                label for="owner" { "责任人" }
                select #owner name="owner" { (people_options(view, p.unit_id, p.owner)) }
                button.btn.plain type="submit" { "保存" }
            }
            @if p.rectified_on.is_none() {
                form.record method="post" action=(format!("{action}/report")) {
                    (csrf_field(user))
                    input type="hidden" name="revision" value=(revision);
                    label for="on" { "整改完成日期" }
                    input #on type="date" name="on" value=(typed_on) required;
                    label for="evidence" { "佐证材料（整改情况、文件、记录）" }
                    textarea #evidence name="evidence" required { (typed_evidence) }
                    button.btn type="submit" { "申请销号" }
                }
            }
        }
        @if open && p.rectified_on.is_some() && access.can_inspect(p.unit_id) {
            h2 { "上级审核" }
            form.record method="post" action=(format!("{action}/review")) {
                (csrf_field(user))
                input type="hidden" name="revision" value=(revision);
                label for="opinion" { "意见" }
                textarea #opinion name="opinion" { (typed_opinion) }
                button.btn type="submit" name="decision" value="close" { "同意销号" }
                " "
                button.btn.plain type="submit" name="decision" value="send_back" { "退回重新整改" }
            }
        }
    }
}

/// GET /rectifications/{id}
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let (p, revision) = rectify::load(&state, &view, &user, id).await?;
    Ok(page("问题整改", Some(&user), detail(&view, &user, &p, revision, state.today(), None)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    csrf: String,
    revision: Option<i64>,
    measures: Option<String>,
    owner: Option<String>,
    on: Option<String>,
    evidence: Option<String>,
    opinion: Option<String>,
    decision: Option<String>,
}

async fn run(
    state: AppState,
    user: CurrentUser,
    id: i64,
    f: StepForm,
    step: Result<Step, AppError>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf)?;
    let view = View::load(&state).await?;
    let outcome = match step {
        Ok(step) => {
            rectify::apply(&state, &view, &user, id, f.revision, step).await.map_err(AppError::from).map(|_| ())
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/rectifications/{id}")).into_response()),
        Err(AppError::BadRequest(m)) | Err(AppError::Conflict(m)) => {
            let (p, revision) = rectify::load(&state, &view, &user, id).await?;
            let body = html! { div.flash.error { (m) } (detail(&view, &user, &p, revision, state.today(), Some(&f))) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("问题整改", Some(&user), body)).into_response())
        }
        Err(e) => Err(e),
    }
}

/// POST /rectifications/{id}/update
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, AppError> {
    let step = owner_field(f.owner.as_deref().unwrap_or(""))
        .map(|owner| Step::Update { measures: f.measures.clone().unwrap_or_default(), owner });
    run(state, user, id, f, step).await
}

/// POST /rectifications/{id}/report
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, AppError> {
    let step = date_field(f.on.as_deref().unwrap_or(""), "整改完成日期")
        .map(|on| Step::Report { on, evidence: f.evidence.clone().unwrap_or_default() });
    run(state, user, id, f, step).await
}

/// POST /rectifications/{id}/review (decision=close|send_back)
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, AppError> {
    let opinion = f.opinion.clone().unwrap_or_default();
    let step = match f.decision.as_deref() {
        Some("close") => Ok(Step::Close { opinion }),
        Some("send_back") => Ok(Step::SendBack { opinion }),
        _ => Err(AppError::BadRequest("请选择同意销号或退回".into())),
    };
    run(state, user, id, f, step).await
}
