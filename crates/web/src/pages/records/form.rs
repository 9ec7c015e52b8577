//! The record form, generated from the field schema: entering a record,
//! and editing one (a stale edit comes back as typed, beside the version
//! saved meanwhile).

use super::{display_value, kind_param};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::form::{current_version, respond, Refusal, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::pages::upload::FormWithFiles;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use taizhang_app::records;
use taizhang_app::view::View;
use taizhang_core::fields::{field_texts, fields, parse_date, parse_record, FieldSpec, FieldType, REPORT_TYPES};
use taizhang_core::org::UnitKind;
use taizhang_core::period::chinese_date;
use taizhang_core::record::{BranchMeetingType, FieldError, Record, RecordKind};
use taizhang_store::NewRecord;

/// A record form's fields by name: the schema decides which there are.
type Values = HashMap<String, String>;

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

/// A record form: its kind, where it posts, the values typed so far, and
/// for an edit the revision read.
struct RecordForm<'a> {
    kind: RecordKind,
    action: String,
    values: &'a Values,
    revision: Option<i64>,
}

fn record_form(view: &View, group: i64, f: &RecordForm, user: &CurrentUser) -> Markup {
    let value = |name: &str| f.values.get(name).cloned().unwrap_or_default();
    let unit_choices: Vec<_> = view
        .record_units(group)
        .into_iter()
        .filter(|u| (f.kind == RecordKind::BranchMeeting) == (u.kind == UnitKind::Branch))
        .collect();
    html! {
        form.record method="post" action=(f.action) enctype=[f.revision.is_none().then_some("multipart/form-data")] {
            (csrf_field(user))
            input type="hidden" name="kind" value=(f.kind.code());
            @if let Some(rev) = f.revision { input type="hidden" name="revision" value=(rev); }
            label for="unit_id" { "所属单位" }
            select id="unit_id" name="unit_id" {
                @for u in &unit_choices { option value=(u.id) selected[value("unit_id") == u.id.to_string()] { (u.name) } }
            }
            label for="occurred_on" { "日期（开展或发生的日期）" }
            input type="date" id="occurred_on" name="occurred_on" required value=(parse_date(&value("occurred_on")).map(|d| d.to_string()).unwrap_or_default());
            @for spec in fields(f.kind) {
                label for=(spec.name) { (spec.label) @if spec.required { " *" } }
                (input(f.kind, spec, &value(spec.name), view, group))
                @if !spec.help.is_empty() { div.help { (spec.help) } }
            }
            // A new record takes its files with it; an edit's are on the record's page.
            @if f.revision.is_none() { (crate::pages::attachments::optional_files("-new")) }
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

pub async fn new_form(c: Ctx, Query(q): Query<NewQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let body = match kind_param(q.kind.as_deref())? {
        None => html! {
            h1 { "录入记录：选择类别" }
            ul { @for k in RecordKind::ALL { li { a href=(format!("/units/{group}/records/new?kind={}", k.code())) { (k.label()) } } } }
        },
        Some(kind) => {
            let mut values = Values::from([("occurred_on".to_string(), state.today().to_string())]);
            if let Some(channel) = q.channel_id {
                values.insert("channel_id".into(), channel.to_string());
            }
            let f = RecordForm { kind, action: format!("/units/{group}/records"), values: &values, revision: None };
            html! { h1 { "录入：" (kind.label()) } (record_form(&view, group, &f, &user)) }
        }
    };
    Ok(page("录入记录", Some(&user), body).into_response())
}

/// Turns a posted form into the unit, date and content of a record.
fn parse_form(view: &View, group: i64, kind: RecordKind, values: &Values) -> taizhang_app::Result<NewRecord> {
    let mut errors = Vec::new();
    let unit_id = values
        .get("unit_id")
        .and_then(|u| u.parse::<i64>().ok())
        .filter(|u| view.record_units(group).iter().any(|x| x.id == *u));
    if unit_id.is_none() {
        errors.push(FieldError { field: "unit_id", message: "请选择本单位或其下属党支部".into() });
    }
    let typed = values.get("occurred_on").map(|d| d.trim()).unwrap_or_default();
    let occurred_on = parse_date(typed);
    if occurred_on.is_none() {
        let message = if typed.is_empty() {
            "请填写日期".to_string()
        } else {
            format!("日期“{typed}”无效，应如 2026-11-20")
        };
        errors.push(FieldError { field: "occurred_on", message });
    }
    match (unit_id, occurred_on, parse_record(kind, |name| values.get(name).cloned())) {
        (Some(unit_id), Some(occurred_on), Ok(data)) => Ok(NewRecord { unit_id, occurred_on, data }),
        (_, _, data) => {
            errors.extend(data.err().unwrap_or_default());
            Err(taizhang_app::Error::Fields(errors))
        }
    }
}

/// The form again after a refusal, with what was typed; after a conflict
/// also the record as saved meanwhile, whose revision a second save takes.
fn refused(
    view: &View,
    group: i64,
    user: &CurrentUser,
    mut f: RecordForm,
    refusal: Refusal,
    saved: Option<&Record>,
) -> Markup {
    let current = saved.filter(|_| refusal.conflict).map(|r| {
        f.revision = Some(r.revision);
        let mut rows = vec![("日期", chinese_date(r.occurred_on))];
        rows.extend(
            field_texts(&r.data).into_iter().map(|(spec, text)| (spec.label, display_value(view, spec, &text))),
        );
        current_version(r.revision, &rows)
    });
    let body = html! {
        h1 { "录入：" (f.kind.label()) }
        (refusal.flash())
        @if f.revision.is_none() { p.muted { "如已选择佐证材料文件，请重新选择（浏览器不会保留所选文件）。" } }
        (record_form(view, group, &f, user))
        @if let Some(c) = current { (c) }
    };
    page("请修改后保存", Some(user), body)
}

/// POST /units/{id}/records: a url-encoded form, or a multipart one
/// with files, attached in the record's own transaction.
pub async fn create(c: Ctx, FormWithFiles { form, files, .. }: FormWithFiles<Values>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let kind = form.get("kind").and_then(|k| RecordKind::parse(k)).unwrap_or(RecordKind::Study);
    let outcome = match (parse_form(&view, group, kind, &form), files) {
        (Ok(new), Ok(files)) => records::create_with_files(&state, &view, &user, &new, files).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let f = RecordForm { kind, action: format!("/units/{group}/records"), values: &form, revision: None };
    respond(
        outcome,
        |record| format!("/records/{}", record.id),
        async |refusal| Ok(refused(&view, group, &user, f, refusal, None)),
    )
    .await
}

fn values_of(record: &Record) -> Values {
    let mut values: Values = field_texts(&record.data).into_iter().map(|(s, v)| (s.name.to_string(), v)).collect();
    values.insert("unit_id".into(), record.unit_id.to_string());
    values.insert("occurred_on".into(), record.occurred_on.to_string());
    values
}

pub async fn edit_form(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (record, group) = records::load(&state, &view, &user, id, true).await?;
    let values = values_of(&record);
    let f = RecordForm {
        kind: record.kind(),
        action: format!("/records/{id}"),
        values: &values,
        revision: Some(record.revision),
    };
    let body = html! {
        h1 { "修改：" (record.kind().label()) }
        p.muted { "保存后原内容作为历史版本保留。" }
        (record_form(&view, group, &f, &user))
    };
    Ok(page("修改记录", Some(&user), body).into_response())
}

pub async fn update(c: Ctx, Submitted { form, .. }: Submitted<Values>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (record, group) = records::load(&state, &view, &user, id, true).await?;
    let kind = record.kind();
    let revision = form.get("revision").and_then(|r| r.parse().ok());
    let outcome = match parse_form(&view, group, kind, &form) {
        Ok(new) => {
            let edit =
                records::Edit { revision, unit_id: Some(new.unit_id), occurred_on: new.occurred_on, data: &new.data };
            records::update(&state, &view, &user, id, edit).await
        }
        Err(e) => Err(e),
    };
    let f = RecordForm { kind, action: format!("/records/{id}"), values: &form, revision };
    respond(
        outcome,
        |_| format!("/records/{id}"),
        async |refusal| {
            let saved = records::load(&state, &view, &user, id, false).await?.0;
            Ok(refused(&view, group, &user, f, refusal, Some(&saved)))
        },
    )
    .await
}
