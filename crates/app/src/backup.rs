//! Backups (备份) and restores (恢复), for `taizhang backup`, `taizhang
//! restore`, `taizhang verify-backup` and the scheduled backups of `serve`.
//!
//! A backup is written beside its final name, verified (the audit chain
//! recomputed and every audited row checked, as `taizhang verify` does),
//! and only then renamed into place: a file under the final name is a
//! verified copy. SQLite databases are copied with `VACUUM INTO` (a
//! database file, usable as it is); PostgreSQL databases, and SQLite ones
//! on request, go to a portable archive that `restore` loads into an empty
//! database of either kind.

use crate::{App, Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;
use taizhang_store::{Backend, ChainBroken, ChainReport, Store};

/// The scheduled job's name (its claim keeps it to one server at a time).
pub const JOB: &str = "backup";
/// What scheduled backups are called: the prefix, then the UTC time to
/// the millisecond (names sort by time).
const PREFIX: &str = "taizhang-backup-";

/// The two forms a backup takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A SQLite database file (from `VACUUM INTO`).
    SqliteFile,
    /// A portable archive (zip of JSON lines with a manifest).
    Archive,
}

impl Form {
    /// The form of a file, from its first bytes.
    pub fn of(path: &Path) -> Result<Form> {
        use std::io::Read;
        let mut head = [0u8; 16];
        let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
        let n = file.read(&mut head).map_err(|e| io_error(path, e))?;
        match &head[..n] {
            h if h.starts_with(b"SQLite format 3\0") => Ok(Form::SqliteFile),
            h if h.starts_with(b"PK\x03\x04") => Ok(Form::Archive),
            _ => Err(Error::Invalid(format!(
                "{} 不是台账的备份（既不是 SQLite 数据库，也不是备份归档）",
                path.display()
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Form::SqliteFile => "db",
            Form::Archive => "zip",
        }
    }
}

/// A verified backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub form: Form,
    pub bytes: u64,
    /// The audit chain in the copy.
    pub chain: ChainReport,
}

/// A restored database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub rows: u64,
    pub chain: ChainReport,
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Invalid(format!("无法读写 {}：{e}", path.display()))
}

/// The form a backup of `store` takes: a database file for SQLite unless
/// a portable archive is asked for.
pub fn form_for(store: &Store, portable: bool) -> Form {
    match store.backend() {
        Backend::Sqlite if !portable => Form::SqliteFile,
        _ => Form::Archive,
    }
}

/// Writes a verified backup of `store` to `out`, which must not exist.
pub async fn backup(store: &Store, out: &Path, form: Form) -> Result<BackupReport> {
    if out.exists() {
        return Err(Error::Invalid(format!("{} 已存在：备份不覆盖已有文件", out.display())));
    }
    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let written = write(store, &partial, form).await.and(Ok(()));
    let checked = match written {
        Ok(()) => verify_file(&partial).await,
        Err(e) => Err(e),
    };
    let chain = match checked {
        Ok(Ok(chain)) => chain,
        Ok(Err(broken)) => {
            let _ = std::fs::remove_file(&partial);
            return Err(Error::Invalid(format!("备份写出后校验未通过：{}", broken.message)));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, out).map_err(|e| io_error(out, e))?;
    let bytes = std::fs::metadata(out).map_err(|e| io_error(out, e))?.len();
    Ok(BackupReport { path: out.to_path_buf(), form, bytes, chain })
}

async fn write(store: &Store, path: &Path, form: Form) -> Result<()> {
    match form {
        Form::SqliteFile => Ok(store.vacuum_into(path).await?),
        Form::Archive => {
            let file = std::fs::File::create(path).map_err(|e| io_error(path, e))?;
            store.export_archive(std::io::BufWriter::new(file)).await?;
            Ok(())
        }
    }
}

/// Checks a backup as `taizhang verify` checks a database: a database
/// file is opened read-only and verified in place; an archive is restored
/// into a scratch SQLite database and verified there, and its chain head
/// must be the one its manifest names.
pub async fn verify_file(path: &Path) -> Result<std::result::Result<ChainReport, ChainBroken>> {
    match Form::of(path)? {
        Form::SqliteFile => {
            let copy = Store::open_sqlite_readonly(path).await?;
            let outcome = copy.verify().await;
            copy.close().await;
            Ok(outcome?)
        }
        Form::Archive => {
            let scratch = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
            let target = Store::connect(&sqlite_url(&scratch.path().join("verify.db"))?).await?;
            let restored = restore_archive(&target, path).await;
            let outcome = match restored {
                Ok(manifest) => target.verify().await.map_err(Error::from).map(|outcome| {
                    outcome.and_then(|chain| {
                        if chain.head == manifest.audit_head && chain.entries == manifest.audit_entries {
                            Ok(chain)
                        } else {
                            Err(ChainBroken {
                                entry_id: None,
                                message: format!(
                                    "备份清单记载的链头 {}（{}条）与备份中的数据不符",
                                    manifest.audit_head, manifest.audit_entries
                                ),
                            })
                        }
                    })
                }),
                Err(e) => Err(e),
            };
            target.close().await;
            outcome
        }
    }
}

fn sqlite_url(path: &Path) -> Result<String> {
    let path = path.to_str().ok_or_else(|| Error::Invalid("文件路径须为 UTF-8".into()))?;
    Ok(format!("sqlite://{path}?mode=rwc"))
}

async fn restore_archive(target: &Store, path: &Path) -> std::result::Result<taizhang_store::Manifest, Error> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    Ok(target.restore_archive(std::io::BufReader::new(file)).await?)
}

/// Loads a backup (either form) into `target`, an empty database opened
/// with [`Store::connect`], and verifies the result.
pub async fn restore(from: &Path, target: &Store) -> Result<RestoreReport> {
    if !target.is_empty().await? {
        return Err(Error::Invalid("目标数据库不是空的：恢复只能写入新建的空数据库，以免覆盖现有数据".into()));
    }
    let manifest = match Form::of(from)? {
        Form::Archive => restore_archive(target, from).await?,
        Form::SqliteFile => {
            // Through an archive of the file, so that either backend can take it.
            let source = Store::open_sqlite_readonly(from).await?;
            let scratch = tempfile::NamedTempFile::new().map_err(|e| Error::Internal(e.to_string()))?;
            let exported =
                source.export_archive(std::io::BufWriter::new(scratch.reopen().map_err(|e| io_error(from, e))?)).await;
            source.close().await;
            exported?;
            restore_archive(target, scratch.path()).await?
        }
    };
    let chain = target
        .verify()
        .await?
        .map_err(|broken| Error::Invalid(format!("恢复后的数据库校验未通过：{}", broken.message)))?;
    Ok(RestoreReport { rows: manifest.tables.iter().map(|t| t.rows).sum(), chain })
}

/// How `serve` backs up on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    /// How many backups to keep; older ones are removed after a new one
    /// has been verified.
    pub keep: usize,
}

/// Takes a scheduled backup unless another server holds the job or ran it
/// less than `every` ago; prunes old ones. `None` when this server did not run it.
pub async fn run_scheduled(app: &App, schedule: &Schedule, every: Duration) -> Result<Option<BackupReport>> {
    let Some(claim) = app.store.claim_job(JOB, every).await? else { return Ok(None) };
    let result = scheduled_backup(&app.store, schedule).await;
    let error = result.as_ref().err().map(Error::message);
    app.store.finish_job(claim, error).await?;
    result.map(Some)
}

async fn scheduled_backup(store: &Store, schedule: &Schedule) -> Result<BackupReport> {
    std::fs::create_dir_all(&schedule.dir).map_err(|e| io_error(&schedule.dir, e))?;
    let form = form_for(store, false);
    let name = format!("{PREFIX}{}.{}", chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f"), form.extension());
    let report = backup(store, &schedule.dir.join(name), form).await?;
    prune(&schedule.dir, schedule.keep)?;
    Ok(report)
}

/// Removes all but the `keep` newest scheduled backups in `dir` (their
/// names sort by time); other files are left alone.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(PREFIX) && (name.ends_with(".db") || name.ends_with(".zip"))
        })
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(keep.max(1));
    let removed: Vec<PathBuf> = ours.into_iter().take(excess).collect();
    for path in &removed {
        std::fs::remove_file(path).map_err(|e| io_error(path, e))?;
    }
    Ok(removed)
}

/// Runs [`run_scheduled`] every `schedule.every` for as long as the server runs.
pub fn spawn_scheduler(app: App, schedule: Schedule) -> tokio::task::JoinHandle<()> {
    // Checked often (the claim says whether a backup is due), so a
    // restarted server neither skips nor repeats one.
    let tick = schedule.every.clamp(Duration::from_secs(1), Duration::from_secs(600));
    crate::schedule::repeat(tick, move || {
        let (app, schedule) = (app.clone(), schedule.clone());
        async move {
            match run_scheduled(&app, &schedule, schedule.every.mul_f64(0.99)).await {
                Ok(Some(r)) => {
                    tracing::info!(path = %r.path.display(), bytes = r.bytes, entries = r.chain.entries, "backup written and verified")
                }
                Ok(None) => tracing::debug!("backup skipped: taken elsewhere or recently"),
                Err(e) => tracing::error!(error = %e.message(), "scheduled backup failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_newest_of_ours_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "taizhang-backup-20261201-000000.db",
            "taizhang-backup-20261202-000000.db",
            "taizhang-backup-20261203-000000.zip",
            "taizhang-backup-20261204-000000.db",
            "notes.txt",
            "taizhang-backup-20261130-000000.db.partial",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = prune(dir.path(), 2).unwrap();
        let names: Vec<_> = removed.iter().map(|p| p.file_name().unwrap().to_str().unwrap().to_string()).collect();
        assert_eq!(names, ["taizhang-backup-20261201-000000.db", "taizhang-backup-20261202-000000.db"]);
        assert!(dir.path().join("notes.txt").exists());
        assert!(dir.path().join("taizhang-backup-20261203-000000.zip").exists());
    }

    #[test]
    fn forms_are_told_by_their_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (db, zip, other) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
        std::fs::write(&db, b"SQLite format 3\0rest").unwrap();
        std::fs::write(&zip, b"PK\x03\x04rest").unwrap();
        std::fs::write(&other, b"hello").unwrap();
        assert_eq!(Form::of(&db).unwrap(), Form::SqliteFile);
        assert_eq!(Form::of(&zip).unwrap(), Form::Archive);
        assert!(Form::of(&other).unwrap_err().message().contains("不是台账的备份"));
    }
}
