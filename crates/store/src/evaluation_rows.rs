//! Roll-up rows and assessment cards that app servers share through the
//! database (see `0020_evaluation_rows.sql`). The store keeps and returns
//! them as they were given; whether a row still holds is the app's
//! judgement (its stamp), made by the reader.

use crate::db::Store;
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One group's row for a period, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvaluation {
    pub group_id: i64,
    /// What the row was computed from, in the app's words.
    pub stamp: String,
    /// The hour it holds for, when it changes with the hour.
    pub hour: Option<i64>,
    /// When it stops holding, if the clock alone changes it.
    pub expires_at: Option<DateTime<Utc>>,
    pub row_json: String,
    pub card_json: Option<String>,
}

/// Up to this many groups are named in the query; beyond, the period's
/// rows are read whole (a province has one per Party group).
pub const EVALUATION_ROWS_NAMED: usize = 1000;
/// Rows per INSERT (7 parameters each, well within both backends' limits).
const BATCH_ROWS: usize = 200;

impl Store {
    /// The kept rows of these groups (or of every group) for a period;
    /// their cards only `with_cards` (a card is eight times a row's size:
    /// a province's cards are some 70 MB of text).
    pub async fn evaluation_rows(
        &self,
        period: &str,
        groups: &[i64],
        with_cards: bool,
    ) -> Result<Vec<StoredEvaluation>, StoreError> {
        let named = !groups.is_empty() && groups.len() <= EVALUATION_ROWS_NAMED;
        let card = if with_cards { "card_json" } else { "CAST(NULL AS TEXT) AS card_json" };
        let mut sql = format!(
            "SELECT group_id, stamp, hour, expires_at, row_json, {card} FROM evaluation_rows WHERE period = $1"
        );
        if named {
            sql.push_str(&format!(" AND group_id IN ({})", crate::bulk::numbered(2, groups.len())));
        }
        let mut query = sqlx::query(&sql).bind(period);
        if named {
            for g in groups {
                query = query.bind(*g);
            }
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(StoredEvaluation {
                    group_id: r.try_get("group_id")?,
                    stamp: r.try_get("stamp")?,
                    hour: r.try_get("hour")?,
                    expires_at: r.try_get::<Option<String>, _>("expires_at")?.map(|t| crate::parse_instant(&t)),
                    row_json: r.try_get("row_json")?,
                    card_json: r.try_get("card_json")?,
                })
            })
            .collect()
    }

    /// Keeps these rows for a period, replacing what was kept for their
    /// groups; in one transaction. Not audited (the rows are derived, like
    /// an index), and outside the audited writers' lock: on SQLite an open
    /// write transaction holds the database's lock from its start, and
    /// these rows wait for it (see [`Store::begin_write`]).
    pub async fn save_evaluation_rows(&self, period: &str, rows: &[StoredEvaluation]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for batch in rows.chunks(BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO evaluation_rows (group_id, period, stamp, hour, expires_at, row_json, card_json) \
                 VALUES {} ON CONFLICT (group_id, period) DO UPDATE SET stamp = excluded.stamp, \
                 hour = excluded.hour, expires_at = excluded.expires_at, row_json = excluded.row_json, \
                 card_json = excluded.card_json",
                crate::bulk::placeholders(batch.len(), 7)
            );
            let mut query = sqlx::query(&sql);
            for r in batch {
                query = query
                    .bind(r.group_id)
                    .bind(period)
                    .bind(r.stamp.clone())
                    .bind(r.hour)
                    .bind(r.expires_at.map(|t| t.to_rfc3339()))
                    .bind(r.row_json.clone())
                    .bind(r.card_json.clone());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
