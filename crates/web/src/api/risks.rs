//! The risk ledger over the API: the same steps as the pages, through the
//! same service (`taizhang_app::risks`).

use super::register::{entry_json, Entry};
use super::{created, ApiList, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::AppState;
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

/// GET /units/{id}/risks: the same filters, search and `page` as the list page.
pub async fn list(c: Ctx, q: ApiList) -> Result<Json<Value>, ApiError> {
    let group = ledger_unit(&c.view, &c.user, c.id, false)?.id;
    let listed = crate::pages::risks::filtered(&c.state, &c.view, group, &q.0).await?.kept;
    Ok(Json(Value::Array(q.page(&listed)?.iter().map(|l| risk_json(&c.view, &l.risk, l.state)).collect())))
}

/// The risk as JSON, with where its review stands.
async fn risk_out(state: &AppState, view: &View, risk: &Risk) -> Result<Value, ApiError> {
    let review_state = risking::state_of(state, risk).await?;
    Ok(risk_json(view, risk, review_state))
}

pub(crate) async fn reply(
    state: &AppState,
    view: &View,
    risk: &Risk,
    status: StatusCode,
) -> Result<Response, ApiError> {
    Ok((status, Json(risk_out(state, view, risk).await?)).into_response())
}

pub async fn create(c: Ctx, body: Entry<RiskInput>) -> Result<Response, ApiError> {
    let risk = risking::create(&c.state, &c.view, &c.user, c.id, &body.entry).await?;
    reply(&c.state, &c.view, &risk, StatusCode::CREATED).await
}

pub async fn get(c: Ctx) -> Result<Json<Value>, ApiError> {
    let risk = risking::load(&c.state, &c.view, &c.user, c.id, false).await?;
    let mut out = risk_out(&c.state, &c.view, &risk).await?;
    let reviews = c.state.store.risk_reviews(c.id).await?;
    out["reviews"] = Value::Array(reviews.iter().map(review_json).collect());
    Ok(Json(out))
}

pub async fn update(c: Ctx, body: Entry<RiskInput>) -> Result<Response, ApiError> {
    let risk = risking::update(&c.state, &c.view, &c.user, c.id, body.revision, &body.entry).await?;
    reply(&c.state, &c.view, &risk, StatusCode::OK).await
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

pub async fn review(c: Ctx, Body(body): Body<ReviewBody>) -> Result<Response, ApiError> {
    let (state, view, user, id) = (&c.state, &c.view, &c.user, c.id);
    let risk = risking::load(state, view, user, id, true).await?;
    let input = ReviewIn {
        reviewed_on: body.reviewed_on,
        reviewer: body.reviewer,
        conclusion: body.conclusion,
        next_review: body.next_review,
        outcomes: vec![(id, body.status.unwrap_or(risk.entry.status))],
    };
    let (record, rows) = risking::review(state, view, user, risk.unit_id, input).await?;
    let risk = risking::load(state, view, user, id, false).await?;
    let out = json!({
        "record_id": record.id,
        "review": rows.first().map(review_json),
        "risk": risk_out(state, view, &risk).await?,
    });
    Ok(created(out))
}
