//! The public-feedback register (舆情与诉求处置台账). The rules live in
//! `taizhang_core::feedback`; this module writes an entry, or loads one,
//! lets a rule add a step and writes it back, in one audited transaction,
//! so a refused step leaves nothing behind. The entry is kept as JSON; its
//! plain fields that have columns of their own (类别, 等级, 责任人, for
//! filters) are written from the schema (`FeedbackInput`).

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::register;
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::feedback::{Feedback, FeedbackError, FeedbackInput, NewFeedback, Step};

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackItem {
    pub id: i64,
    /// The Party group.
    pub unit_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub feedback: Feedback,
}

const COLUMNS: &str = "id, unit_id, data, created_at, updated_at";

fn item_from(row: &AnyRow) -> Result<FeedbackItem, StoreError> {
    let data: String = row.try_get("data")?;
    Ok(FeedbackItem {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        created_at: crate::parse_instant(&row.try_get::<String, _>("created_at")?),
        updated_at: crate::parse_instant(&row.try_get::<String, _>("updated_at")?),
        feedback: serde_json::from_str(&data)
            .map_err(|e| StoreError::Invalid(format!("舆情与诉求记录无法读取：{e}")))?,
    })
}

fn invalid(e: FeedbackError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// An instant in the stored form, so text comparison is time comparison.
fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl WriteTx<'_> {
    /// A new entry for a Party group; `now` bounds the discovery time.
    pub async fn create_feedback(
        &mut self,
        actor: &Actor,
        unit_id: i64,
        new: NewFeedback,
        now: DateTime<Utc>,
    ) -> Result<FeedbackItem, StoreError> {
        let feedback = Feedback::new(new, now).map_err(invalid)?;
        self.insert_feedback(actor, unit_id, &feedback).await
    }

    /// Writes an entry built and checked by the caller (a CSV import).
    pub async fn insert_feedback(
        &mut self,
        actor: &Actor,
        unit_id: i64,
        feedback: &Feedback,
    ) -> Result<FeedbackItem, StoreError> {
        let now = crate::now_text();
        let (columns, marks, n) = register::insert_lists::<FeedbackInput>(3);
        let sql = format!(
            "INSERT INTO feedback (unit_id, data, {columns}, status, discovered_at, closed_at, created_at, updated_at) \
             VALUES ($1, $2, {marks}, ${n}, ${}, ${}, ${}, ${}) RETURNING id",
            n + 1,
            n + 2,
            n + 3,
            n + 3
        );
        let query = sqlx::query(&sql).bind(unit_id).bind(serde_json::to_string(feedback).expect("entries serialise"));
        let id: i64 = register::bind(query, &feedback.input())
            .bind(feedback.status().code())
            .bind(instant_text(feedback.discovered_at()))
            .bind(feedback.closed_at().map(instant_text))
            .bind(&now)
            .fetch_one(self.conn())
            .await?
            .try_get(0)?;
        audit::append(self, actor, "create", "feedback", id, None).await?;
        self.feedback_item(id).await
    }

    /// Records the next step of an entry, checked by the domain rules.
    pub async fn record_feedback_step(
        &mut self,
        actor: &Actor,
        id: i64,
        step: Step,
        now: DateTime<Utc>,
    ) -> Result<FeedbackItem, StoreError> {
        let mut item = self.feedback_item(id).await?;
        item.feedback.record(step, now).map_err(invalid)?;
        let f = &item.feedback;
        let before = audit::snapshot(self.conn(), "feedback", id).await?;
        sqlx::query("UPDATE feedback SET data = $1, status = $2, closed_at = $3, updated_at = $4 WHERE id = $5")
            .bind(serde_json::to_string(f).expect("entries serialise"))
            .bind(f.status().code())
            .bind(f.closed_at().map(instant_text))
            .bind(crate::now_text())
            .bind(id)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "update", "feedback", id, before).await?;
        self.feedback_item(id).await
    }

    async fn feedback_item(&mut self, id: i64) -> Result<FeedbackItem, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM feedback WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的舆情与诉求事项")))?;
        item_from(&row)
    }
}

impl Store {
    pub async fn feedback_item(&self, id: i64) -> Result<Option<FeedbackItem>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM feedback WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(item_from).transpose()
    }

    /// Every entry of the given Party groups, newest discovery first. A
    /// county unit has tens a year; pages filter them in memory.
    pub async fn feedback_items(&self, unit_ids: &[i64]) -> Result<Vec<FeedbackItem>, StoreError> {
        self.feedback_where(unit_ids, "").await
    }

    /// The entries not yet closed (办结), for the reminder scan.
    pub async fn open_feedback_items(&self, unit_ids: &[i64]) -> Result<Vec<FeedbackItem>, StoreError> {
        self.feedback_where(unit_ids, "AND closed_at IS NULL").await
    }

    /// The entries that matter to a period for the duty engine: discovered
    /// before `to` and not closed before `from`. An empty `unit_ids` reads
    /// every group's (a roll-up), as for rectifications.
    pub async fn feedback_during(
        &self,
        unit_ids: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FeedbackItem>, StoreError> {
        let units = if unit_ids.is_empty() {
            String::new()
        } else {
            format!("AND unit_id IN ({})", crate::bulk::numbered(3, unit_ids.len()))
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM feedback WHERE discovered_at < $1 AND (closed_at IS NULL OR closed_at >= $2) \
             {units} ORDER BY discovered_at, id"
        );
        let mut query = sqlx::query(&sql).bind(instant_text(to)).bind(instant_text(from));
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(item_from).collect()
    }

    async fn feedback_where(&self, unit_ids: &[i64], condition: &str) -> Result<Vec<FeedbackItem>, StoreError> {
        if unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM feedback WHERE unit_id IN ({}) {condition} ORDER BY discovered_at DESC, id DESC",
            crate::bulk::numbered(1, unit_ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(item_from).collect()
    }
}
