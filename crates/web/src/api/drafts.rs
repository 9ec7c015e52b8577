//! Pre-publication review (三审三校) over the API: the same steps as the
//! pages, checked by the same rules on the server.

use super::{bad_request, created, needed, unknown_action, ApiList, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::drafts::{self as drafting, proofread};
use taizhang_core::drafts::{Acknowledgement, Reviewers, Stage};
use taizhang_store::{Draft, NewDraft, ReviewStep};

fn draft_json(d: &Draft) -> Value {
    let status = d.review.status();
    json!({
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
    })
}

/// One draft in full: its body, its review history and the proofreader's findings.
async fn draft_detail(d: &Draft) -> Value {
    let mut out = draft_json(d);
    out["body"] = json!(d.body);
    out["history"] = json!(d.review.history);
    let (title, body) = proofread(&d.title, &d.body).await;
    out["findings"] = json!({ "title": title, "body": body });
    out
}

/// GET /units/{id}/drafts: the same period, filters, search and `page` as the list page.
pub async fn list(c: Ctx, q: ApiList) -> Result<Json<Value>, ApiError> {
    let (_, drafts) = crate::pages::drafts::filtered(&c.state, &c.view, c.group()?, &q.0).await?;
    Ok(Json(Value::Array(q.page(&drafts)?.iter().map(draft_json).collect())))
}

#[derive(Deserialize)]
pub struct DraftIn {
    channel_id: i64,
    title: String,
    body: String,
}

pub async fn create(c: Ctx, Body(body): Body<DraftIn>) -> Result<Response, ApiError> {
    let channel = drafting::channel(&c.view, &c.user, body.channel_id)?;
    if c.view.group_of(channel.unit_id)?.id != c.group()? {
        return Err(bad_request("该宣传阵地不属于本单位"));
    }
    let new = NewDraft { channel_id: body.channel_id, title: body.title, body: body.body };
    let draft = drafting::create(&c.state, &c.view, &c.user, new).await?;
    Ok(created(draft_detail(&draft).await))
}

pub async fn get(c: Ctx) -> Result<Json<Value>, ApiError> {
    let draft = drafting::load(&c.state, &c.view, &c.user, c.id, false).await?;
    Ok(Json(draft_detail(&draft).await))
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
    /// For approve: proofreader errors left as written, `{part, start, reason}`.
    #[serde(default)]
    acknowledged: Vec<AckIn>,
}

#[derive(Deserialize)]
pub struct AckIn {
    part: String,
    start: usize,
    #[serde(default)]
    reason: String,
}

fn step_from(s: StepIn, today: chrono::NaiveDate) -> Result<ReviewStep, ApiError> {
    let stage = || needed(s.stage, "请指明审校环节（stage：first、second 或 final）");
    match s.action.as_str() {
        "approve" => Ok(ReviewStep::Approve {
            stage: stage()?,
            opinion: s.opinion.clone(),
            acknowledged: s
                .acknowledged
                .iter()
                .map(|a| Acknowledgement {
                    part: a.part.clone(),
                    start: a.start,
                    original: String::new(),
                    reason: a.reason.clone(),
                })
                .collect(),
        }),
        "reject" => Ok(ReviewStep::Reject { stage: stage()?, opinion: s.opinion.clone() }),
        "edit" => Ok(ReviewStep::Edit {
            title: needed(s.title.clone(), "修改须提供 title")?,
            body: needed(s.body.clone(), "修改须提供 body")?,
        }),
        "publish" => Ok(ReviewStep::Publish { url: s.url.clone().unwrap_or_default(), on: today }),
        other => Err(unknown_action(other, "edit、approve、reject、publish")),
    }
}

pub async fn step(c: Ctx, Body(body): Body<StepIn>) -> Result<Json<Value>, ApiError> {
    let version = body.version;
    let step = step_from(body, c.state.today())?;
    let (draft, cleared) = drafting::apply(&c.state, &c.view, &c.user, c.id, version, step).await?;
    let mut out = draft_detail(&draft).await;
    out["cleared"] = json!(cleared);
    Ok(Json(out))
}

pub async fn get_reviewers(c: Ctx) -> Result<Json<Reviewers>, ApiError> {
    drafting::channel(&c.view, &c.user, c.id)?;
    Ok(Json(c.state.store.channel_reviewers(c.id).await?))
}

pub async fn put_reviewers(c: Ctx, Body(reviewers): Body<Reviewers>) -> Result<Json<Reviewers>, ApiError> {
    drafting::set_reviewers(&c.state, &c.view, &c.user, c.id, reviewers).await?;
    Ok(Json(c.state.store.channel_reviewers(c.id).await?))
}
