//! The audit chain. Every change to an audited table appends an entry in
//! the same transaction: who, when, what, the SHA-256 of the row before and
//! after, and the previous entry's hash. `verify` recomputes the chain and
//! compares every audited row with the last entry about it, so an edited,
//! inserted or deleted entry or row is found.
//!
//! Rows are hashed in a canonical form read back from the database (all
//! columns, as JSON with sorted keys), so the writer and the verifier can
//! never disagree about what a row was.

use crate::db::{Store, WriteTx};
use crate::StoreError;
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};
use std::collections::HashMap;

/// Tables whose rows the chain covers.
pub const AUDITED: &[&str] = &[
    "units",
    "people",
    "roles",
    "channels",
    "duty_lists",
    "adoptions",
    "records",
    "record_revisions",
    "record_voids",
    "reminder_cadence",
    "assessment_reopenings",
    "attachments",
    "feedback_step_files",
    "channel_reviewers",
    "drafts",
    "rectifications",
    "risks",
    "risk_reviews",
    "feedback",
    "assessments",
    "reminder_settings",
    "news_officers",
    "news_quotas",
    "news_submissions",
    "directory_only",
];

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change: a person, or the system (CLI, demo, migrations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor { person_id: None, name: format!("系统：{what}") }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One cell as JSON: integers as numbers, text as strings, NULL as null.
pub(crate) fn cell(row: &AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        v.map(Value::from).unwrap_or(Value::Null)
    } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        v.map(Value::from).unwrap_or(Value::Null)
    } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        v.map(Value::from).unwrap_or(Value::Null)
    } else {
        Value::String("<unreadable>".into())
    }
}

/// A row as canonical JSON: every column, keys sorted (serde_json's map
/// is ordered), integers as numbers, text as strings.
fn row_json(row: &AnyRow) -> Value {
    let mut map = Map::new();
    for (i, col) in row.columns().iter().enumerate() {
        map.insert(col.name().to_string(), cell(row, i));
    }
    Value::Object(map)
}

fn row_hash(row: &AnyRow) -> String {
    sha256_hex(row_json(row).to_string().as_bytes())
}

fn check_table(entity: &str) -> Result<(), StoreError> {
    if AUDITED.contains(&entity) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("not an audited table: {entity}")))
    }
}

/// The hash of a row as it is now, or `None` when there is no such row.
pub(crate) async fn snapshot(conn: &mut AnyConnection, entity: &str, id: i64) -> Result<Option<String>, StoreError> {
    Ok(current_row(conn, entity, id).await?.map(|row| sha256_hex(row.to_string().as_bytes())))
}

/// A row as it is now, in canonical form, or `None` when there is no such row.
async fn current_row(conn: &mut AnyConnection, entity: &str, id: i64) -> Result<Option<Value>, StoreError> {
    check_table(entity)?;
    let row = sqlx::query(&format!("SELECT * FROM {entity} WHERE id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(row_json))
}

struct Entry<'a> {
    at: &'a str,
    actor_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: i64,
    before_hash: Option<&'a str>,
    after_hash: Option<&'a str>,
    prev_hash: &'a str,
}

impl Entry<'_> {
    fn hash(&self) -> String {
        let text = [
            self.prev_hash,
            self.at,
            &self.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            self.actor,
            self.action,
            self.entity,
            &self.entity_id.to_string(),
            self.before_hash.unwrap_or("-"),
            self.after_hash.unwrap_or("-"),
        ]
        .join("\n");
        sha256_hex(text.as_bytes())
    }
}

/// Appends an entry for a change to `entity` row `id` that has just been
/// made in this transaction; `before` is the row's hash before the change.
pub(crate) async fn append(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    before: Option<String>,
) -> Result<(), StoreError> {
    let after_row = current_row(w.conn(), entity, id).await?;
    let after = after_row.as_ref().map(|row| sha256_hex(row.to_string().as_bytes()));
    let prev = last_hash(w).await?;
    let conn = w.conn();
    let at = crate::now_text();
    let entry = Entry {
        at: &at,
        actor_id: actor.person_id,
        actor: &actor.name,
        action,
        entity,
        entity_id: id,
        before_hash: before.as_deref(),
        after_hash: after.as_deref(),
        prev_hash: &prev,
    };
    let hash = entry.hash();
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id, before_hash, after_hash, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(entry.at)
    .bind(entry.actor_id)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.before_hash)
    .bind(entry.after_hash)
    .bind(entry.prev_hash)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    crate::versions::bump(conn, entity, after_row.as_ref(), entry_id).await?;
    w.last_hash = Some(hash);
    Ok(())
}

/// The hash of the chain's last entry: read once per transaction, then
/// kept, since the write lock lets no one else append meanwhile.
async fn last_hash(w: &mut WriteTx<'_>) -> Result<String, StoreError> {
    if let Some(hash) = w.last_hash.take() {
        return Ok(hash);
    }
    let prev: Option<String> =
        sqlx::query_scalar("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetch_optional(w.conn()).await?;
    Ok(prev.unwrap_or_else(|| GENESIS.to_string()))
}

/// Audit entries for many rows of one table written in this transaction
/// (a bulk insert): the rows are read back in one query and hashed exactly
/// as [`append`] would, and the entries are chained in memory and written
/// a few hundred per statement. The chain is the same as one [`append`]
/// per row, in id order.
pub(crate) async fn append_many(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    action: &str,
    entity: &str,
    ids: &[i64],
) -> Result<(), StoreError> {
    check_table(entity)?;
    let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else { return Ok(()) };
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let rows = sqlx::query(&format!("SELECT * FROM {entity} WHERE id >= $1 AND id <= $2 ORDER BY id"))
        .bind(lo)
        .bind(hi)
        .fetch_all(w.conn())
        .await?;
    let mut prev = last_hash(w).await?;
    let at = crate::now_text();
    let mut entries = Vec::with_capacity(ids.len());
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        if !wanted.contains(&id) {
            continue;
        }
        let after = row_hash(row);
        let entry = Entry {
            at: &at,
            actor_id: actor.person_id,
            actor: &actor.name,
            action,
            entity,
            entity_id: id,
            before_hash: None,
            after_hash: Some(&after),
            prev_hash: &prev,
        };
        let hash = entry.hash();
        entries.push((id, after, prev, hash.clone()));
        prev = hash;
    }
    if entries.len() != wanted.len() {
        return Err(StoreError::Invalid(format!(
            "{entity}: {} rows written, {} read back",
            wanted.len(),
            entries.len()
        )));
    }
    for chunk in entries.chunks(AUDIT_ROWS_PER_INSERT) {
        let mut sql = String::from(
            "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id, before_hash, after_hash, prev_hash, hash) VALUES ",
        );
        sql.push_str(&crate::bulk::placeholders(chunk.len(), 10));
        let mut q = sqlx::query(&sql);
        for (id, after, prev_hash, hash) in chunk {
            q = q
                .bind(&at)
                .bind(actor.person_id)
                .bind(&actor.name)
                .bind(action)
                .bind(entity)
                .bind(*id)
                .bind(None::<String>)
                .bind(after)
                .bind(prev_hash)
                .bind(hash);
        }
        q.execute(w.conn()).await?;
    }
    let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit").fetch_one(w.conn()).await?;
    let rows: Vec<Value> = rows.iter().map(row_json).collect();
    crate::versions::bump_many(w.conn(), entity, &rows, last).await?;
    w.last_hash = Some(prev);
    Ok(())
}

/// Audit entries per multi-row INSERT: 10 parameters each, well below
/// SQLite's and PostgreSQL's limits on parameters per statement.
const AUDIT_ROWS_PER_INSERT: usize = 500;

/// An intact chain: how many entries, and the hash of the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    pub head: String,
}

/// The first thing found wrong, in words for the person running `verify`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChainBroken {
    /// The audit entry at fault, when the fault is in the chain itself.
    pub entry_id: Option<i64>,
    pub message: String,
}

impl Store {
    /// The id of the last audit entry (0 before any): it moves with every
    /// write, so a snapshot taken at one position is current while it stays.
    pub async fn audit_position(&self) -> Result<i64, StoreError> {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit").fetch_one(&self.pool).await?;
        Ok(last.unwrap_or(0))
    }

    /// The chain's head: what bundles and ledgers carry to anchor it.
    pub async fn audit_head(&self) -> Result<ChainReport, StoreError> {
        let row = sqlx::query("SELECT COUNT(*), MAX(id) FROM audit").fetch_one(&self.pool).await?;
        let entries: i64 = row.try_get(0)?;
        let last: Option<i64> = row.try_get(1)?;
        let head = match last {
            Some(id) => {
                sqlx::query_scalar("SELECT hash FROM audit WHERE id = $1").bind(id).fetch_one(&self.pool).await?
            }
            None => GENESIS.to_string(),
        };
        Ok(ChainReport { entries: entries as u64, head })
    }

    /// Recomputes the chain and checks every audited row against it.
    pub async fn verify(&self) -> Result<Result<ChainReport, ChainBroken>, StoreError> {
        self.verify_anchored(None).await
    }

    /// [`Store::verify`], and with `anchor` (a head someone kept from an
    /// earlier bundle or report, in hex) also that the chain still holds
    /// that entry. A chain cut short at its end, or rewritten and rehashed
    /// throughout, verifies on its own; it no longer holds the old head.
    pub async fn verify_anchored(&self, anchor: Option<&str>) -> Result<Result<ChainReport, ChainBroken>, StoreError> {
        let anchor = anchor.map(|a| a.trim().to_ascii_lowercase());
        let mut anchor_found = anchor.as_deref().is_none_or(|a| a == GENESIS);
        // Streamed, not loaded whole: a province's chain has millions of entries.
        let mut rows = sqlx::query(
            "SELECT id, at, actor_id, actor, action, entity, entity_id, before_hash, after_hash, prev_hash, hash FROM audit ORDER BY id",
        )
        .fetch(&self.pool);
        let mut prev = GENESIS.to_string();
        let mut entries = 0u64;
        let mut latest: HashMap<(String, i64), Option<String>> = HashMap::new();
        while let Some(row) = rows.try_next().await? {
            entries += 1;
            let id: i64 = row.try_get(0)?;
            let (at, actor, action, entity): (String, String, String, String) =
                (row.try_get(1)?, row.try_get(3)?, row.try_get(4)?, row.try_get(5)?);
            let (before, after): (Option<String>, Option<String>) = (row.try_get(7)?, row.try_get(8)?);
            let (prev_hash, hash): (String, String) = (row.try_get(9)?, row.try_get(10)?);
            let entry = Entry {
                at: &at,
                actor_id: row.try_get(2)?,
                actor: &actor,
                action: &action,
                entity: &entity,
                entity_id: row.try_get(6)?,
                before_hash: before.as_deref(),
                after_hash: after.as_deref(),
                prev_hash: &prev_hash,
            };
            if prev_hash != prev {
                return Ok(Err(ChainBroken {
                    entry_id: Some(id),
                    message: format!("审计记录第{id}条的前序哈希与上一条不符：其前有记录被删除、插入或改动"),
                }));
            }
            if entry.hash() != hash {
                return Ok(Err(ChainBroken {
                    entry_id: Some(id),
                    message: format!("审计记录第{id}条的内容与其哈希不符：该条被改动"),
                }));
            }
            latest.insert((entity.clone(), entry.entity_id), after);
            anchor_found |= anchor.as_deref() == Some(hash.as_str());
            prev = hash;
        }
        drop(rows);
        if let Some(broken) = self.check_rows(&mut latest).await? {
            return Ok(Err(broken));
        }
        if !anchor_found {
            let message = format!(
                "审计链中已没有链头 {}：该链头之后的记录被截断，或整条链被改写后重新计算了哈希",
                anchor.unwrap_or_default()
            );
            return Ok(Err(ChainBroken { entry_id: None, message }));
        }
        Ok(Ok(ChainReport { entries, head: prev }))
    }

    /// Every audited row must match the last entry about it; every entry
    /// whose row should exist must find it.
    async fn check_rows(
        &self,
        latest: &mut HashMap<(String, i64), Option<String>>,
    ) -> Result<Option<ChainBroken>, StoreError> {
        for table in AUDITED {
            let sql = format!("SELECT * FROM {table} ORDER BY id");
            let mut rows = sqlx::query(&sql).fetch(&self.pool);
            while let Some(row) = rows.try_next().await? {
                let row = &row;
                let id: i64 = row.try_get("id")?;
                let broken = |message: String| Some(ChainBroken { entry_id: None, message });
                match latest.remove(&(table.to_string(), id)) {
                    None => return Ok(broken(format!("{table} 表第{id}行没有审计记录：该行系绕过系统插入"))),
                    Some(expected) if expected.as_deref() != Some(row_hash(row).as_str()) => {
                        return Ok(broken(format!("{table} 表第{id}行与审计记录不符：该行被改动")));
                    }
                    Some(_) => {}
                }
            }
        }
        let mut missing: Vec<_> = latest.iter().filter(|(_, after)| after.is_some()).map(|(k, _)| k.clone()).collect();
        missing.sort();
        Ok(missing.first().map(|(table, id)| ChainBroken {
            entry_id: None,
            message: format!("{table} 表第{id}行已不存在，但审计记录中没有删除记录：该行被删除"),
        }))
    }
}
