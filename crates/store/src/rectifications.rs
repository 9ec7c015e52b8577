//! Problems found by inspections and their rectification. A change loads
//! the row, lets a rule of `taizhang_core::rectification` change it and
//! writes it back in one audited transaction; a refused change writes
//! nothing.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::register;
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::rectification::{Rectification, RectificationError, RectificationInput};
use taizhang_core::register::Register;

/// The columns of a problem: its entered fields' (from the schema) and the
/// workflow's.
fn columns() -> String {
    format!(
        "id, unit_id, {}, evidence, rectified_on, closed_on, opinion, revision",
        register::select_list::<RectificationInput>("")
    )
}

fn date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| crate::parse_date(&t)).transpose()
}

fn text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn from_row(row: &AnyRow) -> Result<(Rectification, i64), StoreError> {
    let r = Rectification {
        id: row.try_get("id")?,
        evidence: row.try_get("evidence")?,
        rectified_on: date(row.try_get("rectified_on")?)?,
        closed_on: date(row.try_get("closed_on")?)?,
        opinion: row.try_get("opinion")?,
        ..Rectification::new(row.try_get("unit_id")?, register::entry_from(row)?)
    };
    Ok((r, row.try_get("revision")?))
}

fn invalid(e: RectificationError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// The entered fields of a checked problem, trimmed.
fn entered(r: &Rectification) -> Result<RectificationInput, StoreError> {
    r.validate().map_err(invalid)?;
    r.input().revalidated().map_err(StoreError::Fields)
}

impl WriteTx<'_> {
    /// Adds a problem; `new.id` is ignored.
    pub async fn create_rectification(
        &mut self,
        actor: &Actor,
        new: &Rectification,
    ) -> Result<Rectification, StoreError> {
        let input = entered(new)?;
        let (columns, marks, n) = register::insert_lists::<RectificationInput>(2);
        let sql = format!(
            "INSERT INTO rectifications (unit_id, {columns}, evidence, rectified_on, closed_on, opinion, revision, \
             created_at) VALUES ($1, {marks}, ${n}, ${}, ${}, ${}, 1, ${}) RETURNING id",
            n + 1,
            n + 2,
            n + 3,
            n + 4
        );
        let id: i64 = register::bind(sqlx::query(&sql).bind(new.unit_id), &input)
            .bind(new.evidence.trim())
            .bind(new.rectified_on.map(text))
            .bind(new.closed_on.map(text))
            .bind(new.opinion.trim())
            .bind(crate::now_text())
            .fetch_one(self.conn())
            .await?
            .try_get(0)?;
        audit::append(self, actor, "create", "rectifications", id, None).await?;
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
        let input = entered(&r)?;
        let before = audit::snapshot(self.conn(), "rectifications", id).await?;
        let (sets, n) = register::update_list::<RectificationInput>(1);
        let sql = format!(
            "UPDATE rectifications SET {sets}, evidence = ${n}, rectified_on = ${}, closed_on = ${}, opinion = ${}, \
             revision = revision + 1 WHERE id = ${}",
            n + 1,
            n + 2,
            n + 3,
            n + 4
        );
        register::bind(sqlx::query(&sql), &input)
            .bind(r.evidence.trim())
            .bind(r.rectified_on.map(text))
            .bind(r.closed_on.map(text))
            .bind(r.opinion.trim())
            .bind(id)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "update", "rectifications", id, before).await?;
        Ok(self.rectification(id).await?.0)
    }

    async fn rectification(&mut self, id: i64) -> Result<(Rectification, i64), StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM rectifications WHERE id = $1", columns()))
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
        let row = sqlx::query(&format!("SELECT {} FROM rectifications WHERE id = $1", columns()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Every problem of the given units (of all units when none are
    /// given), by deadline.
    pub async fn rectifications_of(&self, unit_ids: &[i64]) -> Result<Vec<Rectification>, StoreError> {
        let filter = if unit_ids.is_empty() {
            String::new()
        } else {
            format!("WHERE unit_id IN ({})", crate::bulk::numbered(1, unit_ids.len()))
        };
        let sql = format!("SELECT {} FROM rectifications {filter} ORDER BY deadline, id", columns());
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(|r| from_row(r).map(|(r, _)| r)).collect()
    }
}
