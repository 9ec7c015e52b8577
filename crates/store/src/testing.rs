//! Helpers for tests (here and in other crates) that need a real database:
//! a fresh SQLite file, and a fresh PostgreSQL database when
//! `TAIZHANG_TEST_PG` holds a connection URL.

use crate::{Store, StoreError};
use sqlx::Executor;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

pub const PG_ENV: &str = "TAIZHANG_TEST_PG";

/// How many migrations the binary carries: what `schema_migrations` holds
/// once a database is up to date.
pub fn migration_count() -> usize {
    crate::migrate::MIGRATIONS.len()
}

pub async fn fresh_sqlite(dir: &Path) -> Result<Store, StoreError> {
    let path = dir.join("taizhang-test.db");
    Store::open(&crate::database_url(Some(path.to_str().expect("utf-8 temp path")), None)).await
}

/// A new, empty PostgreSQL database for one test, or `None` when
/// `TAIZHANG_TEST_PG` is unset (the caller then says it skipped).
pub async fn fresh_postgres() -> Option<Store> {
    let url = fresh_postgres_url().await?;
    Some(Store::open(&url).await.expect("open test database"))
}

/// The URL of a new PostgreSQL database without any table (for restores),
/// or `None` when `TAIZHANG_TEST_PG` is unset.
pub async fn fresh_postgres_url() -> Option<String> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let base = std::env::var(PG_ENV).ok().filter(|u| !u.is_empty())?;
    sqlx::any::install_default_drivers();
    let now = chrono::Utc::now().timestamp();
    let name = format!("tz_test_{now}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let admin = sqlx::AnyPool::connect(&base).await.unwrap_or_else(|e| panic!("{PG_ENV}={base} is unreachable: {e}"));
    drop_stale_databases(&admin, now).await;
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
    admin.close().await;
    match base.rfind('/') {
        Some(slash) if base[..slash].contains("://") && base[slash..].len() > 1 => {
            let query = base[slash..].find('?').map(|q| &base[slash + q..]).unwrap_or("");
            Some(format!("{}/{name}{query}", &base[..slash]))
        }
        _ => panic!("{PG_ENV} must end in /DATABASE: {base}"),
    }
}

/// Test databases are left behind for inspection after a run; those over
/// an hour old are dropped (their names start with the creation time).
async fn drop_stale_databases(admin: &sqlx::AnyPool, now: i64) {
    let names: Vec<String> = sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'tz_test_%'")
        .fetch_all(admin)
        .await
        .unwrap_or_default();
    for name in names {
        let created: Option<i64> =
            name.strip_prefix("tz_test_").and_then(|rest| rest.split('_').next()).and_then(|t| t.parse().ok());
        if created.is_none_or(|t| now - t > 3600) {
            let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await;
        }
    }
}

impl Store {
    /// Runs raw SQL: for tests that tamper with the database as an
    /// attacker with file access would.
    pub async fn exec_for_tests(&self, sql: &str) {
        sqlx::query(sql).execute(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A SQLite table's column names, in order.
    pub async fn column_names_for_tests(&self, table: &str) -> Vec<String> {
        let sql = format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid");
        sqlx::query_scalar(&sql).fetch_all(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn scalar_for_tests(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Takes the database's write lock and holds it until the returned
    /// transaction is dropped, as a long `taizhang import` in another
    /// process does.
    pub async fn hold_write_lock_for_tests(&self) -> crate::WriteTx<'_> {
        let mut w = self.begin_write().await.expect("begin write");
        sqlx::query("DELETE FROM sessions WHERE token_hash = ''")
            .execute(&mut *w.tx)
            .await
            .expect("take the write lock");
        w
    }

    pub fn pool_for_tests(&self) -> &sqlx::AnyPool {
        &self.pool
    }
}
