//! Data versions: what app servers check their caches against. Every audit
//! entry moves the version of the scope its row belongs to (see
//! `0016_data_versions.sql`), in the same transaction, so a server that
//! finds a scope's version unchanged knows nothing in it was written, by
//! itself or by any other server on the same database.

use crate::db::Store;
use crate::StoreError;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The organisation's scope: units, people, roles, channels, duty lists.
pub const ORGANISATION: i64 = 0;

/// Tables the organisation snapshot or every unit's evaluation reads: a
/// change to them moves the organisation's version.
const ORGANISATION_TABLES: &[&str] = &["units", "people", "roles", "channels", "duty_lists", "directory_only"];

/// Rows without a unit of their own belong to their parent's unit.
const PARENTS: &[(&str, &str)] =
    &[("record_id", "records"), ("risk_id", "risks"), ("channel_id", "channels"), ("attachment_id", "attachments")];

/// The scope a row of `entity` belongs to. A deleted row (`None`) or one
/// whose unit cannot be told moves the organisation's version: coarser,
/// never stale.
async fn scope_of(conn: &mut AnyConnection, entity: &str, row: Option<&Value>) -> Result<i64, StoreError> {
    let Some(row) = row.filter(|_| !ORGANISATION_TABLES.contains(&entity)) else {
        return Ok(ORGANISATION);
    };
    if let Some(unit) = row.get("unit_id").and_then(Value::as_i64) {
        return Ok(unit);
    }
    for (column, table) in PARENTS {
        if let Some(parent) = row.get(*column).and_then(Value::as_i64) {
            let sql = format!("SELECT unit_id FROM {table} WHERE id = $1");
            let unit: Option<i64> = sqlx::query_scalar(&sql).bind(parent).fetch_optional(&mut *conn).await?;
            return Ok(unit.unwrap_or(ORGANISATION));
        }
    }
    Ok(ORGANISATION)
}

/// Sets the version of the scope of a row just changed to `entry`, the
/// audit entry about the change.
pub(crate) async fn bump(
    conn: &mut AnyConnection,
    entity: &str,
    row: Option<&Value>,
    entry: i64,
) -> Result<(), StoreError> {
    let scope = scope_of(conn, entity, row).await?;
    set(conn, scope, entry).await
}

/// [`bump`] for many rows of one table changed by one bulk write, all to
/// `version` (the last of their audit entries): each scope once.
pub(crate) async fn bump_many(
    conn: &mut AnyConnection,
    entity: &str,
    rows: &[Value],
    version: i64,
) -> Result<(), StoreError> {
    let mut scopes = std::collections::BTreeSet::new();
    for row in rows {
        scopes.insert(scope_of(conn, entity, Some(row)).await?);
    }
    for scope in scopes {
        set(conn, scope, version).await?;
    }
    Ok(())
}

async fn set(conn: &mut AnyConnection, scope: i64, version: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO data_versions (scope, version) VALUES ($1, $2) \
         ON CONFLICT (scope) DO UPDATE SET version = excluded.version",
    )
    .bind(scope)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The versions of these scopes (every scope with an empty list): one
    /// indexed read. A scope never written has none (read it as 0).
    pub async fn data_versions(&self, scopes: &[i64]) -> Result<HashMap<i64, i64>, StoreError> {
        let sql = if scopes.is_empty() {
            "SELECT scope, version FROM data_versions".to_string()
        } else {
            format!(
                "SELECT scope, version FROM data_versions WHERE scope IN ({})",
                crate::bulk::numbered(1, scopes.len())
            )
        };
        let mut query = sqlx::query(&sql);
        for s in scopes {
            query = query.bind(*s);
        }
        query.fetch_all(&self.pool).await?.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The organisation's version: what the organisation snapshot is
    /// checked against.
    pub async fn organisation_version(&self) -> Result<i64, StoreError> {
        Ok(self.data_versions(&[ORGANISATION]).await?.get(&ORGANISATION).copied().unwrap_or(0))
    }
}
