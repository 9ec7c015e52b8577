//! The risk ledger over the API: the same steps as the pages, through the
//! same service (`taizhang_app::risks`).

use super::register::{entry_json, Entry};
use super::{ApiUser, Body};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::risks::{self as risking, ledger_unit, ReviewIn};
use taizhang_app::view::View;
use taizhang_core::risk::{ReviewState, RiskInput, RiskStatus};
use taizhang_store::{Risk, RiskReviewRow};

fn risk_json(view: &View, r: &Risk, state: ReviewState) -> Value {
    entry_json(
        &r.entry,
        json!({
            "id": r.id,
            "unit_id": r.unit_id,
            "owner_name": view.person_name(r.entry.owner_id),
            "revision": r.revision,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "last_reviewed_on": r.last_review.map(|(on, _)| on),
            "next_review_on": state.due(),
            "review_overdue": state.is_overdue(),
            "review_state": state.label(),
        }),
    )
}

fn review_json(r: &RiskReviewRow) -> Value {
    json!({
        "id": r.id,
        "risk_id": r.risk_id,
        "record_id": r.record_id,
        "reviewed_on": r.reviewed_on,
        "reviewer": r.reviewer,
        "conclusion": r.conclusion,
        "status": r.status,
        "next_review_on": r.next_review_on,
        "created_at": r.created_at,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let group = ledger_unit(&view, &user, id, false)?.id;
    let listed = risking::ledger(&state, group).await?;
    Ok(Json(Value::Array(listed.iter().map(|l| risk_json(&view, &l.risk, l.state)).collect())))
}

pub(crate) async fn reply(
    state: &AppState,
    view: &View,
    risk: &Risk,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let review_state = risking::state_of(state, risk).await?;
    Ok((status, Json(risk_json(view, risk, review_state))).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Entry<RiskInput>,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    let risk = risking::create(&state, &view, &user, id, &body.entry).await?;
    reply(&state, &view, &risk, StatusCode::CREATED).await
}

pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, false).await?;
    let mut out = risk_json(&view, &risk, risking::state_of(&state, &risk).await?);
    let reviews = state.store.risk_reviews(id).await?;
    out["reviews"] = Value::Array(reviews.iter().map(review_json).collect());
    Ok(Json(out))
}

pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Entry<RiskInput>,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    let risk = risking::update(&state, &view, &user, id, body.revision, &body.entry).await?;
    reply(&state, &view, &risk, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ReviewBody {
    reviewed_on: Option<NaiveDate>,
    reviewer: Option<String>,
    conclusion: String,
    next_review: Option<NaiveDate>,
    /// The risk's status after the review; unchanged when absent.
    status: Option<RiskStatus>,
}

pub async fn review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ReviewBody>,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let input = ReviewIn {
        reviewed_on: body.reviewed_on,
        reviewer: body.reviewer,
        conclusion: body.conclusion,
        next_review: body.next_review,
        outcomes: vec![(id, body.status.unwrap_or(risk.entry.status))],
    };
    let (record, rows) = risking::review(&state, &view, &user, risk.unit_id, input).await?;
    let risk = risking::load(&state, &view, &user, id, false).await?;
    let out = json!({
        "record_id": record.id,
        "review": rows.first().map(review_json),
        "risk": risk_json(&view, &risk, risking::state_of(&state, &risk).await?),
    });
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
