//! The public-feedback register (舆情与诉求处置台账) pages: the list with
//! filters and time-limit flags, a new entry, an entry with its history and
//! the form for its next step, the weekly summary, CSV import and the
//! .xlsx ledger. Every rule is checked on the server by
//! `taizhang_core::feedback`; the forms only offer what is likely allowed.

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
use chrono::{DateTime, Duration, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use taizhang_app::feedback::{self as service, people_of, ItemInput, StepInput};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::feedback::{
    deadlines, local_input_value, overdue_reason, parse_week, short_summary, week_code, weekly, DeadlineStatus,
    Feedback, FeedbackStatus, Level, ResponseForm, SourceKind, StepKind,
};
use taizhang_core::import::ImportError;
use taizhang_core::period::{chinese_date, shanghai_day_start, shanghai_minute, short_date};
use taizhang_core::review::Person;
use taizhang_docs::feedback_ledger::feedback_ledger;
use taizhang_docs::ledger::write_xlsx;
use taizhang_store::FeedbackItem;

/// A CSV file larger than this is refused (a year's register is far smaller).
pub const UPLOAD_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Categories offered in the form; any other may be typed.
const CATEGORIES: [&str; 6] = ["民生诉求", "政策咨询", "投诉举报", "意见建议", "网络舆情", "媒体关注"];

fn status_badge(f: &Feedback) -> Markup {
    let status = f.status();
    let class = if status == FeedbackStatus::Closed { "badge s-met" } else { "badge s-pending" };
    html! { span class=(class) { (status.label()) } }
}

fn deadline_badges(statuses: &[DeadlineStatus]) -> Markup {
    html! { @for d in statuses { span class=(format!("badge {}", d.class())) { (d.label()) } " " } }
}

fn person_options(people: &[Person], selected: i64) -> Markup {
    html! { @for p in people { option value=(p.id) selected[p.id == selected] { (p.name) } } }
}

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

fn items_table(state: &AppState, items: &[&FeedbackItem], now: DateTime<Utc>) -> Markup {
    html! {
        div.scroll { table.feedback {
            thead { tr { th { "发现时间" } th { "内容摘要" } th { "来源" } th { "类别" } th { "等级" } th { "责任人" } th { "状态" } th { "时限" } } }
            tbody {
                @for item in items {
                    @let f = &item.feedback;
                    tr {
                        td.date { (shanghai_minute(f.discovered_at())) }
                        td { a href=(format!("/feedback/{}", item.id)) { (short_summary(&f.summary)) } }
                        td { (f.source.label()) }
                        td { (f.category) }
                        td.nowrap { (f.level.label()) }
                        td.person { (f.owner.name) }
                        td { (status_badge(f)) }
                        td { (deadline_badges(&deadlines(f, &state.feedback_limits, now))) }
                    }
                }
            }
        } }
    }
}

/// GET /units/{id}/feedback
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
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
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
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
    html! {
        h2 { "从 CSV 导入" }
        p.muted { "UTF-8 编码，第一行为表头：来源、内容摘要、类别、等级、责任人、发现时间、发现人为必填列；可选来源说明、链接、发现情况，以及核实、报告、处置、回应、办结各步骤的“时间”“人”“情况”列（报告对象、回应方式）。整个文件校验无误后才写入，有错则一条也不写入。" }
        form.toolbar method="post" action=(format!("/units/{group}/feedback/import")) enctype="multipart/form-data" {
            (csrf_field(user))
            input type="file" name="file" accept=".csv,text/csv" required;
            button.btn.plain type="submit" { "导入" }
        }
    }
}

fn new_form(
    view: &View,
    user: &CurrentUser,
    group: i64,
    now: DateTime<Utc>,
    values: &ItemInput,
    error: Option<&str>,
) -> Markup {
    let people = people_of(view, group);
    let owner = values.owner_id.unwrap_or(user.person.id);
    let finder = values.discovered_by.unwrap_or(user.person.id);
    let at = if values.discovered_at.is_empty() { local_input_value(now) } else { values.discovered_at.clone() };
    html! {
        p { a href=(format!("/units/{group}/feedback")) { "← 返回台账" } }
        h1 { "登记舆情与诉求" }
        @if let Some(e) = error { div.flash.error { (e) } }
        form.record method="post" action=(format!("/units/{group}/feedback")) {
            (csrf_field(user))
            label for="source_kind" { "来源" }
            select #source_kind name="source_kind" required {
                @for k in SourceKind::ALL { option value=(k.code()) selected[k.code() == values.source_kind] { (k.label()) } }
            }
            label for="source_detail" { "平台或来源说明（如 微博、12345热线）" }
            input #source_detail type="text" name="source_detail" value=(values.source_detail);
            label for="source_url" { "公开链接（网络平台必填）" }
            input #source_url type="url" name="source_url" value=(values.source_url) placeholder="https://";
            label for="summary" { "内容摘要" }
            textarea #summary name="summary" rows="3" required { (values.summary) }
            label for="category" { "类别" }
            input #category type="text" name="category" list="categories" value=(values.category) required;
            datalist #categories { @for c in CATEGORIES { option value=(c) {} } }
            label for="level" { "等级" }
            select #level name="level" required {
                @for l in Level::ALL { option value=(l.code()) selected[l.code() == values.level] { (l.label()) } }
            }
            label for="owner_id" { "责任人" }
            select #owner_id name="owner_id" { (person_options(&people, owner)) }
            label for="discovered_at" { "发现时间" }
            input #discovered_at type="datetime-local" name="discovered_at" value=(at) required;
            label for="discovered_by" { "发现人" }
            select #discovered_by name="discovered_by" { (person_options(&people, finder)) }
            label for="note" { "发现情况（可选）" }
            textarea #note name="note" rows="2" { (values.note) }
            button.btn type="submit" { "保存" }
        }
    }
}

/// GET /units/{id}/feedback/new
pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    let markup = new_form(&view, &user, group, state.now(), &ItemInput::default(), None);
    Ok(page("登记舆情与诉求", Some(&user), markup).into_response())
}

/// A posted form as name → value; empty values count as absent.
type Fields = HashMap<String, String>;

fn text(fields: &Fields, name: &str) -> String {
    fields.get(name).cloned().unwrap_or_default()
}

fn person_id(fields: &Fields, name: &str) -> Option<i64> {
    fields.get(name).and_then(|v| v.trim().parse().ok())
}

fn item_input(f: &Fields) -> ItemInput {
    ItemInput {
        source_kind: text(f, "source_kind"),
        source_detail: text(f, "source_detail"),
        source_url: text(f, "source_url"),
        summary: text(f, "summary"),
        category: text(f, "category"),
        level: text(f, "level"),
        owner_id: person_id(f, "owner_id"),
        discovered_at: text(f, "discovered_at"),
        discovered_by: person_id(f, "discovered_by"),
        note: text(f, "note"),
    }
}

/// POST /units/{id}/feedback
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    user.check_csrf(&text(&fields, "csrf"))?;
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    let input = item_input(&fields);
    match service::create(&state, &view, &user, id, &input).await.map_err(AppError::from) {
        Ok(item) => Ok(Redirect::to(&format!("/feedback/{}", item.id)).into_response()),
        Err(AppError::BadRequest(m)) => {
            let markup = new_form(&view, &user, group, state.now(), &input, Some(&m));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("登记舆情与诉求", Some(&user), markup)).into_response())
        }
        Err(e) => Err(e),
    }
}

fn step_details(s: &taizhang_core::feedback::Step) -> Markup {
    html! {
        @if let Some(to) = &s.to { "报告对象：" (to) br; }
        @if let Some(form) = s.form { "回应方式：" (form.label()) br; }
        (s.note)
    }
}

/// The form for the next step; the server checks the order again.
fn step_form(view: &View, user: &CurrentUser, item: &FeedbackItem, now: DateTime<Utc>) -> Markup {
    let allowed = item.feedback.allowed_next();
    let people = people_of(view, item.unit_id);
    html! {
        @if !allowed.is_empty() {
            h2 { "登记下一步" }
            form.record method="post" action=(format!("/feedback/{}/steps", item.id)) {
                (csrf_field(user))
                label for="kind" { "步骤" }
                select #kind name="kind" required {
                    @for k in &allowed { option value=(k.code()) { (k.label()) } }
                }
                label for="at" { "时间" }
                input #at type="datetime-local" name="at" value=(local_input_value(now)) required;
                label for="by" { "办理人" }
                select #by name="by" { (person_options(&people, user.person.id)) }
                @if allowed.contains(&StepKind::Report) {
                    label for="to" { "报告对象（登记“报告”时填写）" }
                    input #to type="text" name="to" placeholder="如 县委宣传部、局党组书记";
                }
                @if allowed.contains(&StepKind::Respond) {
                    label for="form" { "回应方式（登记“回应”时选择）" }
                    select #form name="form" {
                        @for f in ResponseForm::ALL { option value=(f.code()) { (f.label()) } }
                    }
                }
                label for="note" { "情况（核实结果、处置措施、回应内容、办结评估等）" }
                textarea #note name="note" rows="3" {}
                button.btn type="submit" { "登记" }
            }
        }
    }
}

fn item_page(state: &AppState, view: &View, user: &CurrentUser, item: &FeedbackItem, error: Option<&str>) -> Markup {
    let f = &item.feedback;
    let now = state.now();
    let limits = deadlines(f, &state.feedback_limits, now);
    let open = f.status() != FeedbackStatus::Closed;
    let body = html! {
        p { a href=(format!("/units/{}/feedback", item.unit_id)) { "← 返回台账" } }
        h1 { (short_summary(&f.summary)) }
        p { (status_badge(f)) " " (deadline_badges(&limits)) }
        @if let Some(e) = error { div.flash.error { (e) } }
        table {
            tr { th { "内容摘要" } td { (f.summary) } }
            tr { th { "来源" } td { (f.source.label()) } }
            tr { th { "公开链接" } td { @if let Some(u) = &f.source.url { a href=(u) rel="noreferrer" { (u) } } } }
            tr { th { "类别" } td { (f.category) } }
            tr { th { "等级" } td { (f.level.label()) } }
            tr { th { "责任人" } td { (f.owner.name) } }
            tr { th { "发现时间" } td { (shanghai_minute(f.discovered_at())) } }
        }
        h2 { "处置时限" }
        table {
            thead { tr { th { "要求" } th { "期限" } th { "情况" } } }
            tbody {
                @for d in &limits {
                    tr {
                        td { "发现后" (d.deadline.hours) "小时内" (d.deadline.action) }
                        td.date { (shanghai_minute(d.due_at)) }
                        td { span class=(format!("badge {}", d.class())) { (d.label()) } }
                    }
                }
            }
        }
        @if open {
            p { strong { "须办理人：" }
                (service::must_act(view, item.unit_id, f).iter().map(|(r, n)| format!("{r}：{n}")).collect::<Vec<_>>().join("；")) }
        }
        h2 { "处置记录" }
        table.history {
            thead { tr { th { "步骤" } th { "时间" } th { "办理人" } th { "情况" } } }
            tbody {
                @for s in &f.steps {
                    tr { td.nowrap { (s.kind.label()) } td.date { (shanghai_minute(s.at)) } td.person { (s.by.name) } td { (step_details(s)) } }
                }
            }
        }
        @if view.access(user).can_write(item.unit_id) { (step_form(view, user, item, now)) }
    };
    page(&short_summary(&f.summary), Some(user), body)
}

/// GET /feedback/{id}
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let item = service::load(&state, &view, &user, id, false).await?;
    Ok(item_page(&state, &view, &user, &item, None).into_response())
}

/// POST /feedback/{id}/steps; a refused step shows the entry with the reason.
pub async fn record_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    user.check_csrf(&text(&fields, "csrf"))?;
    let view = View::load(&state).await?;
    let kind = text(&fields, "kind");
    // The one form carries the fields of every step: keep only this step's.
    let input = StepInput {
        at: text(&fields, "at"),
        by: person_id(&fields, "by"),
        note: text(&fields, "note"),
        to: fields.get("to").cloned().filter(|_| kind == StepKind::Report.code()),
        form: fields.get("form").cloned().filter(|_| kind == StepKind::Respond.code()),
        kind,
    };
    match service::record_step(&state, &view, &user, id, &input).await.map_err(AppError::from) {
        Ok(_) => Ok(Redirect::to(&format!("/feedback/{id}")).into_response()),
        Err(AppError::BadRequest(m)) => {
            let item = service::load(&state, &view, &user, id, false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, item_page(&state, &view, &user, &item, Some(&m))).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    pub week: Option<String>,
}

/// GET /units/{id}/feedback/weekly?week=2026-W47
pub async fn weekly_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<WeekQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let items = service::list(&state, &view, &user, id).await?;
    let group = view.group_of(id)?;
    let monday = match q.week.as_deref().filter(|w| !w.trim().is_empty()) {
        Some(w) => parse_week(w).ok_or_else(|| AppError::BadRequest(format!("周次“{w}”无法识别，应如 2026-W47")))?,
        None => parse_week(&week_code(state.today())).expect("a week code parses"),
    };
    let now = state.now();
    let entries: Vec<&Feedback> = items.iter().map(|i| &i.feedback).collect();
    let w = weekly(&entries, &state.feedback_limits, monday, now);
    let code = week_code(monday);
    let sunday = monday + Duration::days(6);
    let label = format!("{}（{}—{}）", code.replace("-W", "年第") + "周", short_date(monday), short_date(sunday));
    let listed: Vec<&FeedbackItem> = w.items.iter().map(|i| &items[*i]).collect();
    let week_end = shanghai_day_start(monday + Duration::days(7)).min(now);
    let base = format!("/units/{}/feedback/weekly", group.id);
    let body = html! {
        p { a href=(format!("/units/{}/feedback", group.id)) { "← 返回台账" } }
        h1 { (group.name) " · 舆情与诉求每周汇总" }
        form.toolbar method="get" action=(base) {
            a.btn.plain href=(format!("{base}?week={}", week_code(monday - Duration::days(7)))) { "上一周" }
            label { "周次 " input type="text" name="week" value=(code) size="9"; }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("{base}?week={}", week_code(monday + Duration::days(7)))) { "下一周" }
        }
        h2 { (label) }
        p.muted { "本周涉及：本周前发现且本周开始时未办结的事项，以及本周新发现的事项；逾期：本周内有时限已过而未完成。情况截至" (shanghai_minute(week_end)) "。" }
        div.cards {
            div.card { span.badge.s-pending { "本周涉及" } b { (w.items.len()) } }
            div.card { span.badge.s-due_soon { "新发现" } b { (w.new) } }
            div.card { span.badge.s-met { "已办结" } b { (w.closed) } }
            div.card { span.badge.s-overdue { "逾期" } b { (w.overdue) } }
        }
        h2 { "按等级" }
        table { thead { tr { @for (l, _) in &w.by_level { th { (l.label()) } } } }
            tbody { tr { @for (_, n) in &w.by_level { td { (n) } } } } }
        h2 { "按类别" }
        @if w.by_category.is_empty() { p.muted { "无" } }
        @else { table { thead { tr { th { "类别" } th { "件数" } } }
            tbody { @for (c, n) in &w.by_category { tr { td { (c) } td { (n) } } } } } }
        h2 { "事项（" (listed.len()) "）" }
        (items_table(&state, &listed, now))
        @if listed.is_empty() { p.muted { "本周没有舆情与诉求事项。" } }
        p.muted { "今天：" (chinese_date(state.today())) }
    };
    Ok(page("舆情与诉求每周汇总", Some(&user), body).into_response())
}

/// GET /units/{id}/feedback.xlsx?period=2026: the entries discovered in the period.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
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
    let bytes = write_xlsx(&ledger).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("{}{}舆情与诉求处置台账.xlsx", group.name, period.label());
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&name, "feedback-ledger.xlsx")),
        ],
        bytes,
    )
        .into_response())
}

fn import_errors_page(user: &CurrentUser, group: i64, errors: &[ImportError]) -> Markup {
    let body = html! {
        p { a href=(format!("/units/{group}/feedback")) { "← 返回台账" } }
        h1 { "导入失败" }
        div.flash.error { "文件有" (errors.len()) "处错误，一条也没有导入。请改正后重新导入。" }
        ul.errors { @for e in errors { li { (e.to_string()) } } }
        (import_form(user, group))
    };
    page("导入失败", Some(user), body)
}

/// POST /units/{id}/feedback/import (multipart): all rows or none.
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = Upload::read(form, &["file"], UPLOAD_MAX_BYTES).await?;
    user.check_csrf(upload.field("csrf"))?;
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    let text = upload.text_file("file")?;
    match service::import(&state, &view, &user, id, &text).await? {
        Ok(n) => Ok(Redirect::to(&format!("/units/{group}/feedback?imported={n}")).into_response()),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, import_errors_page(&user, group, &errors)).into_response())
        }
    }
}

/// The dashboard's section: open entries past a time limit, with reasons
/// and who must act. Empty when there are none.
pub async fn dashboard_section(state: &AppState, view: &View, group: i64) -> Result<Markup, AppError> {
    let items = state.store.feedback_items(&[group]).await?;
    let overdue = service::overdue(state, &items, state.now());
    if overdue.is_empty() {
        return Ok(html! {});
    }
    Ok(html! {
        h2 { "需要办理的舆情与诉求（" (overdue.len()) "）" }
        div.scroll { table.feedback-overdue {
            thead { tr { th { "状态" } th { "事项" } th { "等级" } th { "原因" } th { "须办理人" } th { "期限" } } }
            tbody {
                @for o in &overdue {
                    @let f = &o.item.feedback;
                    tr {
                        td { span.badge.s-overdue { "已逾期" } }
                        td { a href=(format!("/feedback/{}", o.item.id)) { (short_summary(&f.summary)) } br; span.muted { (f.category) } }
                        td.nowrap { (f.level.label()) }
                        td { @for d in &o.overdue { (overdue_reason(f, d)) br; } }
                        td.person { @for (role, name) in service::must_act(view, group, f) { (role) "：" (name) br; } }
                        td.date { @for d in &o.overdue { (shanghai_minute(d.due_at)) br; } }
                    }
                }
            }
        } }
    })
}
