//! Evidence files on the pages of their owners (a record, a risk's
//! reviews, a rectification problem, a feedback entry's steps, a
//! published draft): the list (type, size, uploader, time, short hash,
//! thumbnails of images), the upload forms (several files, the phone's
//! camera through the file input, drag-and-drop and progress from a small
//! script where scripts run) and voiding. Files are served as downloads
//! with `nosniff` and a sandboxing CSP; only PDFs and images may be shown
//! inline (`?inline=1`), under a CSP that lets them do nothing else.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{refusal, Query, Submitted};
use crate::pages::layout::csrf_field;
use crate::pages::upload::StagedForm;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, RawPathParams};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::attachments::{self, Listed, Target};
use taizhang_core::attachment::{FileKind, FileType};
use taizhang_core::period::shanghai_minute;
use taizhang_store::{Attachment, BlobReader, OWNER_DRAFT, OWNER_FEEDBACK, OWNER_RECTIFICATION, OWNER_RISK_REVIEW};

/// What a served file may do in a browser: nothing (no script, no
/// plugin, no request), even if a browser were to render it.
const FILE_CSP: &str = "default-src 'none'; sandbox";

/// An image shown inline: it may be drawn and styled by the browser's
/// own image page, nothing else.
const INLINE_IMAGE_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/// A PDF shown inline: the same, without `sandbox` (browsers refuse to
/// run their PDF viewer in a sandboxed document); no script of the file's
/// own runs under `default-src 'none'`.
const INLINE_PDF_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

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

/// Where the upload script is served.
pub const UPLOAD_SCRIPT_PATH: &str = "/assets/upload.js";

/// GET /assets/upload.js: the one script of the site, same-origin, small,
/// cached for a day.
pub async fn upload_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../assets/upload.js"),
    )
        .into_response()
}

/// How a file is served: always as a download, or inline when asked and
/// the type allows it (PDF, JPEG, PNG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Download,
    Inline,
}

/// A stored file as the response: streamed a chunk at a time, under its
/// kept name, never sniffed or run; inline only for a PDF or an image.
pub fn file_response(file: &Attachment, reader: BlobReader, asked: Disposition) -> Response {
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
    let download = crate::pages::downloads::content_disposition(&file.name, &ascii);
    let inline = asked == Disposition::Inline && file.file_type.inline_safe();
    let (disposition, csp) = match inline {
        false => (download, FILE_CSP),
        true if file.file_type.is_image() => (download.replacen("attachment", "inline", 1), INLINE_IMAGE_CSP),
        true => (download.replacen("attachment", "inline", 1), INLINE_PDF_CSP),
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.file_type.mime()));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

#[derive(Deserialize, Default)]
pub struct DownloadQuery {
    /// `1`: show a PDF or an image in the browser instead of saving it.
    inline: Option<String>,
}

impl DownloadQuery {
    pub fn disposition(&self) -> Disposition {
        match self.inline.as_deref() {
            Some("1" | "true") => Disposition::Inline,
            _ => Disposition::Download,
        }
    }
}

/// GET /attachments/{id}[?inline=1]
pub async fn download(c: Ctx, Query(q): Query<DownloadQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (file, reader) = attachments::open(&state, &view, &user, id).await?;
    Ok(file_response(&file, reader, q.disposition()))
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

/// The files of an upload form, checked: at least one, with its kind.
async fn read_upload(
    state: &crate::state::AppState,
    user: &CurrentUser,
    form: Multipart,
) -> Result<attachments::WithFiles, AppError> {
    let form = StagedForm::read(state, user, form, "file").await?;
    let kind = parse_kind(form.field("kind"))?;
    if form.files.is_empty() {
        return Err(AppError::BadRequest("请选择要上传的文件".into()));
    }
    Ok(attachments::WithFiles { kind, files: form.files })
}

/// Whether an error is the person's to fix (shown on the page) rather
/// than the error page's.
fn is_refusal(e: &AppError) -> bool {
    matches!(e, AppError::BadRequest(_) | AppError::TooLarge(_) | AppError::Conflict(_) | AppError::Busy)
}

fn refusal_status(e: &AppError) -> StatusCode {
    match e.status() {
        StatusCode::BAD_REQUEST => StatusCode::UNPROCESSABLE_ENTITY,
        status => status,
    }
}

/// POST /records/{id}/attachments: one or more files from the record's
/// page; back to it with what happened.
pub async fn upload(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let outcome = async {
        let upload = read_upload(&state, &user, form).await?;
        let n = upload.files.len();
        attachments::attach_all(&state, &view, &user, Target::Record(id), upload.kind, upload.files).await?;
        Ok(n)
    }
    .await;
    match outcome {
        Ok(n) => Ok(Redirect::to(&format!("/records/{id}?uploaded={n}#files")).into_response()),
        Err(e) if is_refusal(&e) => {
            let flash = html! { div.flash.error { "文件未上传：" (e.message()) } };
            let body = super::records::show::page_with(&state, &view, &user, id, flash).await?;
            Ok((refusal_status(&e), body).into_response())
        }
        Err(e) => Err(e),
    }
}

/// A number named in the path besides `{id}` (a review, a step).
pub fn path_number(params: &RawPathParams, name: &str) -> Result<i64, AppError> {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| AppError::NotFound("页面不存在".into()))
}

/// A refused upload or void on a page other than a record's: what went
/// wrong and the way back (the owner's page keeps its own forms simple).
fn refused_page(user: &CurrentUser, what: &str, e: &AppError, back_to: &str) -> Response {
    let body = html! {
        (super::layout::back(back_to, "返回"))
        h1 { (what) }
        div.flash.error { (e.message()) }
        p { a.btn href=(back_to) { "返回重新操作" } }
    };
    (refusal_status(e), super::layout::page(what, Some(user), body)).into_response()
}

/// Uploads from an owner's page other than a record's, then back to it.
async fn upload_to(c: Ctx, form: Multipart, target: Target, back_to: String) -> Result<Response, AppError> {
    let Ctx { state, user, view, .. } = c;
    let outcome = async {
        let upload = read_upload(&state, &user, form).await?;
        attachments::attach_all(&state, &view, &user, target, upload.kind, upload.files).await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(([(header::SET_COOKIE, Done::Uploaded.cookie())], Redirect::to(&format!("{back_to}#files")))
            .into_response()),
        Err(e) if is_refusal(&e) => Ok(refused_page(&user, "文件未上传", &e, &back_to)),
        Err(e) => Err(e),
    }
}

/// POST /risks/{id}/reviews/{review}/attachments
pub async fn upload_to_risk_review(c: Ctx, params: RawPathParams, form: Multipart) -> Result<Response, AppError> {
    let (risk, review) = (c.id, path_number(&params, "review")?);
    upload_to(c, form, Target::RiskReview { risk, review }, format!("/risks/{risk}")).await
}

/// POST /rectifications/{id}/attachments
pub async fn upload_to_rectification(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let id = c.id;
    upload_to(c, form, Target::Rectification(id), format!("/rectifications/{id}")).await
}

/// POST /feedback/{id}/steps/{step}/attachments
pub async fn upload_to_feedback_step(c: Ctx, params: RawPathParams, form: Multipart) -> Result<Response, AppError> {
    let (item, step) = (c.id, path_number(&params, "step")?);
    upload_to(c, form, Target::FeedbackStep { item, step }, format!("/feedback/{item}")).await
}

/// POST /drafts/{id}/attachments
pub async fn upload_to_draft(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let id = c.id;
    upload_to(c, form, Target::Draft(id), format!("/drafts/{id}")).await
}

/// The page a file is listed on.
pub async fn owner_page(state: &crate::state::AppState, file: &Attachment) -> Result<String, AppError> {
    Ok(match file.owner.as_str() {
        OWNER_RISK_REVIEW => match state.store.risk_of_review(file.owner_id).await? {
            Some(risk) => format!("/risks/{risk}"),
            None => "/".into(),
        },
        OWNER_RECTIFICATION => format!("/rectifications/{}", file.owner_id),
        OWNER_FEEDBACK => format!("/feedback/{}", file.owner_id),
        OWNER_DRAFT => format!("/drafts/{}", file.owner_id),
        _ => format!("/records/{}", file.owner_id),
    })
}

#[derive(Deserialize)]
pub struct VoidForm {
    #[serde(default)]
    reason: String,
}

/// POST /attachments/{id}/void
pub async fn void(c: Ctx, Submitted { form, .. }: Submitted<VoidForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let file = attachments::load(&state, &view, &user, id).await?;
    let back_to = owner_page(&state, &file).await?;
    match attachments::void(&state, &view, &user, id, &form.reason).await {
        Ok(_) if file.owner == taizhang_store::OWNER_RECORD => {
            Ok(Redirect::to(&format!("{back_to}?voided=1#files")).into_response())
        }
        Ok(_) => Ok(([(header::SET_COOKIE, Done::FileVoided.cookie())], Redirect::to(&format!("{back_to}#files")))
            .into_response()),
        Err(e) if file.owner == taizhang_store::OWNER_RECORD => {
            let r = refusal(e)?;
            let body = super::records::show::page_with(&state, &view, &user, file.owner_id, r.flash()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => {
            let e = AppError::from(e);
            if is_refusal(&e) {
                Ok(refused_page(&user, "文件未作废", &e, &back_to))
            } else {
                Err(e)
            }
        }
    }
}

/// The files section of a record's page.
pub fn section(user: &CurrentUser, record_id: i64, files: &[Listed], can_upload: bool) -> Markup {
    let form = html! {
        @if can_upload { (upload_form(user, &format!("/records/{record_id}/attachments"), "", "上传")) }
    };
    files_section(user, files, &|_| None, form)
}

/// The files section of an owner's page: every file, with what part of
/// the owner it belongs to when `part` says (a review, a step), and the
/// upload forms the caller may use.
pub fn files_section(
    user: &CurrentUser,
    files: &[Listed],
    part: &dyn Fn(&Listed) -> Option<String>,
    forms: Markup,
) -> Markup {
    let live = files.iter().filter(|f| f.file.void.is_none()).count();
    let parts = files.iter().any(|f| part(f).is_some());
    html! {
        h2 #files { "佐证材料" @if live > 0 { "（" (live) "份）" } }
        @if files.is_empty() {
            p.muted { "尚未上传佐证材料。" }
        } @else {
            table.files {
                thead { tr { th { "文件" } @if parts { th { "所属" } } th { "类别" } th { "类型" } th { "大小" } th { "上传人" } th { "上传时间" } th { "SHA-256" } th {} } }
                tbody {
                    @for listed in files {
                        @let Listed { file, can_void, .. } = listed;
                        tr class=[file.void.is_some().then_some("voided")] {
                            td data-label="文件" {
                                @if file.file_type.is_image() {
                                    img.thumb src=(format!("/attachments/{}/thumbnail.png", file.id)) alt="" width="60" loading="lazy";
                                    " "
                                }
                                a href=(format!("/attachments/{}", file.id)) download { (file.name) }
                                @if file.file_type.inline_safe() {
                                    " " a.muted href=(format!("/attachments/{}?inline=1", file.id)) target="_blank" rel="noopener" { "查看" }
                                }
                                @if let Some(v) = &file.void {
                                    br; small { "【已作废】" (v.by_name) " " (shanghai_minute(v.at)) "：" (v.reason) }
                                }
                            }
                            @if parts { td data-label="所属" { (part(listed).unwrap_or_default()) } }
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
        (forms)
    }
}

/// The file fields of a form: the kind (named `kind_name`) and the file
/// input (several files; the phone offers its camera and photo library).
/// `suffix` keeps ids apart when a page has several such forms.
pub fn file_fields(suffix: &str, label: &str, kind_name: &str) -> Markup {
    let (kind_id, file_id) = (format!("kind{suffix}"), format!("file{suffix}"));
    html! {
        label for=(kind_id) { "材料类别" }
        select id=(kind_id) name=(kind_name) {
            @for k in FileKind::ALL { option value=(k.code()) { (k.label()) } }
        }
        label for=(file_id) { (label) }
        input id=(file_id) type="file" name="file" multiple accept=(accept()) data-upload;
        p.muted { "接受 PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx）、OFD，单个文件不超过规定大小；类型按文件内容识别。" }
        progress hidden max="100" value="0" aria-label="上传进度" {}
        // Drop anywhere on the form and upload progress; the form works without it.
        script src=(UPLOAD_SCRIPT_PATH) defer {}
    }
}

/// The file fields of a form that also carries other fields (a new
/// record, a 销号 request, a feedback step); the file input comes last.
pub fn optional_files(suffix: &str) -> Markup {
    html! {
        fieldset.files {
            legend { "佐证材料（可选，可多选；与本表单一并保存）" }
            (file_fields(suffix, "选择文件（手机可拍照）", crate::pages::upload::FILE_KIND_FIELD))
        }
    }
}

/// A form that only uploads files to `action`.
pub fn upload_form(user: &CurrentUser, action: &str, suffix: &str, button: &str) -> Markup {
    html! {
        form.upload method="post" enctype="multipart/form-data" action=(action) {
            (csrf_field(user))
            (file_fields(suffix, "选择文件（可多选；可直接拖入；手机可拍照）", "kind"))
            button.btn type="submit" { (button) }
        }
    }
}
