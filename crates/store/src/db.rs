//! Connections: one code path for SQLite and PostgreSQL through sqlx's
//! `Any` driver. Queries use `$1` placeholders, which both accept.

use crate::{migrate, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The advisory-lock key that serialises writers on PostgreSQL, so that
/// every audit entry links to the one before it even with several servers.
const PG_WRITE_LOCK: i64 = 0x7461_697a_6861;

#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    /// On SQLite one process owns the file; this keeps its writers in line.
    write_lock: Arc<Mutex<()>>,
    /// On SQLite, the lock of each scheduled job (see `Store::claim_job`).
    pub(crate) job_locks: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<Mutex<()>>>>>,
    /// Where new file contents go: `None` in the database (the default),
    /// or this directory (`--files-dir`).
    pub(crate) files_dir: Option<Arc<std::path::PathBuf>>,
}

/// A write transaction holding the write lock for its whole life.
pub struct WriteTx<'s> {
    pub(crate) tx: Transaction<'static, Any>,
    _guard: Option<MutexGuard<'s, ()>>,
    /// The hash of the last audit entry this transaction appended.
    pub(crate) last_hash: Option<String>,
    pub(crate) files_dir: Option<Arc<std::path::PathBuf>>,
}

impl WriteTx<'_> {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish()
    }
}

/// Turns a file path into a SQLite URL; URLs pass through.
pub fn database_url(db_path: Option<&str>, database_url: Option<&str>) -> String {
    match (database_url, db_path) {
        (Some(url), _) => url.to_string(),
        (None, Some(path)) if path.starts_with("sqlite:") => path.to_string(),
        (None, Some(path)) => format!("sqlite://{path}?mode=rwc"),
        (None, None) => "sqlite://taizhang.db?mode=rwc".to_string(),
    }
}

impl Store {
    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        migrate::run(&store).await?;
        Ok(store)
    }

    /// Connects without touching the schema: for a restore, which must
    /// find the database empty and build the schema itself.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Invalid(format!("不支持的数据库地址：{url}（应以 sqlite: 或 postgres: 开头）")));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;").await?;
                        }
                        // For this session only. PostgreSQL's default page
                        // costs model spinning disks: with them a chunk of a
                        // province's records (4 % of the table, through the
                        // unit index) was read by scanning the whole table,
                        // 1 s instead of 0.09 s. JIT compiling costs more than
                        // it saves on queries this short.
                        Backend::Postgres => {
                            conn.execute("SET random_page_cost = 1.1; SET jit = off;").await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        if backend == Backend::Sqlite && !url.contains("mode=ro") {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        Ok(Store { pool, backend, write_lock: Arc::new(Mutex::new(())), job_locks: Arc::default(), files_dir: None })
    }

    /// Opens a SQLite file (a backup) for reading only, changing nothing
    /// in it, not even its journal mode or schema.
    pub async fn open_sqlite_readonly(path: &std::path::Path) -> Result<Store, StoreError> {
        let path = path.to_str().ok_or_else(|| StoreError::Invalid("文件路径须为 UTF-8".into()))?;
        // Not `immutable`: that would ignore a write-ahead log beside the
        // file, and a change still in it would escape verification.
        Store::connect(&format!("sqlite://{path}?mode=ro")).await
    }

    /// Refreshes the query planner's statistics of every table: after a
    /// bulk load, before the database has had time to gather its own (on
    /// PostgreSQL a chunk of a province was read by scanning the whole
    /// records table until then).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction; writers are serialised (see [`PG_WRITE_LOCK`]).
    pub async fn begin_write(&self) -> Result<WriteTx<'_>, StoreError> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        };
        // On SQLite the database's write lock is taken at once: a
        // transaction that read first, then found that another connection
        // (a session, a failed login, kept roll-up rows, another process)
        // had written meanwhile, could not write at all
        // (`SQLITE_BUSY_SNAPSHOT`, which waits for nothing). Those writers
        // now wait for it instead, as long as the busy timeout.
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        if self.backend == Backend::Postgres {
            // Wait for another writer (a long import) at most as long as
            // SQLite's busy timeout; then the caller hears "try again"
            // instead of hanging.
            sqlx::query("SET LOCAL lock_timeout = '10s'").execute(&mut *tx).await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(PG_WRITE_LOCK).execute(&mut *tx).await?;
        }
        Ok(WriteTx { tx, _guard: guard, last_hash: None, files_dir: self.files_dir.clone() })
    }

    /// Answers when the database does: for `/healthz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: AnyRow = sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use crate::StoredEvaluation;

    /// While a write transaction is open between its reads and its first
    /// write, other writers (a failed login, roll-up rows kept after an
    /// answer) wait for it: its write goes through, then theirs.
    #[tokio::test]
    async fn other_writers_wait_for_an_open_write_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::testing::fresh_sqlite(dir.path()).await.unwrap();
        let mut w = store.begin_write().await.unwrap();
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&mut *w.tx).await.unwrap();
        let (a, b) = (store.clone(), store.clone());
        let login = tokio::spawn(async move { a.record_login_failure("someone").await });
        let row = StoredEvaluation {
            group_id: 7,
            stamp: "s".into(),
            hour: None,
            expires_at: None,
            row_json: "{}".into(),
            card_json: None,
        };
        let keeping = tokio::spawn(async move { b.save_evaluation_rows("2026", &[row]).await });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = ''")
            .execute(&mut *w.tx)
            .await
            .expect("the open write is not made stale by the others");
        w.commit().await.unwrap();
        login.await.unwrap().unwrap();
        keeping.await.unwrap().unwrap();
        assert_eq!(store.evaluation_rows("2026", &[7], true).await.unwrap().len(), 1);
        assert_eq!(store.login_failures_since("someone", chrono::DateTime::UNIX_EPOCH).await.unwrap(), 1);
    }
}
