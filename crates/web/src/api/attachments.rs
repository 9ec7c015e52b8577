//! Evidence files of records over the API: upload (multipart, field
//! `file`, optional `kind`), list, download and void. Rights are the
//! record's: the route table declares them, the operations check them.

use crate::context::Ctx;
use crate::error::{ApiError, AppError};
use crate::pages::attachments::{file_response, parse_kind};
use crate::pages::upload::StagedForm;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::attachments::{self, Listed};
use taizhang_store::Attachment;

pub fn file_json(file: &Attachment) -> Value {
    json!({
        "id": file.id,
        "name": file.name,
        "type": file.file_type.code(),
        "size": file.size,
        "sha256": file.sha256,
        "kind": file.kind.code(),
        "record_id": file.owner_id,
        "uploaded_by": file.by_name,
        "uploaded_at": file.at.to_rfc3339(),
        "void": file.void.as_ref().map(|v| json!({"at": v.at.to_rfc3339(), "by": v.by_name, "reason": v.reason})),
    })
}

/// POST /api/v1/records/{id}/attachments → 201 with the new file.
pub async fn upload(c: Ctx, form: Multipart) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Ctx { state, user, view, id } = c;
    let mut form = StagedForm::read(&state, &user, form, "file").await?;
    let kind = parse_kind(form.field("kind"))?;
    if form.files.len() != 1 {
        return Err(AppError::BadRequest("每次请求上传一个文件（字段名 file）".into()).into());
    }
    let staged = form.files.remove(0);
    let file = attachments::attach_to_record(&state, &view, &user, id, kind, staged).await?;
    Ok((StatusCode::CREATED, Json(file_json(&file))))
}

/// GET /api/v1/records/{id}/attachments
pub async fn list(c: Ctx) -> Result<Json<Value>, ApiError> {
    let Ctx { state, user, view, id } = c;
    let files = attachments::of_record(&state, &view, &user, id).await?;
    Ok(Json(Value::Array(files.iter().map(|Listed { file, .. }| file_json(file)).collect())))
}

/// GET /api/v1/attachments/{id}: the bytes, as a download.
pub async fn download(c: Ctx) -> Result<Response, ApiError> {
    let Ctx { state, user, view, id } = c;
    let (file, reader) = attachments::open(&state, &view, &user, id).await?;
    Ok(file_response(&file, reader))
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
    Ok(Json(file_json(&file)))
}
