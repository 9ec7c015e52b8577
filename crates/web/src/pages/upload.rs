//! Multipart forms with one uploaded file (a CSV or .xlsx to import, a .docx
//! draft): read once here, so every form has the same limits, messages
//! and CSRF check (the url-encoded forms get theirs from `form::Submitted`).

use crate::auth::CurrentUser;
use crate::error::{refuse_nul, AppError};
use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use std::collections::HashMap;

const MB: usize = 1024 * 1024;

/// The text fields of a form and its files by field name.
pub struct Upload {
    fields: HashMap<String, String>,
    files: HashMap<String, Vec<u8>>,
}

fn too_large(max_bytes: usize) -> AppError {
    AppError::BadRequest(format!("上传的文件超过{}MB", max_bytes / MB))
}

/// A broken form, or one cut off by the route's body limit (which sits a
/// little above `max_bytes`, so the message is the same as ours).
fn unreadable(e: MultipartError, max_bytes: usize) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max_bytes)
    } else {
        AppError::BadRequest(format!("上传内容无法读取：{e}"))
    }
}

impl Upload {
    /// Reads the form of `user`, refused unless its CSRF token checks out;
    /// `file_fields` are read as bytes, any larger than `max_bytes` refused.
    ///
    /// The token must come before any file (every form of ours puts it
    /// first, and browsers send fields in page order), so a forged upload is
    /// refused before its file is read at all.
    pub async fn read(
        user: &CurrentUser,
        mut form: Multipart,
        file_fields: &[&str],
        max_bytes: usize,
    ) -> Result<Upload, AppError> {
        let (mut fields, mut files) = (HashMap::new(), HashMap::new());
        let mut csrf_checked = false;
        let unreadable = |e| unreadable(e, max_bytes);
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_string();
            if file_fields.contains(&name.as_str()) {
                if !csrf_checked {
                    user.check_csrf("")?;
                }
                let bytes = field.bytes().await.map_err(unreadable)?;
                if bytes.len() > max_bytes {
                    return Err(too_large(max_bytes));
                }
                files.insert(name, bytes.to_vec());
            } else {
                let text = field.text().await.map_err(unreadable)?;
                if name == "csrf" {
                    user.check_csrf(&text)?;
                    csrf_checked = true;
                }
                fields.insert(name, text);
            }
        }
        if !csrf_checked {
            user.check_csrf("")?;
        }
        let upload = Upload { fields, files };
        upload.fields.values().try_for_each(|v| refuse_nul(v))?;
        Ok(upload)
    }

    /// The CSV file chosen under `name`, as text; refused when none was.
    pub fn csv(&self, name: &str) -> Result<String, AppError> {
        if self.file(name).is_none() {
            return Err(AppError::BadRequest("请选择要导入的文件".into()));
        }
        self.text_file(name)
    }

    /// The file to import chosen under `name` (CSV or .xlsx, told apart
    /// by content when it is read); refused when none was.
    pub fn import_file(&self, name: &str) -> Result<&[u8], AppError> {
        self.file(name).ok_or_else(|| AppError::BadRequest("请选择要导入的文件".into()))
    }

    /// A text field, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// A file's bytes; `None` when no file (or an empty one) was chosen.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice).filter(|b| !b.is_empty())
    }

    /// A file as UTF-8 text (a CSV to import); empty when none was chosen.
    pub fn text_file(&self, name: &str) -> Result<String, AppError> {
        let text = String::from_utf8(self.file(name).unwrap_or_default().to_vec())
            .map_err(|_| AppError::BadRequest("文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8”".into()))?;
        refuse_nul(&text)?;
        Ok(text)
    }
}

/// A multipart form whose files are not held in memory: each file under
/// `file_field` is streamed to a temporary file as it arrives, hashed,
/// counted against the size limit (413 past it) and typed from its content
/// ([`taizhang_app::attachments::Upload`]). The CSRF token must come first,
/// as in [`Upload::read`].
pub struct StagedForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<taizhang_app::attachments::Staged>,
}

/// The most bytes of one text field of a multipart form (the files have
/// their own limit): a form's text is small, and is held in memory.
const TEXT_FIELD_MAX_BYTES: usize = 1024 * 1024;

impl StagedForm {
    pub async fn read(
        app: &taizhang_app::App,
        user: &CurrentUser,
        form: Multipart,
        file_field: &str,
    ) -> Result<StagedForm, AppError> {
        let (form, refused) = StagedForm::read_fields_first(app, user, form, file_field).await?;
        match refused {
            Some(e) => Err(e),
            None => Ok(form),
        }
    }

    /// Like [`StagedForm::read`], but a refused file (its type, its size)
    /// comes back beside the text fields read so far instead of in their
    /// place, so a form that carries files with other fields (the file
    /// input last) can be shown again as typed. A bad CSRF token is still
    /// refused outright.
    pub async fn read_fields_first(
        app: &taizhang_app::App,
        user: &CurrentUser,
        mut form: Multipart,
        file_field: &str,
    ) -> Result<(StagedForm, Option<AppError>), AppError> {
        let mut staged = StagedForm { fields: HashMap::new(), files: Vec::new() };
        let mut csrf_checked = false;
        loop {
            let mut field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => return Ok((staged, Some(broken(e)))),
            };
            let name = field.name().unwrap_or_default().to_string();
            if name == file_field {
                if !csrf_checked {
                    user.check_csrf("")?;
                    csrf_checked = true;
                }
                match receive(app, &mut field).await {
                    Ok(Some(file)) => staged.files.push(file),
                    Ok(None) => {}
                    Err(e) => return Ok((staged, Some(e))),
                }
            } else {
                let text = match text_of(&mut field).await {
                    Ok(text) => text,
                    Err(e) => return Ok((staged, Some(e))),
                };
                if name == "csrf" {
                    user.check_csrf(&text)?;
                    csrf_checked = true;
                }
                refuse_nul(&text)?;
                staged.fields.entry(name).or_insert(text);
            }
        }
        if !csrf_checked {
            user.check_csrf("")?;
        }
        Ok((staged, None))
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

fn broken(e: MultipartError) -> AppError {
    AppError::BadRequest(format!("上传内容无法读取：{e}"))
}

/// One file of the form, streamed to a temporary file; `None` for a file
/// input left empty (it still sends a part, with no name).
async fn receive(
    app: &taizhang_app::App,
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<taizhang_app::attachments::Staged>, AppError> {
    let raw_name = field.file_name().unwrap_or_default().to_string();
    let mut receiving = taizhang_app::attachments::Upload::new(app)?;
    let mut empty = true;
    while let Some(chunk) = field.chunk().await.map_err(broken)? {
        empty &= chunk.is_empty();
        receiving.write(&chunk).await?;
    }
    if empty && raw_name.is_empty() {
        return Ok(None);
    }
    Ok(Some(receiving.finish(&raw_name).await?))
}

/// A text field, refused past [`TEXT_FIELD_MAX_BYTES`].
async fn text_of(field: &mut axum::extract::multipart::Field<'_>) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(broken)? {
        if bytes.len() + chunk.len() > TEXT_FIELD_MAX_BYTES {
            return Err(AppError::BadRequest("表单内容过长".into()));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| AppError::BadRequest("表单内容不是有效的 UTF-8 文本".into()))
}

/// A page form that may carry files (a new record, a 销号 request, a
/// feedback step): url-encoded as before, or `multipart/form-data` with
/// files under `file` and their kind under `file_kind` (`kind` may be
/// the form's own field), the file input last.
/// Its CSRF token is checked before any file is read.
pub struct FormWithFiles<T> {
    pub form: T,
    /// The files chosen, if any; or why they were refused (the form's
    /// fields are kept, so the page can show them again).
    pub files: taizhang_app::Result<Option<taizhang_app::attachments::WithFiles>>,
}

/// The name of the kind of the files in a form that carries other fields.
pub const FILE_KIND_FIELD: &str = "file_kind";

/// The largest url-encoded form such a route reads (its body limit is
/// lifted for the files).
const URLENCODED_MAX_BYTES: usize = 2 * 1024 * 1024;

fn as_refusal(e: AppError) -> taizhang_app::Error {
    match e {
        AppError::TooLarge(m) => taizhang_app::Error::TooLarge(m),
        other => taizhang_app::Error::Invalid(other.message()),
    }
}

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<crate::state::AppState> for FormWithFiles<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &crate::state::AppState) -> Result<Self, AppError> {
        use axum::extract::FromRequestParts;
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let (mut parts, body) = req.into_parts();
        if !multipart {
            let bytes = axum::body::to_bytes(body, URLENCODED_MAX_BYTES)
                .await
                .map_err(|_| AppError::TooLarge("表单内容过长".into()))?;
            let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
            let crate::form::Submitted { form, .. } = crate::form::Submitted::<T>::from_request(req, state).await?;
            return Ok(FormWithFiles { form, files: Ok(None) });
        }
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let form = Multipart::from_request(axum::extract::Request::from_parts(parts, body), state)
            .await
            .map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{e}")))?;
        let (staged, refused) = StagedForm::read_fields_first(state, &user, form, "file").await?;
        let fields: Vec<(&String, &String)> = staged.fields.iter().filter(|(_, v)| !v.is_empty()).collect();
        let encoded = serde_urlencoded::to_string(&fields).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let form = serde_urlencoded::from_str(&encoded).map_err(|e| {
            AppError::BadRequest(format!("表单内容无法读取：{}", crate::error::serde_message(&e.to_string())))
        })?;
        let files = match refused {
            Some(e) => Err(as_refusal(e)),
            None => match crate::pages::attachments::parse_kind(staged.field(FILE_KIND_FIELD)) {
                Err(e) => Err(as_refusal(e)),
                Ok(_) if staged.files.is_empty() => Ok(None),
                Ok(kind) => Ok(Some(taizhang_app::attachments::WithFiles { kind, files: staged.files })),
            },
        };
        Ok(FormWithFiles { form, files })
    }
}
