//! The risk ledger (风险隐患台账) pages: the ledger of a Party group with
//! filters and overdue-review flags, forms to add and edit a risk, a risk
//! with its reviews, the review forms (one risk, or the whole ledger), a
//! 研判 form that names the risks reviewed, the .xlsx export and the CSV
//! import. Every review also writes the `risk_review` record the
//! dashboard's 风险隐患台账 duty is evaluated from.

use super::downloads::{content_disposition, XLSX};
use super::layout::{csrf_field, page};
use super::upload::Upload;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::risks::{self as risking, ledger_unit, Listed, ReviewIn};
use taizhang_app::view::View;
use taizhang_core::fields::{parse_date, parse_record};
use taizhang_core::period::chinese_date;
use taizhang_core::record::{FieldError, RecordData, RecordKind};
use taizhang_core::risk::{ReviewState, RiskInput, RiskLevel, RiskStatus, DOMAINS, IMPORT_COLUMNS};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::risk_ledger::{risk_ledger, LedgerRisk};
use taizhang_store::{NewRecord, Risk};

/// A CSV larger than this is refused (a ledger has dozens of rows).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Posted form fields, repeated names (checkboxes) included.
type Pairs = Vec<(String, String)>;

fn one<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn all<'a>(pairs: &'a Pairs, name: &'a str) -> impl Iterator<Item = &'a str> {
    pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn ids(pairs: &Pairs, name: &str) -> Vec<i64> {
    all(pairs, name).filter_map(|v| v.parse().ok()).collect()
}

fn optional_date(text: &str) -> Result<Option<NaiveDate>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => parse_date(t).map(Some).ok_or_else(|| AppError::BadRequest(format!("日期“{t}”无法识别，应如 2026-03-05"))),
    }
}

fn level_badge(level: RiskLevel) -> Markup {
    html! { span class=(format!("badge risk-{}", level.code())) { (level.label()) } }
}

fn state_flag(state: ReviewState) -> Markup {
    let class = match state {
        ReviewState::Overdue { .. } => "s-overdue",
        ReviewState::DueSoon { .. } => "s-due_soon",
        ReviewState::InTime { .. } => "s-met",
        ReviewState::Closed => "s-pending",
    };
    html! { span class=(format!("badge {class}")) { (state.label()) } }
}

fn due_text(state: ReviewState) -> String {
    state.due().map(chinese_date).unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub domain: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    /// `1`: only risks whose review is overdue.
    pub overdue: Option<String>,
    /// How many risks an import just added.
    pub imported: Option<usize>,
}

impl ListQuery {
    fn keeps(&self, l: &Listed) -> bool {
        let set = |v: &Option<String>| v.as_deref().filter(|t| !t.is_empty()).map(str::to_string);
        set(&self.domain).is_none_or(|d| l.risk.entry.domain == d)
            && set(&self.level).is_none_or(|v| RiskLevel::parse(&v) == Some(l.risk.entry.level))
            && set(&self.status).is_none_or(|v| RiskStatus::parse(&v) == Some(l.risk.entry.status))
            && (self.overdue.as_deref() != Some("1") || l.state.is_overdue())
    }
}

fn filters(group: i64, q: &ListQuery, domains: &[String]) -> Markup {
    let chosen = |v: &Option<String>, code: &str| v.as_deref() == Some(code);
    html! {
        form.toolbar method="get" action=(format!("/units/{group}/risks")) {
            select name="domain" aria-label="风险领域" {
                option value="" { "全部领域" }
                @for d in domains { option value=(d) selected[chosen(&q.domain, d)] { (d) } }
            }
            select name="level" aria-label="风险等级" {
                option value="" { "全部等级" }
                @for l in RiskLevel::ALL { option value=(l.code()) selected[chosen(&q.level, l.code())] { (l.label()) "风险" } }
            }
            select name="status" aria-label="状态" {
                option value="" { "全部状态" }
                @for s in RiskStatus::ALL { option value=(s.code()) selected[chosen(&q.status, s.code())] { (s.label()) } }
            }
            label { input type="checkbox" name="overdue" value="1" checked[q.overdue.as_deref() == Some("1")]; " 仅看逾期未复核" }
            button.btn.plain type="submit" { "筛选" }
        }
    }
}

/// GET /units/{id}/risks
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, false)?;
    let can_write = view.access(&user).can_write(group.id);
    let listed = risking::ledger(&state, group.id).await?;
    let mut domains: Vec<String> = listed.iter().map(|l| l.risk.entry.domain.clone()).collect();
    domains.sort();
    domains.dedup();
    let controlled = listed.iter().filter(|l| l.risk.entry.status == RiskStatus::Controlled).count();
    let high = listed
        .iter()
        .filter(|l| l.risk.entry.status == RiskStatus::Controlled && l.risk.entry.level == RiskLevel::High);
    let overdue = listed.iter().filter(|l| l.state.is_overdue()).count();
    let shown: Vec<&Listed> = listed.iter().filter(|l| q.keeps(l)).collect();
    let body = html! {
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · 风险隐患台账" }
        @if let Some(n) = q.imported { div.flash.ok { "已导入" (n) "个风险点。" } }
        p.summary { "在控风险点" (controlled) "项（其中高风险" (high.count()) "项），已化解" (listed.len() - controlled) "项；"
            @if overdue > 0 { strong.overdue { "逾期未复核" (overdue) "项" } } @else { "均已按期复核" } "。" }
        div.toolbar {
            @if can_write {
                a.btn href=(format!("/units/{}/risks/new", group.id)) { "新增风险点" }
                a.btn.plain href=(format!("/units/{}/risks/review", group.id)) { "复核台账" }
                a.btn.plain href=(format!("/units/{}/risks/analysis", group.id)) { "分析研判" }
            }
            a.btn.plain href=(format!("/units/{}/risks.xlsx", group.id)) download { "风险隐患台账（Excel）" }
        }
        (filters(group.id, &q, &domains))
        div.scroll { table.risks {
            thead { tr { th { "序号" } th { "风险领域" } th { "风险点" } th { "等级" } th { "防范化解措施" } th { "责任人" } th { "状态" } th { "最近复核" } th { "下次复核" } th { "复核情况" } } }
            tbody {
                @for (n, l) in shown.iter().enumerate() {
                    tr class=[l.state.is_overdue().then_some("overdue")] {
                        td { (n + 1) }
                        td { (l.risk.entry.domain) }
                        td { a href=(format!("/risks/{}", l.risk.id)) { (l.risk.entry.title) } }
                        td { (level_badge(l.risk.entry.level)) }
                        td.text { (l.risk.entry.measures) }
                        td.person { (view.person_name(l.risk.entry.owner_id)) }
                        td { (l.risk.entry.status.label()) }
                        td.date { @if let Some((on, _)) = l.risk.last_review { (chinese_date(on)) } @else { span.muted { "未复核" } } }
                        td.date { (due_text(l.state)) }
                        td { (state_flag(l.state)) }
                    }
                }
            }
        } }
        @if shown.is_empty() { p.muted { @if listed.is_empty() { "台账中还没有风险点。" } @else { "没有符合条件的风险点。" } } }
        @if can_write { (import_form(&user, group.id)) }
    };
    Ok(page("风险隐患台账", Some(&user), body).into_response())
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    let headers: Vec<&str> = IMPORT_COLUMNS.iter().map(|c| c.1).collect();
    html! {
        h2 { "从 CSV 导入" }
        p.muted { "UTF-8 编码（Excel 另存为“CSV UTF-8”），表头：" (headers.join("，")) "。风险等级填高、中、低；状态不填为在控；登记日期不填为今天。整个文件先校验，有错则一条也不导入。" }
        form.record method="post" action=(format!("/units/{group}/risks/import")) enctype="multipart/form-data" {
            (csrf_field(user))
            label for="csv" { "CSV 文件" }
            input #csv type="file" name="csv" accept=".csv,text/csv" required;
            button.btn.plain type="submit" { "导入" }
        }
    }
}

/// GET /units/{id}/risks.xlsx
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, false)?;
    let listed = risking::ledger(&state, group.id).await?;
    let owners: Vec<String> = listed.iter().map(|l| view.person_name(l.risk.entry.owner_id)).collect();
    let rows: Vec<LedgerRisk> = listed
        .iter()
        .zip(&owners)
        .map(|(l, owner)| LedgerRisk {
            entry: &l.risk.entry,
            owner,
            last_reviewed: l.risk.last_review.map(|(on, _)| on),
            state: l.state,
        })
        .collect();
    let bytes =
        write_xlsx(&risk_ledger(&group.name, state.today(), &rows)).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("{}风险隐患台账.xlsx", group.name);
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&name, "risk-ledger.xlsx")),
        ],
        bytes,
    )
        .into_response())
}

/// A risk from the add/edit form, or the problems with it.
fn parse_risk(pairs: &Pairs, today: NaiveDate) -> Result<RiskInput, Vec<FieldError>> {
    RiskInput::parse(&|name| one(pairs, name).to_string(), today)
}

/// What the add/edit form shows.
struct RiskForm<'a> {
    action: String,
    values: &'a Pairs,
    revision: Option<i64>,
    errors: Vec<String>,
}

fn risk_form(view: &View, user: &CurrentUser, group: i64, f: &RiskForm) -> Markup {
    let v = |name: &str| one(f.values, name).to_string();
    html! {
        @if !f.errors.is_empty() {
            div.flash.error { "请修改以下内容后再保存：" ul { @for e in &f.errors { li { (e) } } } }
        }
        form.record method="post" action=(f.action) {
            (csrf_field(user))
            @if let Some(rev) = f.revision { input type="hidden" name="revision" value=(rev); }
            label for="domain" { "风险领域 *" }
            input #domain type="text" name="domain" list="domains" value=(v("domain")) required;
            datalist #domains { @for d in DOMAINS { option value=(d) {} } }
            label for="title" { "风险点 *" }
            input #title type="text" name="title" value=(v("title")) required;
            div.help { "简短的名称，本单位台账内不重复；分析研判时按此名称选择。" }
            label for="level" { "风险等级 *" }
            select #level name="level" {
                @for l in RiskLevel::ALL { option value=(l.code()) selected[v("level") == l.code()] { (l.label()) } }
            }
            label for="description" { "风险描述" }
            textarea #description name="description" { (v("description")) }
            label for="measures" { "防范化解措施 *" }
            textarea #measures name="measures" required { (v("measures")) }
            label for="owner_id" { "责任人 *" }
            select #owner_id name="owner_id" required {
                option value="" { "请选择" }
                @for p in view.people_of(group) { option value=(p.id) selected[v("owner_id") == p.id.to_string()] { (p.name) "（" (p.title) "）" } }
            }
            label for="status" { "状态" }
            select #status name="status" {
                @for s in RiskStatus::ALL { option value=(s.code()) selected[v("status") == s.code()] { (s.label()) } }
            }
            label for="identified_on" { "登记日期" }
            input #identified_on type="date" name="identified_on" value=(v("identified_on"));
            p { button.btn type="submit" { "保存" } }
        }
    }
}

fn risk_pairs(r: &RiskInput) -> Pairs {
    [
        ("domain", r.domain.clone()),
        ("title", r.title.clone()),
        ("level", r.level.code().into()),
        ("description", r.description.clone()),
        ("measures", r.measures.clone()),
        ("owner_id", r.owner_id.map(|i| i.to_string()).unwrap_or_default()),
        ("status", r.status.code().into()),
        ("identified_on", r.identified_on.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn form_page(view: &View, user: &CurrentUser, group: i64, heading: &str, f: &RiskForm) -> Markup {
    let body = html! {
        p { a href=(format!("/units/{group}/risks")) { "← 返回风险隐患台账" } }
        h1 { (heading) }
        (risk_form(view, user, group, f))
    };
    page(heading, Some(user), body)
}

/// GET /units/{id}/risks/new
pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let values = vec![
        ("status".into(), "controlled".into()),
        ("level".into(), "medium".into()),
        ("identified_on".into(), state.today().to_string()),
    ];
    let f = RiskForm { action: format!("/units/{group}/risks"), values: &values, revision: None, errors: vec![] };
    Ok(form_page(&view, &user, group, "新增风险点", &f).into_response())
}

/// Saves a risk from a form: `save` creates or updates it. Problems show
/// the form again with what was typed.
async fn save_form(
    state: &AppState,
    user: &CurrentUser,
    group_of_form: i64,
    heading: &str,
    action: String,
    pairs: Pairs,
    save: impl AsyncFnOnce(&View, &RiskInput) -> Result<Risk, AppError>,
) -> Result<Response, AppError> {
    user.check_csrf(one(&pairs, "csrf"))?;
    let view = View::load(state).await?;
    let group = ledger_unit(&view, user, group_of_form, true)?.id;
    let revision = one(&pairs, "revision").parse().ok();
    let errors = match parse_risk(&pairs, state.today()) {
        Ok(input) => match save(&view, &input).await.map_err(AppError::from) {
            Ok(risk) => return Ok(Redirect::to(&format!("/risks/{}?saved=1", risk.id)).into_response()),
            Err(AppError::BadRequest(m)) | Err(AppError::Conflict(m)) => vec![m],
            Err(AppError::Fields(f)) => f.into_iter().map(|e| e.message).collect(),
            Err(e) => return Err(e),
        },
        Err(f) => f.into_iter().map(|e| e.message).collect(),
    };
    let f = RiskForm { action, values: &pairs, revision, errors };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&view, user, group, heading, &f)).into_response())
}

/// POST /units/{id}/risks
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let action = format!("/units/{id}/risks");
    save_form(&state, &user, id, "新增风险点", action, pairs, async |view, input| {
        risking::create(&state, view, &user, id, input).await.map_err(AppError::from)
    })
    .await
}

/// GET /risks/{id}/edit
pub async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let values = risk_pairs(&risk.entry);
    let f = RiskForm { action: format!("/risks/{id}"), values: &values, revision: Some(risk.revision), errors: vec![] };
    Ok(form_page(&view, &user, risk.unit_id, "修改风险点", &f).into_response())
}

/// POST /risks/{id}
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let revision = one(&pairs, "revision").parse().ok();
    save_form(&state, &user, risk.unit_id, "修改风险点", format!("/risks/{id}"), pairs, async |view, input| {
        risking::update(&state, view, &user, id, revision, input).await.map_err(AppError::from)
    })
    .await
}

/// The fields every review form has.
fn review_fields(user: &CurrentUser, today: NaiveDate, next: NaiveDate) -> Markup {
    html! {
        label for="reviewed_on" { "复核日期" }
        input #reviewed_on type="date" name="reviewed_on" value=(today) max=(today) required;
        label for="reviewer" { "复核人" }
        input #reviewer type="text" name="reviewer" value=(user.person.name) required;
        label for="conclusion" { "复核结论 *" }
        textarea #conclusion name="conclusion" required {}
        label for="next_review" { "下次复核日期" }
        input #next_review type="date" name="next_review" value=(next);
        div.help { "默认为下一个季度末月" (taizhang_core::risk::REVIEW_DAY) "日前后，且不超过任务清单规定的复核间隔；可以修改。" }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    reviewed: Option<String>,
}

/// GET /risks/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, false).await?;
    Ok(risk_page(&state, &view, &user, &risk, &q, None).await?.into_response())
}

async fn risk_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    risk: &Risk,
    q: &ShowQuery,
    error: Option<&str>,
) -> Result<Markup, AppError> {
    let reviews = state.store.risk_reviews(risk.id).await?;
    let analyses = risking::analyses_of(state, view, risk).await?;
    let today = state.today();
    let schedule = risking::schedule(state, risk.unit_id).await?;
    let review_state = risking::review_state(&schedule, risk, today);
    let next = schedule.next_after(today);
    let can_write = view.access(user).can_write(risk.unit_id);
    let e = &risk.entry;
    let body = html! {
        p { a href=(format!("/units/{}/risks", risk.unit_id)) { "← 返回风险隐患台账" } }
        @if q.saved.is_some() { div.flash.ok { "已保存。" } }
        @if q.reviewed.is_some() { div.flash.ok { "已记录复核，并计入“风险隐患台账复核”记录。" } }
        @if let Some(m) = error { div.flash.error { (m) } }
        h1 { (e.title) " " (level_badge(e.level)) }
        table.fields {
            tr { th { "风险领域" } td { (e.domain) } }
            tr { th { "风险等级" } td { (e.level.label()) } }
            tr { th { "风险描述" } td.text { (e.description) } }
            tr { th { "防范化解措施" } td.text { (e.measures) } }
            tr { th { "责任人" } td { (view.person_name(e.owner_id)) } }
            tr { th { "状态" } td { (e.status.label()) } }
            tr { th { "登记日期" } td { (chinese_date(e.identified_on)) } }
            tr { th { "下次复核" } td { (due_text(review_state)) " " (state_flag(review_state)) } }
            tr { th { "版本" } td { "第" (risk.revision) "版" } }
        }
        @if can_write { p { a.btn.plain href=(format!("/risks/{}/edit", risk.id)) { "修改" } } }
        h2 { "复核记录（" (reviews.len()) "）" }
        @if reviews.is_empty() { p.muted { "尚未复核。" } } @else {
            table.reviews {
                thead { tr { th { "复核日期" } th { "复核人" } th { "复核结论" } th { "复核后状态" } th { "下次复核日期" } th { "台账复核记录" } } }
                tbody { @for r in &reviews {
                    tr {
                        td.date { (chinese_date(r.reviewed_on)) }
                        td { (r.reviewer) }
                        td.text { (r.conclusion) }
                        td { (r.status.label()) }
                        td.date { @if let Some(n) = r.next_review_on { (chinese_date(n)) } }
                        td { a href=(format!("/records/{}", r.record_id)) { "查看" } }
                    }
                } }
            }
        }
        @if can_write {
            h2 { "记录复核" }
            form.record #review method="post" action=(format!("/risks/{}/reviews", risk.id)) {
                (csrf_field(user))
                (review_fields(user, today, next))
                label for="status" { "复核后状态" }
                select #status name="status" {
                    @for s in RiskStatus::ALL { option value=(s.code()) selected[s == e.status] { (s.label()) } }
                }
                p { button.btn type="submit" { "保存复核" } }
            }
        }
        h2 { "相关分析研判（" (analyses.len()) "）" }
        @if analyses.is_empty() { p.muted { "尚无分析研判涉及该风险点。" } }
        ul { @for a in &analyses { li { a href=(format!("/records/{}", a.id)) { (chinese_date(a.occurred_on)) " " (a.data.title()) } } } }
    };
    Ok(page(&e.title, Some(user), body))
}

fn review_in(pairs: &Pairs, outcomes: Vec<(i64, RiskStatus)>) -> Result<ReviewIn, AppError> {
    Ok(ReviewIn {
        reviewed_on: optional_date(one(pairs, "reviewed_on"))?,
        reviewer: Some(one(pairs, "reviewer").to_string()),
        conclusion: one(pairs, "conclusion").to_string(),
        next_review: optional_date(one(pairs, "next_review"))?,
        outcomes,
    })
}

/// POST /risks/{id}/reviews: a review of one risk.
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    user.check_csrf(one(&pairs, "csrf"))?;
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let status = RiskStatus::parse(one(&pairs, "status")).unwrap_or(risk.entry.status);
    let done = match review_in(&pairs, vec![(id, status)]) {
        Ok(input) => risking::review(&state, &view, &user, risk.unit_id, input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/risks/{id}?reviewed=1")).into_response()),
        Err(AppError::BadRequest(m)) => {
            let markup = risk_page(&state, &view, &user, &risk, &ShowQuery::default(), Some(&m)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The whole-ledger review form: every risk with a box to include it
/// (在控 ones ticked) and one to mark it 已化解.
async fn ledger_review_page(
    state: &AppState,
    user: &CurrentUser,
    group: i64,
    error: Option<&str>,
) -> Result<Markup, AppError> {
    let listed = risking::ledger(state, group).await?;
    let today = state.today();
    let next = risking::schedule(state, group).await?.next_after(today);
    let body = html! {
        p { a href=(format!("/units/{group}/risks")) { "← 返回风险隐患台账" } }
        h1 { "复核风险隐患台账" }
        p.muted { "逐项复核在控风险点的防范化解措施落实情况；保存后计入“风险隐患台账复核”记录，工作台的“风险隐患台账”事项随之更新。" }
        @if let Some(m) = error { div.flash.error { (m) } }
        form.record method="post" action=(format!("/units/{group}/risks/review")) {
            (csrf_field(user))
            table.risks {
                thead { tr { th { "复核" } th { "风险点" } th { "等级" } th { "复核情况" } th { "本次化解销号" } } }
                tbody { @for l in &listed {
                    tr {
                        td { input type="checkbox" name="risk" value=(l.risk.id) checked[l.risk.entry.status == RiskStatus::Controlled] aria-label=(l.risk.entry.title); }
                        td { (l.risk.entry.domain) "：" (l.risk.entry.title) }
                        td { (level_badge(l.risk.entry.level)) }
                        td { (state_flag(l.state)) }
                        td { input type="checkbox" name="resolved" value=(l.risk.id) checked[l.risk.entry.status == RiskStatus::Resolved] aria-label=(format!("{}已化解", l.risk.entry.title)); }
                    }
                } }
            }
            (review_fields(user, today, next))
            p { button.btn type="submit" { "保存复核" } }
        }
    };
    Ok(page("复核风险隐患台账", Some(user), body))
}

/// GET /units/{id}/risks/review
pub async fn ledger_review_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    Ok(ledger_review_page(&state, &user, group, None).await?.into_response())
}

/// POST /units/{id}/risks/review
pub async fn ledger_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    user.check_csrf(one(&pairs, "csrf"))?;
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let resolved = ids(&pairs, "resolved");
    let outcomes = ids(&pairs, "risk")
        .into_iter()
        .map(|r| (r, if resolved.contains(&r) { RiskStatus::Resolved } else { RiskStatus::Controlled }))
        .collect();
    let done = match review_in(&pairs, outcomes) {
        Ok(input) => risking::review(&state, &view, &user, group, input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/units/{group}/risks")).into_response()),
        Err(AppError::BadRequest(m)) => {
            let markup = ledger_review_page(&state, &user, group, Some(&m)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(e) => Err(e),
    }
}

/// GET /units/{id}/risks/analysis: a 研判 naming risks from the ledger.
pub async fn analysis_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    Ok(analysis_page(&state, &user, group, &Vec::new(), None).await?.into_response())
}

async fn analysis_page(
    state: &AppState,
    user: &CurrentUser,
    group: i64,
    pairs: &Pairs,
    error: Option<&str>,
) -> Result<Markup, AppError> {
    let listed = risking::ledger(state, group).await?;
    let chosen = ids(pairs, "risk");
    let v = |name: &str| one(pairs, name).to_string();
    let date = if v("occurred_on").is_empty() { state.today().to_string() } else { v("occurred_on") };
    let body = html! {
        p { a href=(format!("/units/{group}/risks")) { "← 返回风险隐患台账" } }
        h1 { "意识形态领域情况分析研判" }
        p.muted { "勾选本次研判的风险点；保存为“分析研判”记录（研判报告），各风险点页面列出涉及它的研判。" }
        @if let Some(m) = error { div.flash.error { (m) } }
        form.record method="post" action=(format!("/units/{group}/risks/analysis")) {
            (csrf_field(user))
            label for="occurred_on" { "研判日期" }
            input #occurred_on type="date" name="occurred_on" value=(date) required;
            label for="topic" { "研判主题 *" }
            input #topic type="text" name="topic" value=(v("topic")) required;
            label for="host" { "主持人" }
            input #host type="text" name="host" value=(v("host"));
            label for="attendees" { "参加人员" }
            textarea #attendees name="attendees" { (v("attendees")) }
            fieldset {
                legend { "研判的风险点" }
                @for l in listed.iter().filter(|l| l.risk.entry.status == RiskStatus::Controlled) {
                    label.check { input type="checkbox" name="risk" value=(l.risk.id) checked[chosen.contains(&l.risk.id)]; " " (l.risk.entry.title) " " (level_badge(l.risk.entry.level)) }
                }
            }
            label for="conclusion" { "研判结论" }
            textarea #conclusion name="conclusion" { (v("conclusion")) }
            label for="report" { "研判报告" }
            textarea #report name="report" { (v("report")) }
            div.help { "报告正文或文件名" }
            p { button.btn type="submit" { "保存研判" } }
        }
    };
    Ok(page("分析研判", Some(user), body))
}

/// POST /units/{id}/risks/analysis
pub async fn analysis(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    user.check_csrf(one(&pairs, "csrf"))?;
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let ledger = state.store.risks(group).await?;
    let chosen = ids(&pairs, "risk");
    let risks_reviewed =
        ledger.iter().filter(|r| chosen.contains(&r.id)).map(|r| r.entry.title.clone()).collect::<Vec<_>>();
    // The record's fields as the records' schema parses them; the risks as chosen.
    let data = parse_record(RecordKind::Analysis, |name| Some(one(&pairs, name).to_string())).map(|mut data| {
        if let RecordData::Analysis(a) = &mut data {
            a.risks_reviewed = risks_reviewed;
        }
        data
    });
    let problem = match (parse_date(one(&pairs, "occurred_on")), data) {
        (Some(occurred_on), Ok(data)) => {
            let mut w = state.store.begin_write().await?;
            let record = w.create_record(&user.actor(), &NewRecord { unit_id: group, occurred_on, data }).await?;
            w.commit().await?;
            return Ok(Redirect::to(&format!("/records/{}?saved=1", record.id)).into_response());
        }
        (None, _) => "请填写研判日期".to_string(),
        (_, Err(f)) => f.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；"),
    };
    let markup = analysis_page(&state, &user, group, &pairs, Some(&problem)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
}

/// POST /units/{id}/risks/import (multipart, field `csv`)
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = Upload::read(form, &["csv"], IMPORT_MAX_BYTES).await?;
    user.check_csrf(upload.field("csrf"))?;
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let text = upload.text_file("csv")?;
    match risking::import(&state, &view, &user, group, &text).await? {
        Ok(n) => Ok(Redirect::to(&format!("/units/{group}/risks?imported={n}")).into_response()),
        Err(errors) => {
            let body = html! {
                p { a href=(format!("/units/{group}/risks")) { "← 返回风险隐患台账" } }
                h1 { "导入失败" }
                div.flash.error {
                    "导入失败，未写入任何数据。请修改以下" (errors.len()) "处后重新导入："
                    ul { @for e in &errors { li { (e.to_string()) } } }
                }
                (import_form(&user, group))
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("导入失败", Some(&user), body)).into_response())
        }
    }
}
