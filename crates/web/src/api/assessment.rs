//! 年度考核 over the API: the scorecard of a unit and year, its steps
//! (adjust, remove_adjustment, submit, review, finalise, return) and the
//! superior's ranking, with the same access rules as the pages.

use super::{bad_request, needed, unknown_action, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use axum::extract::Path;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::assessment::{self as assess, Decision, Loaded, Step};
use taizhang_core::assessment::{Adjustment, ReviewScore, Score};

fn scorecard_json(l: &Loaded) -> Value {
    let a = &l.assessment;
    let card = l.scorecard();
    let items: Vec<Value> = card
        .lines
        .iter()
        .map(|line| {
            let item = line.item;
            let deductions: Vec<Value> = item
                .deductions
                .iter()
                .map(|d| {
                    json!({
                        "status": d.status.code(),
                        "status_label": d.status.label(),
                        "period": d.period,
                        "reason": d.reason,
                        "how": d.how,
                        "points": d.points,
                    })
                })
                .collect();
            json!({
                "item_id": item.item_id,
                "title": item.title,
                "category": item.category,
                "points": item.points,
                "auto": item.auto,
                "running": item.running,
                "note": item.note,
                "deductions": deductions,
                "adjustment": line.adjustment,
                "self": line.self_score,
                "review": line.review,
            })
        })
        .collect();
    let best = card.final_total().unwrap_or(card.self_total());
    json!({
        "unit_id": l.group.id,
        "unit_name": l.group.name,
        "year": a.year,
        "state": a.state.code(),
        "state_label": a.state.label(),
        "revision": l.revision,
        "submitted_on": a.submitted_on,
        "finalised_on": a.finalised_on,
        "opinion": a.opinion,
        "as_of": card.card.as_of,
        "frozen": a.submitted.is_some(),
        "max": card.max(),
        "auto": card.auto(),
        "self": card.self_total(),
        "review": card.review_total(),
        "final": card.final_total(),
        "score_100": best.scaled(card.max(), l.rules.full_marks),
        "rules": l.rules,
        "items": items,
    })
}

/// GET /api/v1/units/{id}/assessments/{year}
pub async fn get(c: Ctx, Path((_, year)): Path<(i64, String)>) -> Result<Json<Value>, ApiError> {
    let loaded = assess::load(&c.state, &c.view, &c.user, c.id, assess::parse_year(&year)?).await?;
    Ok(Json(scorecard_json(&loaded)))
}

#[derive(Deserialize)]
pub struct ReviewIn {
    item_id: String,
    score: Score,
    #[serde(default)]
    opinion: String,
}

/// `action`: adjust (item_id, delta, reason, evidence), remove_adjustment
/// (item_id), submit; the superior's review (item_id, score, opinion, or
/// `scores`), finalise and return (opinion; `scores` first if given).
#[derive(Deserialize)]
pub struct StepIn {
    action: String,
    revision: Option<i64>,
    #[serde(default)]
    item_id: String,
    delta: Option<Score>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    evidence: String,
    score: Option<Score>,
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    scores: Vec<ReviewIn>,
    /// reopen: the last day the unit may submit.
    until: Option<chrono::NaiveDate>,
}

fn step_from(s: StepIn) -> Result<Step, ApiError> {
    let mut scores: Vec<ReviewScore> =
        s.scores.into_iter().map(|r| ReviewScore { item_id: r.item_id, score: r.score, opinion: r.opinion }).collect();
    match s.action.as_str() {
        "adjust" => Ok(Step::Adjust(Adjustment {
            item_id: s.item_id,
            delta: needed(s.delta, "自评调整须提供调整分值 delta")?,
            reason: s.reason,
            evidence: s.evidence,
        })),
        "remove_adjustment" => Ok(Step::RemoveAdjustment(s.item_id)),
        "submit" => Ok(Step::Submit),
        "review" => {
            if let Some(score) = s.score {
                scores.push(ReviewScore { item_id: s.item_id, score, opinion: s.opinion });
            }
            if scores.is_empty() {
                return Err(bad_request("审核须提供 item_id 和 score，或 scores"));
            }
            Ok(Step::Review { scores, decision: None })
        }
        "finalise" => Ok(Step::Review { scores, decision: Some(Decision::Finalise { opinion: s.opinion }) }),
        "return" => Ok(Step::Review { scores, decision: Some(Decision::SendBack { opinion: s.opinion }) }),
        "reopen" => Ok(Step::Reopen {
            until: needed(s.until, "重新开放须提供期限 until（如 2026-12-31）")?,
            reason: s.reason,
        }),
        other => Err(unknown_action(other, "adjust、remove_adjustment、submit、review、finalise、return、reopen")),
    }
}

/// POST /api/v1/units/{id}/assessments/{year}/steps
pub async fn step(
    c: Ctx,
    Path((_, year)): Path<(i64, String)>,
    Body(body): Body<StepIn>,
) -> Result<Json<Value>, ApiError> {
    let year = assess::parse_year(&year)?;
    let revision = body.revision;
    let loaded = assess::apply(&c.state, &c.view, &c.user, c.id, year, revision, step_from(body)?).await?;
    Ok(Json(scorecard_json(&loaded)))
}

/// GET /api/v1/units/{id}/assessment-ranking/{year}: the Party groups
/// under a unit (the superior), ranked.
pub async fn ranking(c: Ctx, Path((_, year)): Path<(i64, String)>) -> Result<Json<Value>, ApiError> {
    let year = assess::parse_year(&year)?;
    let rows = assess::ranking(&c.state, &c.view, c.id, year).await?;
    Ok(Json(json!({ "unit_id": c.id, "year": year, "ranking": rows })))
}
