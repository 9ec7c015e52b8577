//! Record lists, forms and detail pages. Forms are generated from the
//! field schema in `taizhang_core::fields`, the same one the CSV importer
//! uses, so the two can never disagree.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use taizhang_app::records;
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::fields::{field_texts, fields, parse_date, parse_record, FieldSpec, FieldType, REPORT_TYPES};
use taizhang_core::org::UnitKind;
use taizhang_core::period::{chinese_date, shanghai_minute};
use taizhang_core::record::{BranchMeetingType, FieldError, Record, RecordKind};
use taizhang_store::NewRecord;

/// A field's text for reading: a channel by its name rather than its id.
fn display_value(view: &View, spec: &FieldSpec, text: &str) -> String {
    match spec.ty {
        FieldType::Channel => text
            .parse::<i64>()
            .ok()
            .and_then(|id| view.org.channels.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| text.to_string()),
        _ => text.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub kind: Option<String>,
    #[serde(flatten)]
    pub period: PeriodQuery,
}

fn kind_param(text: Option<&str>) -> Result<Option<RecordKind>, AppError> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => RecordKind::parse(t).map(Some).ok_or_else(|| AppError::BadRequest(format!("未知的记录类别：{t}"))),
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let access = view.access(&user);
    access.require_view(id)?;
    let group = view.group_of(id)?;
    let period = q.period.resolve(&state)?;
    let kind = kind_param(q.kind.as_deref())?;
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let records = state.store.records(&units, kind, period.first_day(), period.last_day()).await?;
    let body = html! {
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · " (period.label()) "工作记录" }
        (super::downloads::download_buttons(group.id, &period.code(), kind.map(|k| k.code())))
        form.toolbar method="get" action=(format!("/units/{}/records", group.id)) {
            select name="kind" {
                option value="" { "全部类别" }
                @for k in RecordKind::ALL { option value=(k.code()) selected[kind == Some(k)] { (k.label()) } }
            }
            input type="text" name="period" value=(period.code()) size="8";
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
    };
    Ok(page("工作记录", Some(&user), body).into_response())
}

/// What a form shows: the values typed so far and any errors.
struct FormState<'a> {
    kind: RecordKind,
    values: &'a HashMap<String, String>,
    errors: &'a [FieldError],
}

fn input(kind: RecordKind, spec: &FieldSpec, value: &str, view: &View, group: i64) -> Markup {
    let name = spec.name;
    match spec.ty {
        FieldType::Text => html! { input type="text" id=(name) name=(name) value=(value) required[spec.required]; },
        FieldType::LongText | FieldType::Names | FieldType::Absences | FieldType::Agenda => {
            html! { textarea id=(name) name=(name) required[spec.required] { (value) } }
        }
        FieldType::Date => {
            let iso = parse_date(value).map(|d| d.to_string()).unwrap_or_default();
            html! { input type="date" id=(name) name=(name) value=(iso); }
        }
        FieldType::Bool => {
            html! { input type="checkbox" id=(name) name=(name) checked[matches!(value, "是" | "on" | "true" | "1")]; }
        }
        FieldType::Count => html! { input type="number" min="0" id=(name) name=(name) value=(value); },
        FieldType::MeetingType => html! {
            select id=(name) name=(name) {
                @for t in BranchMeetingType::ALL { option value=(t.code()) selected[value == t.code() || value == t.label()] { (t.label()) } }
            }
        },
        FieldType::ReportType => html! {
            select id=(name) name=(name) {
                @for (code, label) in REPORT_TYPES { option value=(code) selected[value == *code || value == *label] { (label) } }
            }
        },
        FieldType::Channel => {
            let units: Vec<i64> = view.tree.subtree(group).iter().map(|u| u.id).collect();
            html! {
                select id=(name) name=(name) required {
                    @for c in view.org.channels.iter().filter(|c| units.contains(&c.unit_id) && kind.suits_channel(&c.kind)) {
                        option value=(c.id) selected[value == c.id.to_string()] { (c.name) }
                    }
                }
            }
        }
    }
}

fn record_form(
    view: &View,
    group: i64,
    action: &str,
    state: &FormState,
    user: &CurrentUser,
    revision: Option<i64>,
) -> Markup {
    let value = |name: &str| state.values.get(name).cloned().unwrap_or_default();
    let unit_choices: Vec<_> = view
        .record_units(group)
        .into_iter()
        .filter(|u| (state.kind == RecordKind::BranchMeeting) == (u.kind == UnitKind::Branch))
        .collect();
    html! {
        @if !state.errors.is_empty() {
            div.flash.error { "请修改以下内容后再保存：" ul { @for e in state.errors { li { (e.message) } } } }
        }
        form.record method="post" action=(action) {
            (csrf_field(user))
            input type="hidden" name="kind" value=(state.kind.code());
            @if let Some(rev) = revision { input type="hidden" name="revision" value=(rev); }
            label for="unit_id" { "所属单位" }
            select id="unit_id" name="unit_id" {
                @for u in &unit_choices { option value=(u.id) selected[value("unit_id") == u.id.to_string()] { (u.name) } }
            }
            label for="occurred_on" { "日期（开展或发生的日期）" }
            input type="date" id="occurred_on" name="occurred_on" required value=(parse_date(&value("occurred_on")).map(|d| d.to_string()).unwrap_or_default());
            @for spec in fields(state.kind) {
                label for=(spec.name) { (spec.label) @if spec.required { " *" } }
                (input(state.kind, spec, &value(spec.name), view, group))
                @if !spec.help.is_empty() { div.help { (spec.help) } }
            }
            p { button.btn type="submit" { "保存" } }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
    /// Preselects the channel of a record about one (from the channel ledger).
    channel_id: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?;
    let body = match kind_param(q.kind.as_deref())? {
        None => html! {
            h1 { "录入记录：选择类别" }
            ul { @for k in RecordKind::ALL { li { a href=(format!("/units/{}/records/new?kind={}", group.id, k.code())) { (k.label()) } } } }
        },
        Some(kind) => {
            let mut values = HashMap::from([("occurred_on".to_string(), state.today().to_string())]);
            if let Some(channel) = q.channel_id {
                values.insert("channel_id".into(), channel.to_string());
            }
            let form = FormState { kind, values: &values, errors: &[] };
            html! {
                h1 { "录入：" (kind.label()) }
                (record_form(&view, group.id, &format!("/units/{}/records", group.id), &form, &user, None))
            }
        }
    };
    Ok(page("录入记录", Some(&user), body).into_response())
}

/// Turns a posted form into the unit, date and content of a record.
fn parse_form(
    view: &View,
    group: i64,
    values: &HashMap<String, String>,
) -> Result<(RecordKind, NewRecord), (RecordKind, Vec<FieldError>)> {
    let kind = values.get("kind").and_then(|k| RecordKind::parse(k)).unwrap_or(RecordKind::Study);
    let mut errors = Vec::new();
    let unit_id = values
        .get("unit_id")
        .and_then(|u| u.parse::<i64>().ok())
        .filter(|u| view.record_units(group).iter().any(|x| x.id == *u));
    if unit_id.is_none() {
        errors.push(FieldError { field: "unit_id", message: "请选择本单位或其下属党支部".into() });
    }
    let occurred_on: Option<NaiveDate> = values.get("occurred_on").and_then(|d| parse_date(d));
    if occurred_on.is_none() {
        errors.push(FieldError { field: "occurred_on", message: "请填写日期".into() });
    }
    let data = parse_record(kind, |name| values.get(name).cloned());
    match (unit_id, occurred_on, data) {
        (Some(unit_id), Some(occurred_on), Ok(data)) if errors.is_empty() => {
            Ok((kind, NewRecord { unit_id, occurred_on, data }))
        }
        (_, _, Err(mut e)) => {
            errors.append(&mut e);
            Err((kind, errors))
        }
        _ => Err((kind, errors)),
    }
}

fn form_error_page(
    view: &View,
    group: i64,
    action: &str,
    values: &HashMap<String, String>,
    kind: RecordKind,
    errors: &[FieldError],
    user: &CurrentUser,
) -> Response {
    let form = FormState { kind, values, errors };
    let revision = values.get("revision").and_then(|r| r.parse().ok());
    let body = html! { h1 { "录入：" (kind.label()) } (record_form(view, group, action, &form, user, revision)) };
    (StatusCode::UNPROCESSABLE_ENTITY, page("请修改后保存", Some(user), body)).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    user.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    let action = format!("/units/{group}/records");
    let new = match parse_form(&view, group, &values) {
        Ok((_, new)) => new,
        Err((kind, errors)) => return Ok(form_error_page(&view, group, &action, &values, kind, &errors, &user)),
    };
    let record = records::create(&state, &view, &user, &new).await?;
    Ok(Redirect::to(&format!("/records/{}?saved=1", record.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let (record, group) = records::load(&state, &view, &user, id, false).await?;
    let revisions = state.store.revisions(id).await?;
    let can_write = view.access(&user).can_write(record.unit_id);
    let body = html! {
        p { a href=(format!("/units/{group}/records")) { "← 返回记录列表" } }
        @if q.saved.is_some() { div.flash.ok { "已保存。" } }
        h1 { (record.kind().label()) "：" (record.data.title()) }
        table {
            tr { th { "所属" } td { (view.tree.get(record.unit_id).map(|u| u.name.as_str()).unwrap_or("")) } }
            tr { th { "日期" } td { (chinese_date(record.occurred_on)) } }
            @for (spec, text) in field_texts(&record.data) {
                tr { th { (spec.label) } td style="white-space:pre-wrap" { (display_value(&view, spec, &text)) } }
            }
            tr { th { "录入时间" } td { (shanghai_minute(record.entered_at)) } }
            tr { th { "版本" } td { "第" (record.revision) "版" } }
        }
        @if can_write { p { a.btn href=(format!("/records/{id}/edit")) { "修改" } } }
        @if !revisions.is_empty() {
            h2 { "历史版本" }
            table {
                thead { tr { th { "版本" } th { "日期" } th { "内容" } th { "被替换时间" } } }
                tbody { @for r in &revisions { tr { td { "第" (r.revision) "版" } td { (chinese_date(r.occurred_on)) } td { (r.data.title()) } td { (shanghai_minute(r.replaced_at)) } } } }
            }
        }
    };
    Ok(page("记录", Some(&user), body).into_response())
}

fn values_of(record: &Record) -> HashMap<String, String> {
    let mut values: HashMap<String, String> =
        field_texts(&record.data).into_iter().map(|(s, v)| (s.name.to_string(), v)).collect();
    values.insert("unit_id".into(), record.unit_id.to_string());
    values.insert("occurred_on".into(), record.occurred_on.to_string());
    values
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let (record, group) = records::load(&state, &view, &user, id, true).await?;
    let values = values_of(&record);
    let form = FormState { kind: record.kind(), values: &values, errors: &[] };
    let body = html! {
        h1 { "修改：" (record.kind().label()) }
        p.muted { "保存后原内容作为历史版本保留。" }
        (record_form(&view, group, &format!("/records/{id}"), &form, &user, Some(record.revision)))
    };
    Ok(page("修改记录", Some(&user), body).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(mut values): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    user.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let view = View::load(&state).await?;
    let (record, group) = records::load(&state, &view, &user, id, true).await?;
    values.insert("kind".into(), record.kind().code().into());
    let action = format!("/records/{id}");
    let new = match parse_form(&view, group, &values) {
        Ok((_, new)) => new,
        Err((kind, errors)) => return Ok(form_error_page(&view, group, &action, &values, kind, &errors, &user)),
    };
    let revision = values.get("revision").and_then(|r| r.parse().ok());
    records::update(&state, &view, &user, id, revision, Some(new.unit_id), new.occurred_on, &new.data).await?;
    Ok(Redirect::to(&format!("/records/{id}?saved=1")).into_response())
}
