//! 问题整改 over the API: the same steps and access rules as the pages.

use super::{ApiUser, Body};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::rectifications::{self as rectify, Step};
use taizhang_app::view::View;
use taizhang_core::rectification::{assess, Rectification};

fn problem_json(p: &Rectification, revision: Option<i64>, today: NaiveDate) -> Value {
    let (status, text, _) = assess(p, today, 7);
    json!({
        "id": p.id,
        "unit_id": p.unit_id,
        "source": p.source.code(),
        "found_on": p.found_on,
        "problem": p.problem,
        "measures": p.measures,
        "owner_id": p.owner,
        "deadline": p.deadline,
        "evidence": p.evidence,
        "rectified_on": p.rectified_on,
        "closed_on": p.closed_on,
        "opinion": p.opinion,
        "state": p.state_label(),
        "status": status.code(),
        "reason": text,
        "revision": revision,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    let problems = state.store.rectifications_of(&[group]).await?;
    Ok(Json(Value::Array(problems.iter().map(|p| problem_json(p, None, state.today())).collect())))
}

#[derive(Deserialize)]
pub struct ProblemIn {
    source: String,
    found_on: NaiveDate,
    problem: String,
    #[serde(default)]
    measures: String,
    owner_id: Option<i64>,
    deadline: NaiveDate,
}

pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ProblemIn>,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let new = Rectification {
        id: 0,
        unit_id: id,
        source: rectify::source(&body.source)?,
        found_on: body.found_on,
        problem: body.problem,
        measures: body.measures,
        owner: body.owner_id,
        deadline: body.deadline,
        evidence: String::new(),
        rectified_on: None,
        closed_on: None,
        opinion: String::new(),
    };
    let saved = rectify::add(&state, &view, &user, new).await?;
    Ok((StatusCode::CREATED, Json(problem_json(&saved, Some(1), state.today()))).into_response())
}

pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let (p, revision) = rectify::load(&state, &view, &user, id).await?;
    Ok(Json(problem_json(&p, Some(revision), state.today())))
}

/// `action`: update (measures, owner_id), report (on, evidence), close or
/// return (opinion; the superior's).
#[derive(Deserialize)]
pub struct StepIn {
    action: String,
    revision: Option<i64>,
    measures: Option<String>,
    owner_id: Option<i64>,
    on: Option<NaiveDate>,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    opinion: String,
}

fn step_from(s: StepIn) -> Result<Step, AppError> {
    match s.action.as_str() {
        "update" => Ok(Step::Update { measures: s.measures.unwrap_or_default(), owner: s.owner_id }),
        "report" => Ok(Step::Report {
            on: s.on.ok_or_else(|| AppError::BadRequest("申请销号须提供整改完成日期 on".into()))?,
            evidence: s.evidence,
        }),
        "close" => Ok(Step::Close { opinion: s.opinion }),
        "return" => Ok(Step::SendBack { opinion: s.opinion }),
        other => Err(AppError::BadRequest(format!("未知的操作：{other}（可用 update、report、close、return）"))),
    }
}

pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<StepIn>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let revision = body.revision;
    let changed = rectify::apply(&state, &view, &user, id, revision, step_from(body)?).await?;
    let revision = state.store.rectification(id).await?.map(|(_, r)| r);
    Ok(Json(problem_json(&changed, revision, state.today())))
}
