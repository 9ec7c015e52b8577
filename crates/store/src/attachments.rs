//! Evidence files (佐证材料). An attachment row is audited like a record;
//! the content it names is addressed by SHA-256 and kept once however
//! often it is attached: by default in `blob_chunks` (1 MiB rows, written
//! in the attaching transaction, read back a chunk at a time), or with
//! `--files-dir` as `<dir>/<ab>/<sha256>`. `verify_files` re-hashes
//! every stored file.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::path::{Path, PathBuf};
use taizhang_core::attachment::{FileKind, FileType};
use taizhang_core::record::FieldError;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// The owner code of a record's attachments.
pub const OWNER_RECORD: &str = "record";
/// A review of a risk (`risk_reviews.id`).
pub const OWNER_RISK_REVIEW: &str = "risk_review";
/// A rectification problem, its 销号 request's proof (`rectifications.id`).
pub const OWNER_RECTIFICATION: &str = "rectification";
/// A feedback entry (`feedback.id`); the step is in `feedback_step_files`.
pub const OWNER_FEEDBACK: &str = "feedback";
/// A published draft (`drafts.id`).
pub const OWNER_DRAFT: &str = "draft";

/// Rows of `blob_chunks` hold this many bytes (the last one fewer).
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// The longest reason for voiding a file.
const VOID_REASON_MAX_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentVoid {
    pub at: chrono::DateTime<chrono::Utc>,
    pub by_name: String,
    pub reason: String,
}

/// An attached file as its row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub owner: String,
    pub owner_id: i64,
    pub unit_id: i64,
    pub kind: FileKind,
    pub name: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<i64>,
    pub by_name: String,
    pub void: Option<AttachmentVoid>,
}

/// A file to attach, whose content is already in the store
/// ([`WriteTx::put_blob`]).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub owner: &'static str,
    pub owner_id: i64,
    pub unit_id: i64,
    pub kind: FileKind,
    pub name: String,
    pub file_type: FileType,
    pub size: u64,
    pub sha256: String,
}

/// A stored file found wrong by [`Store::verify_files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub attachment_id: i64,
    pub message: String,
}

const COLUMNS: &str = "id, owner, owner_id, unit_id, kind, name, file_type, size, sha256, at, person_id, person_name, \
                       void_at, void_by_name, void_reason";

fn attachment_from(row: &AnyRow) -> Result<Attachment, StoreError> {
    let kind: String = row.try_get("kind")?;
    let file_type: String = row.try_get("file_type")?;
    let void = match row.try_get::<Option<String>, _>("void_at")? {
        Some(at) => Some(AttachmentVoid {
            at: crate::parse_instant(&at),
            by_name: row.try_get::<Option<String>, _>("void_by_name")?.unwrap_or_default(),
            reason: row.try_get::<Option<String>, _>("void_reason")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Attachment {
        id: row.try_get("id")?,
        owner: row.try_get("owner")?,
        owner_id: row.try_get("owner_id")?,
        unit_id: row.try_get("unit_id")?,
        kind: FileKind::from_code(&kind).unwrap_or(FileKind::Other),
        name: row.try_get("name")?,
        file_type: FileType::from_code(&file_type)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的文件类型无法识别：{file_type}")))?,
        size: row.try_get::<i64, _>("size")? as u64,
        sha256: row.try_get("sha256")?,
        at: crate::parse_instant(&row.try_get::<String, _>("at")?),
        by: row.try_get("person_id")?,
        by_name: row.try_get("person_name")?,
        void,
    })
}

fn blob_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

fn valid_sha(sha256: &str) -> Result<(), StoreError> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("不是有效的 SHA-256：{sha256}")))
    }
}

impl Store {
    /// Keeps new file contents in `dir` instead of the database. Files
    /// already in the database stay there and are still read.
    pub fn with_files_dir(mut self, dir: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| StoreError::Invalid(format!("无法创建文件目录 {}：{e}", dir.display())))?;
        self.files_dir = Some(std::sync::Arc::new(dir));
        Ok(self)
    }

    pub fn files_dir(&self) -> Option<&Path> {
        self.files_dir.as_deref().map(|p| p.as_path())
    }

    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(attachment_from).transpose()
    }

    /// The files of some owners (voided ones too), by owner and time.
    pub async fn attachments_of(&self, owner: &str, owner_ids: &[i64]) -> Result<Vec<Attachment>, StoreError> {
        if owner_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(2, owner_ids.len());
        let sql = format!(
            "SELECT {COLUMNS} FROM attachments WHERE owner = $1 AND owner_id IN ({}) ORDER BY owner_id, id",
            placeholders
        );
        let mut query = sqlx::query(&sql).bind(owner);
        for id in owner_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(attachment_from).collect()
    }

    /// The files (voided ones too) of the risk reviews written with some
    /// records, each with that record's id: a review's files are the
    /// evidence of the `risk_review` record it wrote.
    pub async fn risk_review_files_of_records(&self, record_ids: &[i64]) -> Result<Vec<(i64, Attachment)>, StoreError> {
        if record_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(2, record_ids.len());
        let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect();
        let sql = format!(
            "SELECT {}, r.record_id AS review_record FROM attachments a JOIN risk_reviews r ON a.owner_id = r.id \
             WHERE a.owner = $1 AND r.record_id IN ({}) ORDER BY a.id",
            columns.join(", "),
            placeholders
        );
        let mut query = sqlx::query(&sql).bind(OWNER_RISK_REVIEW);
        for id in record_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("review_record")?, attachment_from(r)?))).collect()
    }

    /// The risk a review is of, for the page its files are listed on.
    pub async fn risk_of_review(&self, review_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT risk_id FROM risk_reviews WHERE id = $1")
            .bind(review_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The step (1 = the first) each of some feedback files was attached
    /// with, as (attachment id, step).
    pub async fn feedback_file_steps(&self, attachment_ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
        if attachment_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(1, attachment_ids.len());
        let sql =
            format!("SELECT attachment_id, step_no FROM feedback_step_files WHERE attachment_id IN ({})", placeholders);
        let mut query = sqlx::query(&sql);
        for id in attachment_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// (record id, kind) of every file attached and not voided, for the
    /// engine: of the given units' records, or of all with an empty list.
    pub async fn record_file_kinds(&self, unit_ids: &[i64]) -> Result<Vec<(i64, FileKind)>, StoreError> {
        let placeholders = crate::bulk::numbered(2, unit_ids.len());
        let filter = if unit_ids.is_empty() { String::new() } else { format!(" AND unit_id IN ({})", placeholders) };
        let sql = format!("SELECT owner_id, kind FROM attachments WHERE owner = $1 AND void_at IS NULL{filter}");
        let mut query = sqlx::query(&sql).bind(OWNER_RECORD);
        for id in unit_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                Ok((r.try_get(0)?, FileKind::from_code(&kind).unwrap_or(FileKind::Other)))
            })
            .collect()
    }

    /// Bytes of the files attached and not voided on a unit: for its quota.
    pub async fn unit_attachment_bytes(&self, unit_id: i64) -> Result<u64, StoreError> {
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(size) AS BIGINT) FROM attachments WHERE unit_id = $1 AND void_at IS NULL",
        )
        .bind(unit_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(total.unwrap_or(0) as u64)
    }

    /// The PNG thumbnail kept for an image's content, if made already.
    pub async fn thumbnail(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(sqlx::query_scalar("SELECT data FROM thumbnails WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Keeps a thumbnail (not evidence, so not audited; two servers making
    /// the same one at once is harmless).
    pub async fn put_thumbnail(&self, sha256: &str, png: &[u8]) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO thumbnails (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256)
            .bind(png)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Opens a stored file for reading in chunks.
    pub async fn open_blob(&self, sha256: &str) -> Result<BlobReader, StoreError> {
        valid_sha(sha256)?;
        let location: Option<String> = sqlx::query_scalar("SELECT location FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        match location.as_deref() {
            None => Err(StoreError::NotFound("文件内容已缺失".into())),
            Some("dir") => {
                let dir = self
                    .files_dir()
                    .ok_or_else(|| StoreError::Invalid("该文件保存在文件目录中，但本服务未配置 --files-dir".into()))?;
                let file = tokio::fs::File::open(blob_path(dir, sha256))
                    .await
                    .map_err(|_| StoreError::NotFound("文件内容已缺失".into()))?;
                Ok(BlobReader::File(file))
            }
            Some(_) => Ok(BlobReader::Db { store: self.clone(), sha256: sha256.into(), next: 0 }),
        }
    }

    /// Re-hashes every stored file that an attachment names and reports
    /// each attachment whose file is missing or changed.
    pub async fn verify_files(&self) -> Result<Vec<FileProblem>, StoreError> {
        let rows =
            sqlx::query("SELECT id, name, sha256, size FROM attachments ORDER BY id").fetch_all(&self.pool).await?;
        let mut verdicts: std::collections::HashMap<String, Option<&'static str>> = Default::default();
        let mut problems = Vec::new();
        for row in &rows {
            let (id, name, sha256, size): (i64, String, String, i64) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
            let verdict = match verdicts.get(&sha256) {
                Some(v) => *v,
                None => {
                    let v = self.check_blob(&sha256, size as u64).await?;
                    verdicts.insert(sha256.clone(), v);
                    v
                }
            };
            if let Some(what) = verdict {
                problems.push(FileProblem {
                    attachment_id: id, message: format!("佐证材料第{id}号“{name}”{what}")
                });
            }
        }
        Ok(problems)
    }

    async fn check_blob(&self, sha256: &str, size: u64) -> Result<Option<&'static str>, StoreError> {
        let mut reader = match self.open_blob(sha256).await {
            Ok(r) => r,
            Err(StoreError::NotFound(_)) => return Ok(Some("的文件已缺失")),
            Err(e) => return Err(e),
        };
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        while let Some(chunk) = reader.next_chunk().await? {
            total += chunk.len() as u64;
            hasher.update(&chunk);
        }
        if total != size || hex::encode(hasher.finalize()) != sha256 {
            return Ok(Some("的文件内容已被改动（SHA-256 不符）"));
        }
        Ok(None)
    }
}

/// A stored file read a chunk at a time, so a download never holds more
/// than one chunk.
pub enum BlobReader {
    Db { store: Store, sha256: String, next: i64 },
    File(tokio::fs::File),
}

impl BlobReader {
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            BlobReader::Db { store, sha256, next } => {
                let data: Option<Vec<u8>> =
                    sqlx::query_scalar("SELECT data FROM blob_chunks WHERE sha256 = $1 AND seq = $2")
                        .bind(sha256.as_str())
                        .bind(*next)
                        .fetch_optional(&store.pool)
                        .await?;
                *next += 1;
                Ok(data)
            }
            BlobReader::File(file) => {
                let mut buf = vec![0u8; 256 * 1024];
                let n = file.read(&mut buf).await.map_err(|e| StoreError::Invalid(format!("读取文件失败：{e}")))?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some(buf))
            }
        }
    }
}

impl WriteTx<'_> {
    /// Stores a file's content under its SHA-256 unless it is there
    /// already. `content` is read to its end a chunk at a time; `sha256`
    /// and `size` must be what the caller measured of it (checked again).
    pub async fn put_blob(
        &mut self,
        sha256: &str,
        size: u64,
        mut content: impl AsyncRead + Unpin,
    ) -> Result<(), StoreError> {
        valid_sha(sha256)?;
        let exists: Option<String> = sqlx::query_scalar("SELECT location FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(self.conn())
            .await?;
        if exists.is_some() {
            return Ok(());
        }
        let io = |e: std::io::Error| StoreError::Invalid(format!("保存文件失败：{e}"));
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        let mut buf = vec![0u8; CHUNK_BYTES];
        let location = match self.files_dir.clone() {
            Some(dir) => {
                let path = blob_path(&dir, sha256);
                tokio::fs::create_dir_all(path.parent().expect("blob paths have a parent")).await.map_err(io)?;
                let partial = path.with_extension(format!("part{}", std::process::id()));
                let mut out = tokio::fs::File::create(&partial).await.map_err(io)?;
                loop {
                    let n = fill(&mut content, &mut buf).await.map_err(io)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    total += n as u64;
                    out.write_all(&buf[..n]).await.map_err(io)?;
                }
                out.sync_all().await.map_err(io)?;
                drop(out);
                check_measure(sha256, size, hasher, total).inspect_err(|_| {
                    let _ = std::fs::remove_file(&partial);
                })?;
                tokio::fs::rename(&partial, &path).await.map_err(io)?;
                "dir"
            }
            None => {
                let mut seq = 0i64;
                loop {
                    let n = fill(&mut content, &mut buf).await.map_err(io)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    total += n as u64;
                    sqlx::query("INSERT INTO blob_chunks (sha256, seq, data) VALUES ($1, $2, $3)")
                        .bind(sha256)
                        .bind(seq)
                        .bind(&buf[..n])
                        .execute(self.conn())
                        .await?;
                    seq += 1;
                }
                check_measure(sha256, size, hasher, total)?;
                "db"
            }
        };
        sqlx::query("INSERT INTO blobs (sha256, size, location) VALUES ($1, $2, $3)")
            .bind(sha256)
            .bind(size as i64)
            .bind(location)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn create_attachment(&mut self, actor: &Actor, new: &NewAttachment) -> Result<Attachment, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (owner, owner_id, unit_id, kind, name, file_type, size, sha256, at, person_id, person_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(new.owner)
        .bind(new.owner_id)
        .bind(new.unit_id)
        .bind(new.kind.code())
        .bind(&new.name)
        .bind(new.file_type.code())
        .bind(new.size as i64)
        .bind(&new.sha256)
        .bind(crate::now_text())
        .bind(actor.person_id)
        .bind(&actor.name)
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "attachments", id, None).await?;
        self.attachment_in_tx(id).await
    }

    /// Says with which step (1 = the first) of its feedback entry a file
    /// was attached; audited like the file.
    pub async fn link_feedback_step(
        &mut self,
        actor: &Actor,
        attachment_id: i64,
        step_no: i64,
    ) -> Result<(), StoreError> {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO feedback_step_files (attachment_id, step_no) VALUES ($1, $2) RETURNING id")
                .bind(attachment_id)
                .bind(step_no)
                .fetch_one(self.conn())
                .await?;
        audit::append(self, actor, "create", "feedback_step_files", id, None).await?;
        Ok(())
    }

    /// Voids a file with a reason: it leaves the evidence, the bundle and
    /// the lists of files; its row, its content and the audit chain keep it.
    pub async fn void_attachment(&mut self, actor: &Actor, id: i64, reason: &str) -> Result<Attachment, StoreError> {
        let reason = reason.trim();
        let field = |message: String| StoreError::Fields(vec![FieldError { field: "reason", message }]);
        if reason.is_empty() {
            return Err(field("请填写作废原因".into()));
        }
        if reason.chars().count() > VOID_REASON_MAX_CHARS {
            return Err(field(format!("作废原因至多{VOID_REASON_MAX_CHARS}字")));
        }
        let current = self.attachment_in_tx(id).await?;
        if current.void.is_some() {
            return Err(StoreError::Conflict("该文件已作废".into()));
        }
        let before = audit::snapshot(self.conn(), "attachments", id).await?;
        sqlx::query("UPDATE attachments SET void_at = $1, void_by_name = $2, void_reason = $3 WHERE id = $4")
            .bind(crate::now_text())
            .bind(&actor.name)
            .bind(reason)
            .bind(id)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "void", "attachments", id, before).await?;
        self.attachment_in_tx(id).await
    }

    async fn attachment_in_tx(&mut self, id: i64) -> Result<Attachment, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的文件")))?;
        attachment_from(&row)
    }
}

/// Reads until `buf` is full or the input ends; the bytes read.
async fn fill(input: &mut (impl AsyncRead + Unpin), buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let got = input.read(&mut buf[n..]).await?;
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok(n)
}

fn check_measure(sha256: &str, size: u64, hasher: Sha256, total: u64) -> Result<(), StoreError> {
    if total != size || hex::encode(hasher.finalize()) != sha256 {
        return Err(StoreError::Invalid("文件在保存过程中发生变化，请重新上传".into()));
    }
    Ok(())
}
