//! 问题整改 over the API: the same steps and access rules as the pages.

use super::register::{entry_json, Entry};
use super::{created, needed, unknown_action, ApiList, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::rectifications::{self as rectify, Step};
use taizhang_core::rectification::{assess, Rectification, RectificationInput};

fn problem_json(p: &Rectification, revision: Option<i64>, today: NaiveDate) -> Value {
    let (status, text, _) = assess(p, today, 7);
    entry_json(
        &p.input(),
        json!({
        "id": p.id,
        "unit_id": p.unit_id,
        "evidence": p.evidence,
        "rectified_on": p.rectified_on,
        "closed_on": p.closed_on,
        "opinion": p.opinion,
        "state": p.state_label(),
        "status": status.code(),
        "reason": text,
        "revision": revision,
        }),
    )
}

/// GET /units/{id}/rectifications: the same filters, search and `page` as the list page.
pub async fn list(c: Ctx, q: ApiList) -> Result<Json<Value>, ApiError> {
    let problems = crate::pages::rectifications::filtered(&c.state, &c.view, c.group()?, &q.0).await?;
    Ok(Json(Value::Array(q.page(&problems)?.iter().map(|p| problem_json(p, None, c.state.today())).collect())))
}

pub async fn create(c: Ctx, body: Entry<RectificationInput>) -> Result<Response, ApiError> {
    let new = Rectification::new(c.id, body.entry);
    let saved = rectify::add(&c.state, &c.view, &c.user, new).await?;
    Ok(created(problem_json(&saved, Some(1), c.state.today())))
}

pub async fn get(c: Ctx) -> Result<Json<Value>, ApiError> {
    let (p, revision) = rectify::load(&c.state, &c.view, &c.user, c.id).await?;
    Ok(Json(problem_json(&p, Some(revision), c.state.today())))
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

fn step_from(s: StepIn) -> Result<Step, ApiError> {
    match s.action.as_str() {
        "update" => Ok(Step::Update { measures: s.measures.unwrap_or_default(), owner: s.owner_id }),
        "report" => {
            Ok(Step::Report { on: needed(s.on, "申请销号须提供整改完成日期 on")?, evidence: s.evidence })
        }
        "close" => Ok(Step::Close { opinion: s.opinion }),
        "return" => Ok(Step::SendBack { opinion: s.opinion }),
        other => Err(unknown_action(other, "update、report、close、return")),
    }
}

pub async fn step(c: Ctx, Body(body): Body<StepIn>) -> Result<Json<Value>, ApiError> {
    let revision = body.revision;
    let changed = rectify::apply(&c.state, &c.view, &c.user, c.id, revision, step_from(body)?).await?;
    let revision = c.state.store.rectification(c.id).await?.map(|(_, r)| r);
    Ok(Json(problem_json(&changed, revision, c.state.today())))
}
