//! The JSON API under `/api/v1`: the same operations as the pages, for
//! other systems. Authentication: `POST /api/v1/session` returns a token
//! sent as `Authorization: Bearer TOKEN`; no CSRF token is needed.

use crate::auth::{self, CurrentUser};
use crate::context::Ctx;
use crate::error::{serde_message, ApiError, AppError};
use crate::pages::list_controls::{paginate, ListQuery};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use taizhang_app::records;
use taizhang_app::view::{evaluate_group, PeriodQuery, View};
use taizhang_core::engine::DutyStatus;
use taizhang_core::record::{Record, RecordData, RecordKind};
use taizhang_store::NewRecord;

pub(crate) mod assessment;
pub(crate) mod attachments;
pub(crate) mod calendar;
pub(crate) mod drafts;
pub(crate) mod feedback;
pub(crate) mod news;
pub(crate) mod rectifications;
mod register;
pub(crate) mod reminders;
pub(crate) mod risks;

const OPENAPI: &str = include_str!("openapi.json");

/// The caller of an API route; a missing or expired token is a JSON 401.
pub(crate) struct ApiUser(CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ApiUser(CurrentUser::from_request_parts(parts, state).await?))
    }
}

/// A query string as `T`, refused as a Chinese JSON error like every other.
pub(crate) struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiQuery(crate::form::parse_query(parts)?))
    }
}

/// A register list's query over the API: the same search, filters and
/// `page` as the list page's, refused as a Chinese JSON error.
pub(crate) struct ApiList(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for ApiList {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiList(ListQuery::parse(&parts.uri)?))
    }
}

impl ApiList {
    /// `rows`: all of them, or the page asked for (`page`, 50 a page).
    pub fn page<'a, T>(&self, rows: &'a [T]) -> Result<&'a [T], ApiError> {
        match self.0.get("page") {
            None => Ok(rows),
            Some(_) => Ok(paginate(rows, self.0.page()?).rows),
        }
    }
}

/// `Json` whose rejection is a Chinese JSON error like every other.
pub(crate) struct Body<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("请求内容有误：{}", rejection_text(&e))))?;
        refuse_nul_in(&value)?;
        serde_json::from_value(value)
            .map(Body)
            .map_err(|e| AppError::BadRequest(format!("请求内容有误：{}", serde_message(&e.to_string()))).into())
    }
}

/// A 201 with the JSON of what was created.
pub(crate) fn created(out: Value) -> Response {
    (StatusCode::CREATED, Json(out)).into_response()
}

/// A 400 for a request that lacks what an action needs.
pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
    AppError::BadRequest(message.into()).into()
}

/// The value an action needs, or a 400 saying so.
pub(crate) fn needed<T>(value: Option<T>, message: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| bad_request(message))
}

/// The 400 for an `action` that is none of `known`.
pub(crate) fn unknown_action(action: &str, known: &str) -> ApiError {
    bad_request(format!("未知的操作：{action}（可用 {known}）"))
}

/// Every string of a JSON body, keys included, checked for NUL.
fn refuse_nul_in(value: &Value) -> Result<(), AppError> {
    match value {
        Value::String(s) => crate::error::refuse_nul(s),
        Value::Array(items) => items.iter().try_for_each(refuse_nul_in),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| crate::error::refuse_nul(k).and(refuse_nul_in(v))),
        _ => Ok(()),
    }
}

fn rejection_text(e: &JsonRejection) -> String {
    match e {
        JsonRejection::MissingJsonContentType(_) => "须为 JSON（Content-Type: application/json）".into(),
        JsonRejection::JsonSyntaxError(_) => "JSON 格式不对".into(),
        other => serde_message(&other.body_text()),
    }
}

pub(crate) async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], register::openapi_document()).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Credentials {
    username: String,
    password: String,
}

pub(crate) async fn create_session(
    State(state): State<AppState>,
    Body(c): Body<Credentials>,
) -> Result<Json<Value>, ApiError> {
    let token = auth::login(&state, &c.username, &c.password, "api").await?;
    Ok(Json(json!({ "token": token })))
}

pub(crate) async fn delete_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<StatusCode, ApiError> {
    user.logout(&state).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
pub(crate) struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

/// PUT /api/v1/me/password: `{"current", "new"}`; the caller's other
/// sessions end, this token stays valid.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Body(change): Body<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    taizhang_app::accounts::change_own_password(&state, &user, &change.current, &change.new, Some(user.session_hash()))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /api/v1/me/todo: the caller's open items, most urgent first, each
/// with the `url` of the page that opens it.
pub(crate) async fn todo(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    Ok(Json(json!(taizhang_app::todo::for_caller(&state, &view, &user).await?)))
}

#[derive(Serialize)]
pub(crate) struct UnitOut<'a> {
    id: i64,
    name: &'a str,
    parent: Option<i64>,
    kind: &'a str,
}

pub(crate) async fn units(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let units: Vec<UnitOut> = view
        .access(&user)
        .visible_units()
        .into_iter()
        .map(|u| UnitOut { id: u.id, name: &u.name, parent: u.parent_id, kind: u.kind.code() })
        .collect();
    Ok(Json(json!(units)))
}

#[derive(Serialize)]
pub(crate) struct DutyOut<'a> {
    #[serde(flatten)]
    duty: &'a DutyStatus,
    status_label: &'static str,
}

pub(crate) async fn duties(c: Ctx, ApiQuery(q): ApiQuery<PeriodQuery>) -> Result<Json<Value>, ApiError> {
    let period = q.resolve(&c.state)?;
    let e = evaluate_group(&c.state, &c.view, c.group()?, period).await?;
    let duties: Vec<DutyOut> = e.duties.iter().map(|d| DutyOut { duty: d, status_label: d.status.label() }).collect();
    Ok(Json(json!({
        "unit_id": e.unit_id,
        "unit_name": e.unit_name,
        "period": period.code(),
        "today": e.today,
        "duties": duties,
    })))
}

#[derive(Deserialize, Default)]
pub(crate) struct RecordQuery {
    kind: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn record_json(r: &Record) -> Value {
    json!({
        "id": r.id,
        "unit_id": r.unit_id,
        "kind": r.kind().code(),
        "occurred_on": r.occurred_on,
        "entered_at": r.entered_at,
        "revision": r.revision,
        "data": r.data,
        "voided": null,
    })
}

/// `{at, by, by_name, reason}` of a voided record.
fn void_json(v: &taizhang_store::Void) -> Value {
    json!({ "at": v.at, "by": v.by, "by_name": v.by_name, "reason": v.reason })
}

#[derive(Deserialize)]
pub(crate) struct VoidIn {
    #[serde(default)]
    reason: String,
}

/// POST /api/v1/records/{id}/void `{"reason": "…"}`: the record as now, voided.
pub(crate) async fn void_record(c: Ctx, Body(body): Body<VoidIn>) -> Result<Json<Value>, ApiError> {
    let (record, void) = records::void(&c.state, &c.view, &c.user, c.id, &body.reason).await?;
    let mut out = record_json(&record);
    out["voided"] = void_json(&void);
    Ok(Json(out))
}

pub(crate) async fn list_records(c: Ctx, ApiQuery(q): ApiQuery<RecordQuery>) -> Result<Json<Value>, ApiError> {
    let kind = match q.kind.as_deref() {
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| AppError::BadRequest(format!("未知的记录类别：{k}")))?),
        None => None,
    };
    let units: Vec<i64> = c.view.tree.subtree(c.id).iter().map(|u| u.id).collect();
    let from = q.from.unwrap_or(NaiveDate::MIN);
    let to = q.to.unwrap_or(NaiveDate::MAX);
    let records = c
        .state
        .store
        .records(
            &units,
            kind,
            from.max(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()),
            to.min(NaiveDate::from_ymd_opt(2999, 12, 31).unwrap()),
        )
        .await?;
    Ok(Json(Value::Array(records.iter().map(record_json).collect())))
}

#[derive(Deserialize)]
pub(crate) struct RecordIn {
    occurred_on: NaiveDate,
    data: RecordData,
    /// For updates: the revision the client last read.
    revision: Option<i64>,
}

pub(crate) async fn create_record(c: Ctx, Body(body): Body<RecordIn>) -> Result<Response, ApiError> {
    let new = NewRecord { unit_id: c.id, occurred_on: body.occurred_on, data: body.data };
    let record = records::create(&c.state, &c.view, &c.user, &new).await?;
    Ok(created(record_json(&record)))
}

pub(crate) async fn get_record(c: Ctx) -> Result<Json<Value>, ApiError> {
    let records::Shown { record, void, .. } = records::load_with_void(&c.state, &c.view, &c.user, c.id).await?;
    let revisions: Vec<Value> = c
        .state
        .store
        .revisions(c.id)
        .await?
        .iter()
        .map(|r| json!({ "revision": r.revision, "occurred_on": r.occurred_on, "data": r.data, "replaced_at": r.replaced_at }))
        .collect();
    let mut out = record_json(&record);
    out["revisions"] = Value::Array(revisions);
    out["voided"] = void.as_ref().map_or(Value::Null, void_json);
    Ok(Json(out))
}

pub(crate) async fn update_record(c: Ctx, Body(body): Body<RecordIn>) -> Result<Json<Value>, ApiError> {
    let (state, view, user) = (&c.state, &c.view, &c.user);
    let edit =
        records::Edit { revision: body.revision, unit_id: None, occurred_on: body.occurred_on, data: &body.data };
    let updated = records::update(state, view, user, c.id, edit).await?;
    Ok(Json(record_json(&updated)))
}
