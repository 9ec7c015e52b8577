//! Evidence files over the API: upload (multipart, field `file`, optional
//! `kind`), list, download and void, on every owner: a record, a review
//! of a risk, a rectification problem, a step of a feedback entry and a
//! published draft. Each owner has `GET` and `POST` on the same path
//! (`…/attachments`); a file itself is `/api/v1/attachments/{id}`.
//! Rights are the owner's: the route table declares them, the operations
//! check them.

use crate::context::Ctx;
use crate::error::{ApiError, AppError};
use crate::pages::attachments::{file_response, parse_kind, path_number, DownloadQuery};
use crate::pages::upload::StagedForm;
use axum::extract::{Multipart, RawPathParams};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::attachments::{self, Listed, Parent, Target};
use taizhang_store::{Attachment, OWNER_RECORD};

pub fn file_json(file: &Attachment, step: Option<i64>) -> Value {
    json!({
        "id": file.id,
        "name": file.name,
        "type": file.file_type.code(),
        "size": file.size,
        "sha256": file.sha256,
        "kind": file.kind.code(),
        "owner": {"type": file.owner, "id": file.owner_id},
        "record_id": (file.owner == OWNER_RECORD).then_some(file.owner_id),
        "step": step,
        "uploaded_by": file.by_name,
        "uploaded_at": file.at.to_rfc3339(),
        "void": file.void.as_ref().map(|v| json!({"at": v.at.to_rfc3339(), "by": v.by_name, "reason": v.reason})),
    })
}

/// One file to `target` → 201 with the new file.
async fn upload_to(c: Ctx, form: Multipart, target: Target) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Ctx { state, user, view, .. } = c;
    let mut form = StagedForm::read(&state, &user, form, "file").await?;
    let kind = parse_kind(form.field("kind"))?;
    if form.files.len() != 1 {
        return Err(AppError::BadRequest("每次请求上传一个文件（字段名 file）".into()).into());
    }
    let staged = form.files.remove(0);
    let file = attachments::attach(&state, &view, &user, target, kind, staged).await?;
    let step = match target {
        Target::FeedbackStep { step, .. } => Some(step),
        _ => None,
    };
    Ok((StatusCode::CREATED, Json(file_json(&file, step))))
}

/// The files of `parent` that `keep` keeps, as JSON.
async fn list_of(c: Ctx, parent: Parent, keep: impl Fn(&Listed) -> bool) -> Result<Json<Value>, ApiError> {
    let Ctx { state, user, view, .. } = c;
    let files = attachments::of(&state, &view, &user, parent).await?;
    Ok(Json(Value::Array(files.iter().filter(|l| keep(l)).map(|l| file_json(&l.file, l.step)).collect())))
}

/// POST /api/v1/records/{id}/attachments
pub async fn upload(c: Ctx, form: Multipart) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = c.id;
    upload_to(c, form, Target::Record(id)).await
}

/// GET /api/v1/records/{id}/attachments
pub async fn list(c: Ctx) -> Result<Json<Value>, ApiError> {
    let id = c.id;
    list_of(c, Parent::Record(id), |_| true).await
}

/// POST /api/v1/risks/{id}/reviews/{review}/attachments
pub async fn upload_risk_review(
    c: Ctx,
    p: RawPathParams,
    form: Multipart,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (risk, review) = (c.id, path_number(&p, "review")?);
    upload_to(c, form, Target::RiskReview { risk, review }).await
}

/// GET /api/v1/risks/{id}/reviews/{review}/attachments
pub async fn list_risk_review(c: Ctx, p: RawPathParams) -> Result<Json<Value>, ApiError> {
    let (risk, review) = (c.id, path_number(&p, "review")?);
    list_of(c, Parent::Risk(risk), |l| l.file.owner_id == review).await
}

/// POST /api/v1/rectifications/{id}/attachments
pub async fn upload_rectification(c: Ctx, form: Multipart) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = c.id;
    upload_to(c, form, Target::Rectification(id)).await
}

/// GET /api/v1/rectifications/{id}/attachments
pub async fn list_rectification(c: Ctx) -> Result<Json<Value>, ApiError> {
    let id = c.id;
    list_of(c, Parent::Rectification(id), |_| true).await
}

/// POST /api/v1/feedback/{id}/steps/{step}/attachments
pub async fn upload_feedback_step(
    c: Ctx,
    p: RawPathParams,
    form: Multipart,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (item, step) = (c.id, path_number(&p, "step")?);
    upload_to(c, form, Target::FeedbackStep { item, step }).await
}

/// GET /api/v1/feedback/{id}/steps/{step}/attachments
pub async fn list_feedback_step(c: Ctx, p: RawPathParams) -> Result<Json<Value>, ApiError> {
    let (item, step) = (c.id, path_number(&p, "step")?);
    list_of(c, Parent::Feedback(item), |l| l.step == Some(step)).await
}

/// POST /api/v1/drafts/{id}/attachments
pub async fn upload_draft(c: Ctx, form: Multipart) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = c.id;
    upload_to(c, form, Target::Draft(id)).await
}

/// GET /api/v1/drafts/{id}/attachments
pub async fn list_draft(c: Ctx) -> Result<Json<Value>, ApiError> {
    let id = c.id;
    list_of(c, Parent::Draft(id), |_| true).await
}

/// GET /api/v1/attachments/{id}[?inline=1]: the bytes, as a download
/// (a PDF or an image inline when asked).
pub async fn download(c: Ctx, crate::form::Query(q): crate::form::Query<DownloadQuery>) -> Result<Response, ApiError> {
    let Ctx { state, user, view, id } = c;
    let (file, reader) = attachments::open(&state, &view, &user, id).await?;
    Ok(file_response(&file, reader, q.disposition()))
}

#[derive(Deserialize)]
pub struct VoidBody {
    #[serde(default)]
    reason: String,
}

/// POST /api/v1/attachments/{id}/void `{"reason": "…"}`
pub async fn void(c: Ctx, Json(body): Json<VoidBody>) -> Result<Json<Value>, ApiError> {
    let Ctx { state, user, view, id } = c;
    let file = attachments::void(&state, &view, &user, id, &body.reason).await?;
    Ok(Json(file_json(&file, None)))
}
