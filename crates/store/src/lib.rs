//! taizhang's storage: SQLite by default, PostgreSQL for several app
//! servers. Every write runs in a [`WriteTx`] that appends to the audit
//! chain in the same transaction.

mod assessments;
mod attachments;
pub mod audit;
mod auth;
mod backup;
mod bulk;
mod db;
mod drafts;
mod duties;
mod evaluation_rows;
mod feedback;
mod inputs;
mod migrate;
mod news;
mod org;
mod packed_records;
pub mod password;
mod records;
mod rectifications;
mod register;
mod reminders;
mod risks;
pub mod testing;
mod versions;

pub use attachments::{
    Attachment, AttachmentVoid, BlobReader, FileProblem, NewAttachment, OWNER_DRAFT, OWNER_FEEDBACK, OWNER_RECORD,
    OWNER_RECTIFICATION, OWNER_RISK_REVIEW,
};
pub use audit::{Actor, ChainBroken, ChainReport, AUDITED};
pub use auth::SessionRow;
pub use backup::{Manifest, TableCount, ARCHIVE_FORMAT};
pub use db::{database_url, Backend, Store, WriteTx};
pub use drafts::{Draft, NewDraft, ReviewStep};
pub use duties::ListSummary;
pub use evaluation_rows::{StoredEvaluation, EVALUATION_ROWS_NAMED};
pub use feedback::FeedbackItem;
pub use inputs::{party_groups_in, party_groups_under, EvaluationInputs, GroupInputs, PackedInputs};
pub use org::{Login, NewChannel, NewPerson, NewUnit, Org};
pub use records::{NewRecord, Revision, Void, VOID_REASON_MAX_CHARS};
pub use reminders::{
    GroupReminders, JobClaim, JobState, Notification, OutboxMessage, ReminderRow, ReminderSettings, MAX_ATTEMPTS,
    ROWS_PER_INSERT,
};
pub use risks::{LedgerReview, Risk, RiskReviewRow};
pub use versions::ORGANISATION;

use taizhang_core::record::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the row since it was read.
    #[error("{0}")]
    Conflict(String),
    #[error("填写有误：{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Fields(Vec<FieldError>),
}

/// What a refused write says when another writer holds the database.
pub const BUSY_MESSAGE: &str = "系统正在导入数据，请稍后再试";

impl StoreError {
    /// Whether the database was held by another writer for longer than a
    /// write waits (SQLite's busy timeout while `taizhang import` runs, a
    /// PostgreSQL lock timeout), or no connection came free: the request
    /// may simply be tried again.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::PoolTimedOut) => true,
            StoreError::Db(sqlx::Error::Database(e)) => {
                // SQLITE_BUSY, SQLITE_LOCKED and their extended codes; lock_not_available.
                matches!(e.code().as_deref(), Some("5" | "6" | "261" | "262" | "517" | "55P03"))
                    || e.message().contains("database is locked")
            }
            _ => false,
        }
    }
}

/// The current instant as stored: RFC 3339 in UTC with microseconds, so
/// text order is time order.
/// The day the process treats as today, when pinned (`--today` of a demo or
/// a trial server): instants the store writes (录入时间, the audit trail)
/// fall on that day at the real time of day, so they never lie after the
/// "today" the pages show. Set once, before the first write.
static PINNED_TODAY: std::sync::OnceLock<chrono::NaiveDate> = std::sync::OnceLock::new();

/// Pins the store's clock to `date` for the life of the process; a second
/// call with another date is ignored.
pub fn pin_today(date: chrono::NaiveDate) {
    let _ = PINNED_TODAY.set(date);
}

/// Now, as the store writes it: the real instant, or the pinned day at the
/// real time of day.
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    taizhang_core::feedback::now_on(PINNED_TODAY.get().copied(), chrono::Utc::now())
}

pub(crate) fn now_text() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The result of a task spawned onto the runtime; a panic in it is
/// resumed here, in its caller, as if the work had run inline (a
/// cancelled task, at shutdown, panics too).
pub fn joined<T>(result: Result<T, tokio::task::JoinError>) -> T {
    match result {
        Ok(value) => value,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("a spawned task was cancelled: {e}"),
    }
}

pub(crate) fn parse_instant(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&chrono::Utc)).unwrap_or_default()
}

pub(crate) fn parse_date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("数据库中的日期无法识别：{text}")))
}
