//! Evidence files on a record's page: the list (type, size, uploader,
//! time, short hash, thumbnails of images), the upload form (several
//! files, the phone's camera through the file input, drag-and-drop and
//! progress from a small script where scripts run) and voiding. Files are
//! always served as downloads with `nosniff` and a sandboxing CSP, never
//! as a page.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{refusal, Submitted};
use crate::pages::layout::csrf_field;
use crate::pages::upload::StagedForm;
use axum::body::{Body, Bytes};
use axum::extract::Multipart;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::attachments::{self, Listed};
use taizhang_core::attachment::{FileKind, FileType};
use taizhang_core::period::shanghai_minute;
use taizhang_store::{Attachment, BlobReader};

/// What a served file may do in a browser: nothing (no script, no
/// plugin, no request), even if a browser were to render it.
const FILE_CSP: &str = "default-src 'none'; sandbox";

/// The `accept` list of the file input: the types accepted, by extension
/// and MIME type, so phones offer the camera and the photo library.
fn accept() -> String {
    let mut parts: Vec<String> = FileType::ALL.iter().map(|t| format!(".{}", t.extension())).collect();
    parts.push(".jpeg".into());
    parts.extend(FileType::ALL.iter().map(|t| t.mime().to_string()));
    parts.join(",")
}

pub fn parse_kind(code: &str) -> Result<FileKind, AppError> {
    if code.trim().is_empty() {
        return Ok(FileKind::Other);
    }
    FileKind::from_code(code.trim()).ok_or_else(|| AppError::BadRequest(format!("未知的材料类别：{code}")))
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A stored file as the response: streamed a chunk at a time, as a
/// download under its kept name, never sniffed or run.
pub fn file_response(file: &Attachment, reader: BlobReader) -> Response {
    let stream = futures_util::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        match reader.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), Some(reader))),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
        }
    });
    let mut res = Body::from_stream(stream).into_response();
    let ascii = format!("attachment-{}.{}", file.id, file.file_type.extension());
    let disposition = crate::pages::downloads::content_disposition(&file.name, &ascii);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.file_type.mime()));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// GET /attachments/{id}
pub async fn download(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (file, reader) = attachments::open(&state, &view, &user, id).await?;
    Ok(file_response(&file, reader))
}

/// GET /attachments/{id}/thumbnail.png: a small PNG made by the server.
pub async fn thumbnail(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let png = attachments::thumbnail(&state, &view, &user, id).await?;
    let mut res = png.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
    Ok(res)
}

/// POST /records/{id}/attachments: one or more files from the record's
/// page; back to it with what happened.
pub async fn upload(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let outcome = async {
        let form = StagedForm::read(&state, &user, form, "file").await?;
        let kind = parse_kind(form.field("kind"))?;
        if form.files.is_empty() {
            return Err(AppError::BadRequest("请选择要上传的文件".into()));
        }
        let n = form.files.len();
        attachments::attach_all_to_record(&state, &view, &user, id, kind, form.files).await?;
        Ok(n)
    }
    .await;
    match outcome {
        Ok(n) => Ok(Redirect::to(&format!("/records/{id}?uploaded={n}#files")).into_response()),
        Err(e @ (AppError::BadRequest(_) | AppError::TooLarge(_) | AppError::Conflict(_) | AppError::Busy)) => {
            let status = e.status();
            let flash = html! { div.flash.error { "文件未上传：" (e.message()) } };
            let body = super::records::show::page_with(&state, &view, &user, id, flash).await?;
            Ok((if status == StatusCode::BAD_REQUEST { StatusCode::UNPROCESSABLE_ENTITY } else { status }, body)
                .into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct VoidForm {
    #[serde(default)]
    reason: String,
}

/// POST /attachments/{id}/void
pub async fn void(c: Ctx, Submitted { form, .. }: Submitted<VoidForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let record = state.store.attachment(id).await?.map(|a| a.owner_id).unwrap_or_default();
    match attachments::void(&state, &view, &user, id, &form.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/records/{record}?voided=1#files")).into_response()),
        Err(e) => {
            let r = refusal(e)?;
            let body = super::records::show::page_with(&state, &view, &user, record, r.flash()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// The files section of a record's page.
pub fn section(user: &CurrentUser, record_id: i64, files: &[Listed], can_upload: bool) -> Markup {
    let live = files.iter().filter(|f| f.file.void.is_none()).count();
    html! {
        h2 #files { "佐证材料" @if live > 0 { "（" (live) "份）" } }
        @if files.is_empty() {
            p.muted { "尚未上传佐证材料。" }
        } @else {
            table.files {
                thead { tr { th { "文件" } th { "类别" } th { "类型" } th { "大小" } th { "上传人" } th { "上传时间" } th { "SHA-256" } th {} } }
                tbody {
                    @for Listed { file, can_void } in files {
                        tr class=[file.void.is_some().then_some("voided")] {
                            td data-label="文件" {
                                @if file.file_type.is_image() {
                                    img.thumb src=(format!("/attachments/{}/thumbnail.png", file.id)) alt="" width="60" loading="lazy";
                                    " "
                                }
                                a href=(format!("/attachments/{}", file.id)) download { (file.name) }
                                @if let Some(v) = &file.void {
                                    br; small { "【已作废】" (v.by_name) " " (shanghai_minute(v.at)) "：" (v.reason) }
                                }
                            }
                            td data-label="类别" { (file.kind.label()) }
                            td data-label="类型" { (file.file_type.label()) }
                            td data-label="大小" { (size_text(file.size)) }
                            td data-label="上传人" { (file.by_name) }
                            td data-label="上传时间" { (shanghai_minute(file.at)) }
                            td data-label="SHA-256" { code title=(file.sha256) { (&file.sha256[..12]) } }
                            td {
                                @if *can_void {
                                    details {
                                        summary { "作废" }
                                        form method="post" action=(format!("/attachments/{}/void", file.id)) {
                                            (csrf_field(user))
                                            input name="reason" required maxlength="500" placeholder="作废原因" aria-label="作废原因";
                                            button.btn type="submit" { "确认作废" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if can_upload { (upload_form(user, record_id)) }
    }
}

fn upload_form(user: &CurrentUser, record_id: i64) -> Markup {
    html! {
        form.record.upload method="post" enctype="multipart/form-data" action=(format!("/records/{record_id}/attachments")) {
            (csrf_field(user))
            label for="kind" { "材料类别" }
            select #kind name="kind" {
                @for k in FileKind::ALL { option value=(k.code()) { (k.label()) } }
            }
            label for="file" { "选择文件（可多选；可直接拖入；手机可拍照）" }
            input #file type="file" name="file" multiple accept=(accept()) capture="environment";
            p.muted { "接受 PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx）、OFD，单个文件不超过规定大小；类型按文件内容识别。" }
            progress #upload-progress max="100" value="0" hidden {}
            button.btn type="submit" { "上传" }
        }
    }
}
