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

impl StagedForm {
    pub async fn read(
        app: &taizhang_app::App,
        user: &CurrentUser,
        mut form: Multipart,
        file_field: &str,
    ) -> Result<StagedForm, AppError> {
        use taizhang_app::attachments::Upload as Receiving;
        let (mut fields, mut files) = (HashMap::new(), Vec::new());
        let mut csrf_checked = false;
        let broken = |e: MultipartError| AppError::BadRequest(format!("上传内容无法读取：{e}"));
        while let Some(mut field) = form.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == file_field {
                if !csrf_checked {
                    user.check_csrf("")?;
                    csrf_checked = true;
                }
                let raw_name = field.file_name().unwrap_or_default().to_string();
                let mut receiving = Receiving::new(app)?;
                let mut empty = true;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    empty &= chunk.is_empty();
                    receiving.write(&chunk).await?;
                }
                // A file input left empty still sends a part with no name.
                if empty && raw_name.is_empty() {
                    continue;
                }
                files.push(receiving.finish(&raw_name).await?);
            } else {
                let text = field.text().await.map_err(broken)?;
                if name == "csrf" {
                    user.check_csrf(&text)?;
                    csrf_checked = true;
                }
                refuse_nul(&text)?;
                fields.insert(name, text);
            }
        }
        if !csrf_checked {
            user.check_csrf("")?;
        }
        Ok(StagedForm { fields, files })
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}
