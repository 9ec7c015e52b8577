//! The annual assessment of a Party group for a year. A change loads the
//! row (or starts a new 未提交 one), lets a step of
//! `taizhang_core::assessment` change it and writes it back in one
//! audited transaction; a refused step writes nothing.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use taizhang_core::assessment::{Assessment, AssessmentError, Rules, State};
use taizhang_core::duty::merge_assessment_rules;

const COLUMNS: &str =
    "id, unit_id, year, state, adjustments, reviews, submitted, submitted_on, finalised_on, opinion, revision, \
     (SELECT MAX(r.until_on) FROM assessment_reopenings r WHERE r.unit_id = assessments.unit_id \
     AND r.year = assessments.year) AS reopened_until";

fn date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| crate::parse_date(&t)).transpose()
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid(format!("数据库中的{what}无法读取：{e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("assessment parts serialise")
}

/// An assessment and its revision (0: nothing written yet).
fn from_row(row: &AnyRow) -> Result<(Assessment, i64), StoreError> {
    let state: String = row.try_get("state")?;
    let submitted: Option<String> = row.try_get("submitted")?;
    let a = Assessment {
        unit_id: row.try_get("unit_id")?,
        year: i32::try_from(row.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Invalid("数据库中的考核年度无法识别".into()))?,
        state: State::parse(&state)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的考核状态无法识别：{state}")))?,
        adjustments: json(&row.try_get::<String, _>("adjustments")?, "自评调整")?,
        reviews: json(&row.try_get::<String, _>("reviews")?, "审核得分")?,
        submitted: submitted.map(|s| json(&s, "提交的考核表")).transpose()?,
        submitted_on: date(row.try_get("submitted_on")?)?,
        finalised_on: date(row.try_get("finalised_on")?)?,
        opinion: row.try_get("opinion")?,
        reopened_until: date(row.try_get("reopened_until")?)?,
        reopen_reason: String::new(),
    };
    Ok((a, row.try_get("revision")?))
}

fn invalid(e: AssessmentError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

impl WriteTx<'_> {
    /// Applies `change` to a unit's assessment of `year`, starting one if
    /// there is none. `expected_revision`, when given, is the revision the
    /// person read (0 for none yet): a change to a newer one is refused.
    pub async fn change_assessment(
        &mut self,
        actor: &Actor,
        unit_id: i64,
        year: i32,
        expected_revision: Option<i64>,
        change: impl FnOnce(&mut Assessment) -> Result<(), AssessmentError>,
    ) -> Result<(Assessment, i64), StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM assessments WHERE unit_id = $1 AND year = $2"))
            .bind(unit_id)
            .bind(i64::from(year))
            .fetch_optional(self.conn())
            .await?;
        let (mut a, revision, id) = match &row {
            Some(row) => {
                let (a, revision) = from_row(row)?;
                (a, revision, Some(row.try_get::<i64, _>("id")?))
            }
            None => (Assessment::new(unit_id, year), 0, None),
        };
        if let Some(expected) = expected_revision.filter(|e| *e != revision) {
            return Err(StoreError::Conflict(format!(
                "该考核表已被他人修改（您打开的是第{expected}版，现为第{revision}版），请刷新后再操作"
            )));
        }
        let reopened = a.reopened_until;
        change(&mut a).map_err(invalid)?;
        match id {
            None => self.insert_assessment(actor, &a).await?,
            Some(id) => self.update_assessment(actor, id, &a).await?,
        }
        if let Some(until) = a.reopened_until.filter(|u| Some(*u) != reopened) {
            self.insert_reopening(actor, &a, until).await?;
        }
        Ok((a, revision + 1))
    }

    async fn insert_assessment(&mut self, actor: &Actor, a: &Assessment) -> Result<(), StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessments (unit_id, year, state, adjustments, reviews, submitted, submitted_on, \
             finalised_on, opinion, revision, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) \
             RETURNING id",
        )
        .bind(a.unit_id)
        .bind(i64::from(a.year))
        .bind(a.state.code())
        .bind(to_json(&a.adjustments))
        .bind(to_json(&a.reviews))
        .bind(a.submitted.as_ref().map(to_json))
        .bind(day(a.submitted_on))
        .bind(day(a.finalised_on))
        .bind(&a.opinion)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "assessments", id, None).await
    }

    /// A reopening (重新开放), append-only; its reason is the opinion given.
    async fn insert_reopening(&mut self, actor: &Actor, a: &Assessment, until: NaiveDate) -> Result<(), StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_reopenings (unit_id, year, until_on, opinion, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(a.unit_id)
        .bind(i64::from(a.year))
        .bind(until.format("%Y-%m-%d").to_string())
        .bind(&a.reopen_reason)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "assessment_reopenings", id, None).await
    }

    async fn update_assessment(&mut self, actor: &Actor, id: i64, a: &Assessment) -> Result<(), StoreError> {
        let before = audit::snapshot(self.conn(), "assessments", id).await?;
        sqlx::query(
            "UPDATE assessments SET state = $1, adjustments = $2, reviews = $3, submitted = $4, submitted_on = $5, \
             finalised_on = $6, opinion = $7, revision = revision + 1 WHERE id = $8",
        )
        .bind(a.state.code())
        .bind(to_json(&a.adjustments))
        .bind(to_json(&a.reviews))
        .bind(a.submitted.as_ref().map(to_json))
        .bind(day(a.submitted_on))
        .bind(day(a.finalised_on))
        .bind(&a.opinion)
        .bind(id)
        .execute(self.conn())
        .await?;
        audit::append(self, actor, "update", "assessments", id, before).await
    }
}

impl Store {
    /// A unit's assessment of `year` and its revision; a new 未提交 one
    /// (revision 0) when nothing was written yet.
    pub async fn assessment(&self, unit_id: i64, year: i32) -> Result<(Assessment, i64), StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM assessments WHERE unit_id = $1 AND year = $2"))
            .bind(unit_id)
            .bind(i64::from(year))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => from_row(&row),
            None => Ok((Assessment::new(unit_id, year), 0)),
        }
    }

    /// The assessments of `year` written so far, by unit.
    pub async fn assessments_of_year(&self, year: i32) -> Result<HashMap<i64, (Assessment, i64)>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM assessments WHERE year = $1 ORDER BY unit_id"))
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| from_row(r).map(|found| (found.0.unit_id, found))).collect()
    }

    /// [`Store::assessments_of_year`] without the scores and the submitted
    /// form (left empty): state, dates and opinion, what reminders need. A
    /// submitted form is some 16 kB; a province's, parsed, took 600 MB.
    pub async fn assessment_states_of_year(&self, year: i32) -> Result<HashMap<i64, (Assessment, i64)>, StoreError> {
        let light = COLUMNS
            .replace("adjustments, reviews, submitted,", "'[]' AS adjustments, '[]' AS reviews, NULL AS submitted,");
        let rows = sqlx::query(&format!("SELECT {light} FROM assessments WHERE year = $1 ORDER BY unit_id"))
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| from_row(r).map(|found| (found.0.unit_id, found))).collect()
    }

    /// The assessment parameters of each unit: from its adopted lists (the
    /// last that sets them), else the defaults.
    pub async fn assessment_rules_for(&self, unit_ids: &[i64]) -> Result<HashMap<i64, Rules>, StoreError> {
        let adopted = self.adopted_lists(unit_ids).await?;
        Ok(unit_ids
            .iter()
            .map(|u| {
                let lists = adopted.get(u).map(Vec::as_slice).unwrap_or(&[]);
                (*u, merge_assessment_rules(lists.iter().map(std::sync::Arc::as_ref)))
            })
            .collect())
    }
}
