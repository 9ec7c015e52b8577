//! The risk ledger (风险隐患台账) and its reviews. Reviewing risks writes,
//! in the same transaction, the `risk_review` record the duty engine
//! counts, so the dashboard follows the ledger without a second entry.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::register;
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::record::{Record, RecordData, RiskReview};
use taizhang_core::risk::{RiskInput, RiskStatus};

/// A risk point of a Party group's ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: i64,
    pub unit_id: i64,
    pub entry: RiskInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub revision: i64,
    /// The latest review: when, and the next review it set.
    pub last_review: Option<(NaiveDate, Option<NaiveDate>)>,
}

/// One review of one risk.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskReviewRow {
    pub id: i64,
    pub risk_id: i64,
    /// The `risk_review` record the review wrote.
    pub record_id: i64,
    pub reviewed_on: NaiveDate,
    pub reviewer: String,
    pub conclusion: String,
    pub status: RiskStatus,
    pub next_review_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// A review of some risks of one ledger, with each risk's status after it.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerReview {
    pub reviewed_on: NaiveDate,
    pub reviewer: String,
    pub conclusion: String,
    pub next_review: NaiveDate,
    pub outcomes: Vec<(i64, RiskStatus)>,
}

/// The columns of a risk: its entry's (from the schema) and the rest.
fn columns() -> String {
    format!("r.id, r.unit_id, {}, {EXTRA_COLUMNS}", register::select_list::<RiskInput>("r."))
}

const EXTRA_COLUMNS: &str = "r.created_at, r.updated_at, r.revision, \
    (SELECT v.reviewed_on FROM risk_reviews v WHERE v.risk_id = r.id ORDER BY v.reviewed_on DESC, v.id DESC LIMIT 1) AS last_reviewed_on, \
    (SELECT v.next_review_on FROM risk_reviews v WHERE v.risk_id = r.id ORDER BY v.reviewed_on DESC, v.id DESC LIMIT 1) AS last_next_review_on";

const REVIEW_COLUMNS: &str =
    "id, risk_id, record_id, reviewed_on, reviewer, conclusion, status, next_review_on, created_at";

fn stored<T>(value: Option<T>, what: &str, text: &str) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Invalid(format!("数据库中的{what}无法识别：{text}")))
}

fn optional_date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.as_deref().map(crate::parse_date).transpose()
}

fn risk_from(row: &AnyRow) -> Result<Risk, StoreError> {
    let last: Option<NaiveDate> = optional_date(row.try_get("last_reviewed_on")?)?;
    let next: Option<NaiveDate> = optional_date(row.try_get("last_next_review_on")?)?;
    Ok(Risk {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        entry: register::entry_from(row)?,
        created_at: crate::parse_instant(&row.try_get::<String, _>("created_at")?),
        updated_at: crate::parse_instant(&row.try_get::<String, _>("updated_at")?),
        revision: row.try_get("revision")?,
        last_review: last.map(|on| (on, next)),
    })
}

fn review_from(row: &AnyRow) -> Result<RiskReviewRow, StoreError> {
    let status: String = row.try_get("status")?;
    Ok(RiskReviewRow {
        id: row.try_get("id")?,
        risk_id: row.try_get("risk_id")?,
        record_id: row.try_get("record_id")?,
        reviewed_on: crate::parse_date(&row.try_get::<String, _>("reviewed_on")?)?,
        reviewer: row.try_get("reviewer")?,
        conclusion: row.try_get("conclusion")?,
        status: stored(RiskStatus::parse(&status), "风险状态", &status)?,
        next_review_on: optional_date(row.try_get("next_review_on")?)?,
        created_at: crate::parse_instant(&row.try_get::<String, _>("created_at")?),
    })
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl WriteTx<'_> {
    /// Adds a risk to a Party group's ledger. Its title must be new there.
    pub async fn create_risk(&mut self, actor: &Actor, unit_id: i64, input: &RiskInput) -> Result<Risk, StoreError> {
        let input = input.clone().complete().map_err(StoreError::Fields)?;
        self.check_title_free(unit_id, &input.title, None).await?;
        let now = crate::now_text();
        let (columns, marks, next) = register::insert_lists::<RiskInput>(2);
        let sql = format!(
            "INSERT INTO risks (unit_id, {columns}, created_at, updated_at, revision) \
             VALUES ($1, {marks}, ${next}, ${next}, 1) RETURNING id"
        );
        let id: i64 = register::bind(sqlx::query(&sql).bind(unit_id), &input)
            .bind(&now)
            .fetch_one(self.conn())
            .await?
            .try_get(0)?;
        audit::append(self, actor, "create", "risks", id, None).await?;
        self.risk(id).await
    }

    /// Replaces a risk's entry. `expected_revision` is the revision the
    /// person edited; a risk changed since is refused.
    pub async fn update_risk(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        input: &RiskInput,
    ) -> Result<Risk, StoreError> {
        let input = input.clone().complete().map_err(StoreError::Fields)?;
        let old = self.risk(id).await?;
        if let Some(expected) = expected_revision.filter(|e| *e != old.revision) {
            return Err(StoreError::Conflict(format!(
                "该风险点已被他人修改（您打开的是第{expected}版，现为第{}版），请刷新后再改",
                old.revision
            )));
        }
        self.check_title_free(old.unit_id, &input.title, Some(id)).await?;
        let before = audit::snapshot(self.conn(), "risks", id).await?;
        let (sets, next) = register::update_list::<RiskInput>(1);
        let sql =
            format!("UPDATE risks SET {sets}, updated_at = ${next}, revision = revision + 1 WHERE id = ${}", next + 1);
        register::bind(sqlx::query(&sql), &input).bind(crate::now_text()).bind(id).execute(self.conn()).await?;
        audit::append(self, actor, "update", "risks", id, before).await?;
        self.risk(id).await
    }

    /// Records a review of some risks of a Party group's ledger: one
    /// `risk_review` record for the ledger (the duty engine's evidence),
    /// one review row per risk, and each risk's new status.
    pub async fn review_risks(
        &mut self,
        actor: &Actor,
        unit_id: i64,
        review: &LedgerReview,
    ) -> Result<(Record, Vec<RiskReviewRow>), StoreError> {
        if review.outcomes.is_empty() {
            return Err(StoreError::Invalid("请至少选择一个复核的风险点".into()));
        }
        if review.next_review <= review.reviewed_on {
            return Err(StoreError::Invalid("下次复核日期应晚于本次复核日期".into()));
        }
        let mut risks = Vec::new();
        for (id, _) in &review.outcomes {
            let risk = self.risk(*id).await?;
            if risk.unit_id != unit_id {
                return Err(StoreError::Invalid(format!("风险点“{}”不属于本单位的台账", risk.entry.title)));
            }
            risks.push(risk);
        }
        let titles: Vec<&str> = risks.iter().map(|r| r.entry.title.as_str()).collect();
        let conclusion = format!("复核风险点{}项：{}。{}", risks.len(), titles.join("、"), review.conclusion.trim());
        let data = RecordData::RiskReview(RiskReview {
            reviewer: review.reviewer.trim().into(),
            risks_count: risks.len() as u32,
            conclusion,
            next_review: Some(review.next_review),
        });
        let record =
            self.create_record(actor, &crate::NewRecord { unit_id, occurred_on: review.reviewed_on, data }).await?;
        let mut rows = Vec::new();
        for (risk, (_, status)) in risks.iter().zip(&review.outcomes) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO risk_reviews (risk_id, record_id, reviewed_on, reviewer, conclusion, status, \
                 next_review_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(risk.id)
            .bind(record.id)
            .bind(date_text(review.reviewed_on))
            .bind(review.reviewer.trim())
            .bind(review.conclusion.trim())
            .bind(status.code())
            .bind(date_text(review.next_review))
            .bind(crate::now_text())
            .bind(actor.person_id)
            .fetch_one(self.conn())
            .await?;
            audit::append(self, actor, "create", "risk_reviews", id, None).await?;
            if *status != risk.entry.status {
                let entry = RiskInput { status: *status, ..risk.entry.clone() };
                self.update_risk(actor, risk.id, None, &entry).await?;
            }
            rows.push(self.risk_review(id).await?);
        }
        Ok((record, rows))
    }

    async fn check_title_free(&mut self, unit_id: i64, title: &str, except: Option<i64>) -> Result<(), StoreError> {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM risks WHERE unit_id = $1 AND title = $2")
            .bind(unit_id)
            .bind(title)
            .fetch_optional(self.conn())
            .await?;
        match taken {
            Some(other) if Some(other) != except => {
                Err(StoreError::Invalid(format!("风险点“{title}”已在本单位的台账中")))
            }
            _ => Ok(()),
        }
    }

    async fn risk(&mut self, id: i64) -> Result<Risk, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM risks r WHERE r.id = $1", columns()))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的风险点")))?;
        risk_from(&row)
    }

    async fn risk_review(&mut self, id: i64) -> Result<RiskReviewRow, StoreError> {
        let row = sqlx::query(&format!("SELECT {REVIEW_COLUMNS} FROM risk_reviews WHERE id = $1"))
            .bind(id)
            .fetch_one(self.conn())
            .await?;
        review_from(&row)
    }
}

impl Store {
    pub async fn risk(&self, id: i64) -> Result<Option<Risk>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM risks r WHERE r.id = $1", columns()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(risk_from).transpose()
    }

    /// A Party group's ledger, in the order it was entered.
    pub async fn risks(&self, unit_id: i64) -> Result<Vec<Risk>, StoreError> {
        sqlx::query(&format!("SELECT {} FROM risks r WHERE r.unit_id = $1 ORDER BY r.id", columns()))
            .bind(unit_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(risk_from)
            .collect()
    }

    /// A risk's reviews, newest first.
    pub async fn risk_reviews(&self, risk_id: i64) -> Result<Vec<RiskReviewRow>, StoreError> {
        sqlx::query(&format!(
            "SELECT {REVIEW_COLUMNS} FROM risk_reviews WHERE risk_id = $1 ORDER BY reviewed_on DESC, id DESC"
        ))
        .bind(risk_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(review_from)
        .collect()
    }
}
