//! Backups and restores. Two forms of copy, both consistent while the
//! server keeps writing:
//!
//! - on SQLite, `VACUUM INTO` a new database file (one read transaction);
//! - on either backend, a portable archive: a zip holding `manifest.json`
//!   and every table as JSON lines (`tables/NAME.jsonl`: the column names,
//!   then one array of values per row), read in one snapshot (a SQLite read
//!   transaction, a PostgreSQL `REPEATABLE READ` transaction).
//!
//! [`Store::restore_archive`] loads an archive into an empty database of
//! either kind: it builds the schema the archive was taken with, loads the
//! rows with their ids (so the audit chain's row hashes still match), and
//! then brings the schema up to date. Sessions, failed logins and job
//! runs are per-server state and not carried.

use crate::db::{Backend, Store};
use crate::{audit, migrate, StoreError};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{AnyConnection, Column, Row};
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::Path;

pub const ARCHIVE_FORMAT: &str = "taizhang-archive";
const ARCHIVE_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// Per-server state that a copy does not carry.
const NOT_CARRIED: &[&str] = &["schema_migrations", "sessions", "login_failures", "scheduled_jobs", "evaluation_rows"];
/// Rows per INSERT statement on restore (well under both backends'
/// limits on bound parameters).
const BATCH_ROWS: usize = 200;

/// What an archive holds, written beside its tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// When the copy was taken (RFC 3339, UTC).
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub source: String,
    /// The schema migrations the source had applied.
    pub migrations: Vec<i64>,
    /// Every table carried, in load order, with its row count.
    pub tables: Vec<TableCount>,
    pub audit_entries: u64,
    pub audit_head: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCount {
    pub name: String,
    pub rows: u64,
}

fn invalid(what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(what.to_string())
}

fn archive_error(e: impl std::fmt::Display) -> StoreError {
    invalid(format!("备份文件无法读取：{e}"))
}

/// How a column's values are bound on restore (from the target's schema,
/// so that a NULL is sent with the column's own type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Integer,
    Real,
    Text,
    /// Binary content (file chunks, thumbnails): archived as `{"hex": "…"}`.
    Blob,
}

impl ColumnType {
    fn of(declared: &str) -> ColumnType {
        let d = declared.to_ascii_uppercase();
        if d.contains("BLOB") || d.contains("BYTEA") {
            ColumnType::Blob
        } else if d.contains("INT") {
            ColumnType::Integer
        } else if ["REAL", "DOUB", "FLOA", "NUMERIC"].iter().any(|t| d.contains(t)) {
            ColumnType::Real
        } else {
            ColumnType::Text
        }
    }
}

impl Store {
    /// Writes a consistent copy of a SQLite database to `out` (which must
    /// not exist) with `VACUUM INTO`, while other connections keep writing.
    pub async fn vacuum_into(&self, out: &Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(invalid("VACUUM INTO 只适用于 SQLite；PostgreSQL 请用可移植备份"));
        }
        let out = out.to_str().ok_or_else(|| invalid("文件路径须为 UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(out).execute(&self.pool).await?;
        Ok(())
    }

    /// Writes every table to a portable archive, from one snapshot.
    pub async fn export_archive<W: Write + Seek>(&self, out: W) -> Result<Manifest, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        }
        let migrations: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&mut *tx).await?;
        let (audit_entries, audit_head) = audit_head(&mut tx).await?;
        let mut zip = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut tables = Vec::new();
        for name in migrate::tables_of(&migrations).into_iter().filter(|t| !NOT_CARRIED.contains(&t.as_str())) {
            let blobs: Vec<String> = column_types(&mut tx, self.backend, &name)
                .await?
                .into_iter()
                .filter(|(_, t)| *t == ColumnType::Blob)
                .map(|(c, _)| c)
                .collect();
            zip.start_file(format!("tables/{name}.jsonl"), options).map_err(archive_error)?;
            let mut rows = 0u64;
            let sql = format!("SELECT * FROM {name} ORDER BY 1");
            let mut stream = sqlx::query(&sql).fetch(&mut *tx);
            while let Some(row) = stream.try_next().await? {
                if rows == 0 {
                    let columns: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
                    writeln!(zip, "{}", serde_json::to_string(&columns).map_err(archive_error)?)
                        .map_err(archive_error)?;
                }
                let values: Vec<Value> = (0..row.len())
                    .map(|i| {
                        if blobs.iter().any(|b| b == row.columns()[i].name()) {
                            let bytes: Option<Vec<u8>> = row.try_get(i)?;
                            Ok(bytes.map_or(Value::Null, |b| serde_json::json!({ "hex": hex::encode(b) })))
                        } else {
                            Ok(audit::cell(&row, i))
                        }
                    })
                    .collect::<Result<_, StoreError>>()?;
                writeln!(zip, "{}", Value::Array(values)).map_err(archive_error)?;
                rows += 1;
            }
            drop(stream);
            tables.push(TableCount { name, rows });
        }
        tx.rollback().await?;
        let manifest = Manifest {
            format: ARCHIVE_FORMAT.into(),
            version: ARCHIVE_VERSION,
            created_at: crate::now_text(),
            source: match self.backend {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            }
            .into(),
            migrations,
            tables,
            audit_entries,
            audit_head,
        };
        zip.start_file(MANIFEST, options).map_err(archive_error)?;
        serde_json::to_writer_pretty(&mut zip, &manifest).map_err(archive_error)?;
        zip.finish().map_err(archive_error)?;
        Ok(manifest)
    }

    /// Reads an archive's manifest, checking that it is one of ours.
    pub fn archive_manifest<R: Read + Seek>(input: R) -> Result<Manifest, StoreError> {
        let mut zip = zip::ZipArchive::new(input).map_err(archive_error)?;
        read_manifest(&mut zip)
    }

    /// Whether the database holds no table at all (what a restore needs).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        };
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        Ok(n == 0)
    }

    /// Loads an archive into this database, which must be empty (opened
    /// with [`Store::connect`]), in one transaction: on any error nothing
    /// is left behind. The schema is then brought up to date.
    pub async fn restore_archive<R: Read + Seek>(&self, input: R) -> Result<Manifest, StoreError> {
        if !self.is_empty().await? {
            return Err(invalid("目标数据库不是空的：恢复只能写入新建的空数据库，以免覆盖现有数据"));
        }
        let mut zip = zip::ZipArchive::new(input).map_err(archive_error)?;
        let manifest = read_manifest(&mut zip)?;
        let known_tables = migrate::tables_of(&manifest.migrations);
        let mut w = self.begin_write().await?;
        migrate::apply(&mut w, self.backend, Some(&manifest.migrations)).await?;
        for table in &manifest.tables {
            if !known_tables.contains(&table.name) || NOT_CARRIED.contains(&table.name.as_str()) {
                return Err(invalid(format!("备份文件中的表 {} 不属于该版本的数据库", table.name)));
            }
            let types = column_types(w.conn(), self.backend, &table.name).await?;
            let entry = zip.by_name(&format!("tables/{}.jsonl", table.name)).map_err(archive_error)?;
            let loaded = load_table(w.conn(), &table.name, &types, BufReader::new(entry)).await?;
            if loaded != table.rows {
                return Err(invalid(format!(
                    "备份文件中的表 {} 应有{}行，实际读到{loaded}行：文件不完整",
                    table.name, table.rows
                )));
            }
        }
        if self.backend == Backend::Postgres {
            for table in &manifest.tables {
                if column_types(w.conn(), self.backend, &table.name).await?.iter().any(|(c, _)| c == "id") {
                    // Identity columns do not move when ids are given: the next one follows the last restored.
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {0}",
                        table.name
                    ))
                    .execute(w.conn())
                    .await?;
                }
            }
        }
        w.commit().await?;
        migrate::run(self).await?;
        Ok(manifest)
    }
}

fn read_manifest<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Manifest, StoreError> {
    let entry = zip.by_name(MANIFEST).map_err(|_| invalid("该文件不是台账的备份：其中没有 manifest.json"))?;
    let manifest: Manifest = serde_json::from_reader(entry).map_err(archive_error)?;
    if manifest.format != ARCHIVE_FORMAT {
        return Err(invalid("该文件不是台账的备份"));
    }
    if manifest.version > ARCHIVE_VERSION {
        return Err(invalid(format!("备份格式版本 {} 比本程序新，请先升级本程序", manifest.version)));
    }
    if let Some(v) = manifest.migrations.iter().find(|v| !migrate::known(**v)) {
        return Err(invalid(format!("备份来自较新版本的台账（含数据库迁移 {v}），请先升级本程序")));
    }
    Ok(manifest)
}

/// The audit chain's length and head as this transaction sees it.
async fn audit_head(conn: &mut AnyConnection) -> Result<(u64, String), StoreError> {
    let row = sqlx::query("SELECT COUNT(*), MAX(id) FROM audit").fetch_one(&mut *conn).await?;
    let (entries, last): (i64, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
    let head = match last {
        Some(id) => sqlx::query_scalar("SELECT hash FROM audit WHERE id = $1").bind(id).fetch_one(conn).await?,
        None => audit::GENESIS.to_string(),
    };
    Ok((entries as u64, head))
}

/// The target's columns of `table` and how to bind them.
async fn column_types(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, ColumnType)>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1)",
        Backend::Postgres => {
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let rows = sqlx::query(sql).bind(table).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get::<String, _>(0)?, ColumnType::of(&r.try_get::<String, _>(1)?)))).collect()
}

/// Inserts one table's rows from its JSON lines; returns how many.
async fn load_table(
    conn: &mut AnyConnection,
    table: &str,
    types: &[(String, ColumnType)],
    mut lines: impl BufRead,
) -> Result<u64, StoreError> {
    let mut header = String::new();
    if lines.read_line(&mut header).map_err(archive_error)? == 0 {
        return Ok(0);
    }
    let columns: Vec<String> = serde_json::from_str(&header).map_err(archive_error)?;
    let kinds: Vec<ColumnType> = columns
        .iter()
        .map(|c| {
            types
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, t)| *t)
                .ok_or_else(|| invalid(format!("备份文件中表 {table} 的列 {c} 在数据库中不存在")))
        })
        .collect::<Result<_, _>>()?;
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH_ROWS);
    let mut loaded = 0u64;
    for line in lines.lines() {
        let line = line.map_err(archive_error)?;
        if line.is_empty() {
            continue;
        }
        let row: Vec<Value> = serde_json::from_str(&line).map_err(archive_error)?;
        if row.len() != columns.len() {
            return Err(invalid(format!("备份文件中表 {table} 有一行的列数不对")));
        }
        batch.push(row);
        if batch.len() == BATCH_ROWS {
            loaded += insert(conn, table, &columns, &kinds, &batch).await?;
            batch.clear();
        }
    }
    loaded += insert(conn, table, &columns, &kinds, &batch).await?;
    Ok(loaded)
}

async fn insert(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[String],
    kinds: &[ColumnType],
    rows: &[Vec<Value>],
) -> Result<u64, StoreError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let n = columns.len();
    let sql =
        format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), crate::bulk::placeholders(rows.len(), n));
    let mut query = sqlx::query(&sql);
    for row in rows {
        for (value, kind) in row.iter().zip(kinds) {
            let wrong = || invalid(format!("备份文件中表 {table} 的值类型不对：{value}"));
            query = match (kind, value) {
                (ColumnType::Integer, Value::Null) => query.bind(None::<i64>),
                (ColumnType::Integer, Value::Number(n)) => query.bind(n.as_i64().ok_or_else(wrong)?),
                (ColumnType::Real, Value::Null) => query.bind(None::<f64>),
                (ColumnType::Real, Value::Number(n)) => query.bind(n.as_f64().ok_or_else(wrong)?),
                (ColumnType::Text, Value::Null) => query.bind(None::<String>),
                (ColumnType::Text, Value::String(s)) => query.bind(s.clone()),
                (ColumnType::Blob, Value::Null) => query.bind(None::<Vec<u8>>),
                (ColumnType::Blob, Value::Object(o)) => {
                    let text = o.get("hex").and_then(Value::as_str).ok_or_else(wrong)?;
                    query.bind(hex::decode(text).map_err(|_| wrong())?)
                }
                _ => return Err(wrong()),
            };
        }
    }
    query.execute(conn).await?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::ColumnType;

    #[test]
    fn declared_types_map_to_bindings() {
        assert_eq!(ColumnType::of("BIGINT"), ColumnType::Integer);
        assert_eq!(ColumnType::of("INTEGER"), ColumnType::Integer);
        assert_eq!(ColumnType::of("bigint"), ColumnType::Integer);
        assert_eq!(ColumnType::of("double precision"), ColumnType::Real);
        assert_eq!(ColumnType::of("TEXT"), ColumnType::Text);
        assert_eq!(ColumnType::of("text"), ColumnType::Text);
    }
}
