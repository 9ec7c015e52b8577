//! Pre-publication review (三审三校) over the API: the same steps as the
//! pages, checked by the same rules on the server.

use super::{ApiUser, Body};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::drafts::{self as drafting, proofread};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::review::{Reviewers, Stage};
use taizhang_store::{Draft, NewDraft, ReviewStep};

fn draft_json(d: &Draft, with_findings: bool) -> Value {
    let status = d.review.status();
    let mut out = json!({
        "id": d.id,
        "unit_id": d.unit_id,
        "channel_id": d.channel_id,
        "title": d.title,
        "author_id": d.author_id,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "version": d.review.version,
        "status": status.code(),
        "status_label": status.label(),
        "signed": d.review.signed,
        "published": d.review.published.as_ref().map(|(at, url)| json!({ "at": at, "url": url })),
    });
    if with_findings {
        out["body"] = json!(d.body);
        out["history"] = json!(d.review.history);
        out["findings"] = json!({ "title": proofread(&d.title), "body": proofread(&d.body) });
    }
    out
}

pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    let (from, to) = q.resolve(&state)?.instants();
    let units: Vec<i64> = view.tree.subtree(group).iter().map(|u| u.id).collect();
    let drafts = state.store.drafts(&units, from, to).await?;
    Ok(Json(Value::Array(drafts.iter().map(|d| draft_json(d, false)).collect())))
}

#[derive(Deserialize)]
pub struct DraftIn {
    channel_id: i64,
    title: String,
    body: String,
}

pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<DraftIn>,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let channel = drafting::channel(&view, &user, body.channel_id)?;
    if view.group_of(channel.unit_id)?.id != view.group_of(id)?.id {
        return Err(AppError::BadRequest("该宣传阵地不属于本单位".into()).into());
    }
    let new = NewDraft { channel_id: body.channel_id, title: body.title, body: body.body };
    let draft = drafting::create(&state, &view, &user, new).await?;
    Ok((StatusCode::CREATED, Json(draft_json(&draft, true))).into_response())
}

pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let draft = drafting::load(&state, &view, &user, id, false).await?;
    Ok(Json(draft_json(&draft, true)))
}

/// One review step: `action` is edit, approve, reject or publish.
#[derive(Deserialize)]
pub struct StepIn {
    action: String,
    /// The version the client read; a step on a newer one is a 409.
    version: Option<u32>,
    stage: Option<Stage>,
    #[serde(default)]
    opinion: String,
    title: Option<String>,
    body: Option<String>,
    url: Option<String>,
}

fn step_from(s: StepIn, today: chrono::NaiveDate) -> Result<ReviewStep, AppError> {
    let stage =
        || s.stage.ok_or_else(|| AppError::BadRequest("请指明审校环节（stage：first、second 或 final）".into()));
    match s.action.as_str() {
        "approve" => Ok(ReviewStep::Approve { stage: stage()?, opinion: s.opinion.clone() }),
        "reject" => Ok(ReviewStep::Reject { stage: stage()?, opinion: s.opinion.clone() }),
        "edit" => Ok(ReviewStep::Edit {
            title: s.title.clone().ok_or_else(|| AppError::BadRequest("修改须提供 title".into()))?,
            body: s.body.clone().ok_or_else(|| AppError::BadRequest("修改须提供 body".into()))?,
        }),
        "publish" => Ok(ReviewStep::Publish { url: s.url.clone().unwrap_or_default(), on: today }),
        other => Err(AppError::BadRequest(format!("未知的操作：{other}（可用 edit、approve、reject、publish）"))),
    }
}

pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<StepIn>,
) -> Result<Json<Value>, ApiError> {
    let view = View::load(&state).await?;
    let version = body.version;
    let step = step_from(body, state.today())?;
    let (draft, cleared) = drafting::apply(&state, &view, &user, id, version, step).await?;
    let mut out = draft_json(&draft, true);
    out["cleared"] = json!(cleared);
    Ok(Json(out))
}

pub async fn get_reviewers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Reviewers>, ApiError> {
    let view = View::load(&state).await?;
    drafting::channel(&view, &user, id)?;
    Ok(Json(state.store.channel_reviewers(id).await?))
}

pub async fn put_reviewers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(reviewers): Body<Reviewers>,
) -> Result<Json<Reviewers>, ApiError> {
    let view = View::load(&state).await?;
    drafting::set_reviewers(&state, &view, &user, id, reviewers).await?;
    Ok(Json(state.store.channel_reviewers(id).await?))
}
