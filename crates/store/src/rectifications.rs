//! Problems found by inspections and their rectification. A change loads
//! the row, lets a rule of `taizhang_core::rectification` change it and
//! writes it back in one audited transaction; a refused change writes
//! nothing.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::rectification::{FindingSource, Rectification, RectificationError};

const COLUMNS: &str =
    "id, unit_id, source, found_on, problem, measures, owner_id, deadline, evidence, rectified_on, closed_on, opinion, revision";

fn date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| crate::parse_date(&t)).transpose()
}

fn text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn from_row(row: &AnyRow) -> Result<(Rectification, i64), StoreError> {
    let source: String = row.try_get("source")?;
    let r = Rectification {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        source: FindingSource::parse(&source)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的问题来源无法识别：{source}")))?,
        found_on: crate::parse_date(&row.try_get::<String, _>("found_on")?)?,
        problem: row.try_get("problem")?,
        measures: row.try_get("measures")?,
        owner: row.try_get("owner_id")?,
        deadline: crate::parse_date(&row.try_get::<String, _>("deadline")?)?,
        evidence: row.try_get("evidence")?,
        rectified_on: date(row.try_get("rectified_on")?)?,
        closed_on: date(row.try_get("closed_on")?)?,
        opinion: row.try_get("opinion")?,
    };
    Ok((r, row.try_get("revision")?))
}

fn invalid(e: RectificationError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

impl WriteTx<'_> {
    /// Adds a problem; `new.id` is ignored.
    pub async fn create_rectification(
        &mut self,
        actor: &Actor,
        new: &Rectification,
    ) -> Result<Rectification, StoreError> {
        new.validate().map_err(invalid)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rectifications (unit_id, source, found_on, problem, measures, owner_id, deadline, evidence, \
             rectified_on, closed_on, opinion, revision, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(new.source.code())
        .bind(text(new.found_on))
        .bind(new.problem.trim())
        .bind(new.measures.trim())
        .bind(new.owner)
        .bind(text(new.deadline))
        .bind(new.evidence.trim())
        .bind(new.rectified_on.map(text))
        .bind(new.closed_on.map(text))
        .bind(new.opinion.trim())
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self.conn(), actor, "create", "rectifications", id, None).await?;
        Ok(self.rectification(id).await?.0)
    }

    /// Applies `change` to a problem. `expected_revision`, when given, is
    /// the revision the person read: a change to a newer one is refused.
    pub async fn change_rectification(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        change: impl FnOnce(&mut Rectification) -> Result<(), RectificationError>,
    ) -> Result<Rectification, StoreError> {
        let (mut r, revision) = self.rectification(id).await?;
        if let Some(expected) = expected_revision.filter(|e| *e != revision) {
            return Err(StoreError::Conflict(format!(
                "该问题已被他人修改（您打开的是第{expected}版，现为第{revision}版），请刷新后再操作"
            )));
        }
        change(&mut r).map_err(invalid)?;
        r.validate().map_err(invalid)?;
        let before = audit::snapshot(self.conn(), "rectifications", id).await?;
        sqlx::query(
            "UPDATE rectifications SET source = $1, found_on = $2, problem = $3, measures = $4, owner_id = $5, \
             deadline = $6, evidence = $7, rectified_on = $8, closed_on = $9, opinion = $10, revision = revision + 1 \
             WHERE id = $11",
        )
        .bind(r.source.code())
        .bind(text(r.found_on))
        .bind(r.problem.trim())
        .bind(r.measures.trim())
        .bind(r.owner)
        .bind(text(r.deadline))
        .bind(r.evidence.trim())
        .bind(r.rectified_on.map(text))
        .bind(r.closed_on.map(text))
        .bind(r.opinion.trim())
        .bind(id)
        .execute(self.conn())
        .await?;
        audit::append(self.conn(), actor, "update", "rectifications", id, before).await?;
        Ok(self.rectification(id).await?.0)
    }

    async fn rectification(&mut self, id: i64) -> Result<(Rectification, i64), StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM rectifications WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的整改问题")))?;
        from_row(&row)
    }
}

impl Store {
    /// A problem and its revision.
    pub async fn rectification(&self, id: i64) -> Result<Option<(Rectification, i64)>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM rectifications WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Every problem of the given units (of all units when none are
    /// given), by deadline.
    pub async fn rectifications_of(&self, unit_ids: &[i64]) -> Result<Vec<Rectification>, StoreError> {
        let placeholders: Vec<String> = (1..=unit_ids.len()).map(|i| format!("${i}")).collect();
        let filter =
            if unit_ids.is_empty() { String::new() } else { format!("WHERE unit_id IN ({})", placeholders.join(", ")) };
        let sql = format!("SELECT {COLUMNS} FROM rectifications {filter} ORDER BY deadline, id");
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(|r| from_row(r).map(|(r, _)| r)).collect()
    }
}
