//! Drafts under pre-publication review (三审三校) and the reviewers of each
//! channel. The rules live in `taizhang_core::drafts`; this module loads a
//! draft, lets a rule change it and writes it back in one audited
//! transaction, so a refused step leaves nothing behind.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::drafts::{Person, Review, ReviewError, Reviewers, Stage};
use taizhang_core::record::{ChannelUpdate, RecordData};

/// Longest title and body accepted; a WeChat article is far shorter.
const TITLE_MAX_CHARS: usize = 200;
const BODY_MAX_CHARS: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub unit_id: i64,
    pub channel_id: i64,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub review: Review,
}

#[derive(Debug, Clone)]
pub struct NewDraft {
    pub channel_id: i64,
    pub title: String,
    pub body: String,
}

/// One step of review on a draft.
#[derive(Debug, Clone)]
pub enum ReviewStep {
    Edit {
        title: String,
        body: String,
    },
    Approve {
        stage: Stage,
        opinion: String,
        /// The proofreader's errors left as written, checked by the
        /// application layer against the current version.
        acknowledged: Vec<taizhang_core::drafts::Acknowledgement>,
    },
    Reject {
        stage: Stage,
        opinion: String,
    },
    /// `on` is the publication date (Beijing), for the channel's update record.
    Publish {
        url: String,
        on: NaiveDate,
    },
}

const COLUMNS: &str = "id, unit_id, channel_id, title, body, author_id, created_at, updated_at, review";

fn draft_from(row: &AnyRow) -> Result<Draft, StoreError> {
    let review: String = row.try_get("review")?;
    Ok(Draft {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        channel_id: row.try_get("channel_id")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        author_id: row.try_get("author_id")?,
        created_at: crate::parse_instant(&row.try_get::<String, _>("created_at")?),
        updated_at: crate::parse_instant(&row.try_get::<String, _>("updated_at")?),
        review: serde_json::from_str(&review).map_err(|e| StoreError::Invalid(format!("稿件审校记录无法读取：{e}")))?,
    })
}

fn checked_text(title: &str, body: &str) -> Result<(String, String), StoreError> {
    let (title, body) = (title.trim(), body.trim_end());
    if title.is_empty() {
        return Err(StoreError::Invalid("请填写稿件标题".into()));
    }
    if body.trim().is_empty() {
        return Err(StoreError::Invalid("稿件正文为空".into()));
    }
    if title.chars().count() > TITLE_MAX_CHARS || body.chars().count() > BODY_MAX_CHARS {
        return Err(StoreError::Invalid(format!(
            "稿件过长（标题不超过{TITLE_MAX_CHARS}字，正文不超过{BODY_MAX_CHARS}字）"
        )));
    }
    Ok((title.to_string(), body.to_string()))
}

fn review_error(e: ReviewError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

impl WriteTx<'_> {
    pub async fn create_draft(&mut self, actor: &Actor, new: &NewDraft) -> Result<Draft, StoreError> {
        let (title, body) = checked_text(&new.title, &new.body)?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM channels WHERE id = $1")
            .bind(new.channel_id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{}的宣传阵地", new.channel_id)))?;
        let review = Review::default();
        let now = crate::now_text();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO drafts (unit_id, channel_id, title, body, author_id, created_at, updated_at, review, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id",
        )
        .bind(unit_id)
        .bind(new.channel_id)
        .bind(&title)
        .bind(&body)
        .bind(actor.person_id)
        .bind(&now)
        .bind(serde_json::to_string(&review).expect("reviews serialise"))
        .bind(review.status().code())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "drafts", id, None).await?;
        self.draft(id).await
    }

    /// Applies one step to a draft. `version` is the version the person
    /// read: a step on a text that has changed since is refused.
    /// Publishing also records the channel's update (宣传阵地更新).
    /// Returns the draft and, for an edit, the stages whose sign-offs it
    /// cleared.
    pub async fn review_draft(
        &mut self,
        actor: &Actor,
        id: i64,
        version: Option<u32>,
        step: ReviewStep,
    ) -> Result<(Draft, Vec<Stage>), StoreError> {
        let mut draft = self.draft(id).await?;
        if let Some(v) = version.filter(|v| *v != draft.review.version) {
            return Err(StoreError::Conflict(format!(
                "稿件已被修改（您看到的是第{v}稿，现为第{}稿），请刷新后重新审阅",
                draft.review.version
            )));
        }
        let reviewers = self.channel_reviewers(draft.channel_id).await?;
        let by = Person { id: actor.person_id.unwrap_or_default(), name: actor.name.clone() };
        let now = crate::now();
        let mut cleared = Vec::new();
        match &step {
            ReviewStep::Edit { title, body } => {
                let (title, body) = checked_text(title, body)?;
                cleared = draft.review.edit(by, &reviewers, now).map_err(review_error)?;
                draft.title = title;
                draft.body = body;
            }
            ReviewStep::Approve { stage, opinion, acknowledged } => draft
                .review
                .approve(*stage, by, &reviewers, opinion, acknowledged.clone(), now)
                .map_err(review_error)?,
            ReviewStep::Reject { stage, opinion } => {
                draft.review.reject(*stage, by, &reviewers, opinion, now).map_err(review_error)?
            }
            ReviewStep::Publish { url, .. } => draft.review.publish(by, url, now).map_err(review_error)?,
        }
        self.write_draft(actor, &draft).await?;
        if let ReviewStep::Publish { url, on } = step {
            let update =
                ChannelUpdate { channel_id: draft.channel_id, title: draft.title.clone(), url: url.trim().into() };
            let new =
                crate::NewRecord { unit_id: draft.unit_id, occurred_on: on, data: RecordData::ChannelUpdate(update) };
            self.create_record(actor, &new).await?;
        }
        Ok((self.draft(id).await?, cleared))
    }

    async fn write_draft(&mut self, actor: &Actor, draft: &Draft) -> Result<(), StoreError> {
        let before = audit::snapshot(self.conn(), "drafts", draft.id).await?;
        let published_at = draft.review.published.as_ref().map(|(at, _)| instant_text(*at));
        sqlx::query(
            "UPDATE drafts SET title = $1, body = $2, updated_at = $3, review = $4, status = $5, published_at = $6 \
             WHERE id = $7",
        )
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(crate::now_text())
        .bind(serde_json::to_string(&draft.review).expect("reviews serialise"))
        .bind(draft.review.status().code())
        .bind(published_at)
        .bind(draft.id)
        .execute(self.conn())
        .await?;
        audit::append(self, actor, "update", "drafts", draft.id, before).await
    }

    async fn draft(&mut self, id: i64) -> Result<Draft, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM drafts WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的稿件")))?;
        draft_from(&row)
    }

    async fn channel_reviewers(&mut self, channel_id: i64) -> Result<Reviewers, StoreError> {
        let json: Option<String> = sqlx::query_scalar("SELECT reviewers FROM channel_reviewers WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_optional(self.conn())
            .await?;
        parse_reviewers(json)
    }

    /// Sets who may sign each stage of a channel's drafts. Every listed
    /// person must belong to the channel's unit or the units under it.
    pub async fn set_channel_reviewers(
        &mut self,
        actor: &Actor,
        channel_id: i64,
        reviewers: &Reviewers,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(reviewers).expect("reviewers serialise");
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM channel_reviewers WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_optional(self.conn())
            .await?;
        match existing {
            Some(id) => {
                let before = audit::snapshot(self.conn(), "channel_reviewers", id).await?;
                sqlx::query("UPDATE channel_reviewers SET reviewers = $1 WHERE id = $2")
                    .bind(&json)
                    .bind(id)
                    .execute(self.conn())
                    .await?;
                audit::append(self, actor, "update", "channel_reviewers", id, before).await
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO channel_reviewers (channel_id, reviewers) VALUES ($1, $2) RETURNING id",
                )
                .bind(channel_id)
                .bind(&json)
                .fetch_one(self.conn())
                .await?;
                audit::append(self, actor, "create", "channel_reviewers", id, None).await
            }
        }
    }
}

fn parse_reviewers(json: Option<String>) -> Result<Reviewers, StoreError> {
    match json {
        None => Ok(Reviewers::default()),
        Some(j) => serde_json::from_str(&j).map_err(|e| StoreError::Invalid(format!("审核人设置无法读取：{e}"))),
    }
}

impl Store {
    pub async fn draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM drafts WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(draft_from).transpose()
    }

    /// Drafts of the given units created between two instants, newest first.
    pub async fn drafts(
        &self,
        unit_ids: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Draft>, StoreError> {
        if unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(3, unit_ids.len());
        let sql = format!(
            "SELECT {COLUMNS} FROM drafts WHERE created_at >= $1 AND created_at < $2 AND unit_id IN ({}) \
             ORDER BY created_at DESC, id DESC",
            placeholders
        );
        let mut query = sqlx::query(&sql).bind(instant_text(from)).bind(instant_text(to));
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(draft_from).collect()
    }

    /// Every draft waiting for a stage of 三审三校, oldest first: for the
    /// reminder scan, which tells the stage's reviewers.
    pub async fn drafts_awaiting_review(&self) -> Result<Vec<Draft>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM drafts WHERE status IN ('first', 'second', 'final') ORDER BY created_at, id"
        );
        sqlx::query(&sql).fetch_all(&self.pool).await?.iter().map(draft_from).collect()
    }

    pub async fn channel_reviewers(&self, channel_id: i64) -> Result<Reviewers, StoreError> {
        let json: Option<String> = sqlx::query_scalar("SELECT reviewers FROM channel_reviewers WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_optional(&self.pool)
            .await?;
        parse_reviewers(json)
    }
}

/// An instant in the stored form, so text comparison is time comparison.
fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
