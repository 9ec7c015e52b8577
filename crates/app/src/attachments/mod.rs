//! Evidence files (佐证材料) on records, risk reviews, rectification
//! problems, feedback steps and published drafts: who may attach, list,
//! read and void them (exactly who may change or see the owner; see
//! `owner.rs`), what is accepted (the type told from the content, a size
//! limit, an optional quota per unit) and how an upload reaches the store
//! without being held in memory.
//!
//! An upload is written to a temporary file as it arrives ([`Upload`]),
//! hashed and counted on the way and refused as soon as it passes the
//! limit; its type is told from its first bytes and, for a zip, from its
//! members. Only then is one write transaction opened, which copies the
//! file into the store a chunk at a time and writes the audited row.

mod owner;

pub use owner::{attach, attach_all, attach_to_record, of, Listed, Parent, Target};
// For the operations that write an owner and its files in one transaction
// (a new record, a 销号 request, a feedback step); not for the adapters.
pub(crate) use owner::{check_quota, store_files, Resolved};

/// Files chosen with a form that creates or changes their owner (a new
/// record, a 销号 request, a feedback step): attached in the same
/// transaction, all under one kind.
pub struct WithFiles {
    pub kind: taizhang_core::attachment::FileKind,
    pub files: Vec<Staged>,
}

use crate::view::View;
use crate::{App, Caller, Error, Result};
use sha2::{Digest, Sha256};
use taizhang_core::attachment::{self, FileType, Sniffed};
use taizhang_store::{Attachment, BlobReader};
use tokio::io::AsyncWriteExt;

/// What uploads may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, in bytes (`--max-file-mb`, default 20 MB).
    pub max_bytes: u64,
    /// The most bytes of files (not voided) one unit may hold; `None`: no quota.
    pub unit_quota: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: attachment::DEFAULT_MAX_BYTES, unit_quota: None }
    }
}

const MB: u64 = 1024 * 1024;

fn too_large(limits: &Limits) -> Error {
    Error::TooLarge(format!("文件超过{}MB，请压缩或拆分后再上传", limits.max_bytes.div_ceil(MB)))
}

pub(crate) fn io(e: std::io::Error) -> Error {
    Error::Internal(format!("临时文件读写失败：{e}"))
}

/// A file being received: written to a temporary file, hashed and counted.
pub struct Upload {
    file: tokio::fs::File,
    path: tempfile::TempPath,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limits: Limits,
}

/// A received file, measured and typed, ready to attach.
pub struct Staged {
    pub(crate) path: tempfile::TempPath,
    pub name: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: String,
}

impl Upload {
    pub fn new(app: &App) -> Result<Upload> {
        let (file, path) = tempfile::NamedTempFile::new().map_err(io)?.into_parts();
        Ok(Upload {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            limits: app.attachment_limits,
        })
    }

    /// Takes the next piece of the file; refuses it once the whole passes
    /// the size limit (the temporary file goes with the `Upload`).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.size += chunk.len() as u64;
        if self.size > self.limits.max_bytes {
            return Err(too_large(&self.limits));
        }
        if self.head.len() < attachment::SNIFF_BYTES {
            let take = (attachment::SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await.map_err(io)
    }

    /// The received file, typed from its content; `raw_name` is only kept
    /// (cleaned, with the type's extension), never believed.
    pub async fn finish(mut self, raw_name: &str) -> Result<Staged> {
        self.file.flush().await.map_err(io)?;
        if self.size == 0 {
            return Err(Error::Invalid("请选择要上传的文件（文件不能为空）".into()));
        }
        let file_type = match attachment::sniff(&self.head) {
            Sniffed::Type(t) => t,
            Sniffed::Zip => {
                let std_file = self.file.into_std().await;
                tokio::task::spawn_blocking(move || zip_members_type(std_file))
                    .await
                    .map_err(|e| Error::Internal(e.to_string()))?
                    .ok_or_else(|| Error::Invalid(attachment::UNKNOWN_TYPE_MESSAGE.into()))?
            }
            Sniffed::Unknown => return Err(Error::Invalid(attachment::UNKNOWN_TYPE_MESSAGE.into())),
        };
        Ok(Staged {
            path: self.path,
            name: attachment::clean_name(raw_name, file_type),
            file_type,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
        })
    }
}

/// DOCX, XLSX or OFD from a zip's member names (its central directory is
/// read, not its content).
fn zip_members_type(file: std::fs::File) -> Option<FileType> {
    let archive = zip::ZipArchive::new(file).ok()?;
    let names: Vec<String> = archive.file_names().filter_map(|n| n.ok()).map(|n| n.into_owned()).collect();
    attachment::zip_type(names.iter().map(String::as_str))
}

pub(crate) fn may_void(view: &View, caller: &Caller, file: &Attachment) -> bool {
    let access = view.access(caller);
    access.can_write(file.unit_id)
        && (access.can_manage(file.unit_id) || file.by == Some(caller.person.id) || access.is_administrator())
}

/// A file the caller may see.
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64) -> Result<Attachment> {
    let file = app.store.attachment(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的文件")))?;
    view.access(caller).require_view(file.unit_id)?;
    Ok(file)
}

/// A file the caller may see, opened for reading a chunk at a time.
pub async fn open(app: &App, view: &View, caller: &Caller, id: i64) -> Result<(Attachment, BlobReader)> {
    let file = load(app, view, caller, id).await?;
    let reader = app.store.open_blob(&file.sha256).await?;
    Ok((file, reader))
}

/// Voids a file with a reason: the uploader, the unit's secretary or a
/// leader, or an administrator, as for records.
pub async fn void(app: &App, view: &View, caller: &Caller, id: i64, reason: &str) -> Result<Attachment> {
    let file = load(app, view, caller, id).await?;
    view.access(caller).require_write(file.unit_id)?;
    if !may_void(view, caller, &file) {
        return Err(Error::Invalid("只有上传人、本单位书记或班子成员可以作废这个文件".into()));
    }
    if let Some(why) = owner::closed_reason(app, &file).await? {
        return Err(Error::Invalid(why.into()));
    }
    let mut w = app.store.begin_write().await?;
    let file = w.void_attachment(&caller.actor(), id, reason).await?;
    w.commit().await?;
    Ok(file)
}

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_PX: u32 = 240;

/// A small PNG of an image file, made once and kept (by content hash).
pub async fn thumbnail(app: &App, view: &View, caller: &Caller, id: i64) -> Result<Vec<u8>> {
    let file = load(app, view, caller, id).await?;
    if !file.file_type.is_image() {
        return Err(Error::NotFound("该文件没有缩略图".into()));
    }
    if let Some(png) = app.store.thumbnail(&file.sha256).await? {
        return Ok(png);
    }
    let mut reader = app.store.open_blob(&file.sha256).await?;
    let mut bytes = Vec::with_capacity(file.size as usize);
    while let Some(chunk) = reader.next_chunk().await? {
        bytes.extend(chunk);
    }
    let png = tokio::task::spawn_blocking(move || make_thumbnail(&bytes))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    app.store.put_thumbnail(&file.sha256, &png).await?;
    Ok(png)
}

fn make_thumbnail(bytes: &[u8]) -> Result<Vec<u8>> {
    let image = image::load_from_memory(bytes).map_err(|_| Error::Invalid("图片无法读取，不能生成缩略图".into()))?;
    let small = image.thumbnail(THUMBNAIL_PX, THUMBNAIL_PX);
    let mut out = std::io::Cursor::new(Vec::new());
    small.write_to(&mut out, image::ImageFormat::Png).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(out.into_inner())
}
