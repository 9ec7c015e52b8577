//! Reminders: settings per Party group, reminders recorded once by key,
//! in-app notifications, the outbox of robot and mail messages, and the
//! lock that lets one of several app servers run the scheduled scan.

use crate::audit::{self, Actor};
use crate::db::{Backend, Store, WriteTx};
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use std::time::Duration;
use taizhang_core::reminder::{digest, Reminder, ReminderKey, ReminderKind};

/// A Party group's reminder settings, as stored. Secrets are kept here
/// and never shown back in pages or the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    pub unit_id: i64,
    pub before_days: u32,
    /// Every how many days an overdue item is reminded again; 0: once.
    pub repeat_days: u32,
    /// `none`, `wecom` (企业微信群机器人) or `dingtalk` (钉钉群机器人).
    pub webhook_kind: String,
    pub webhook_url: String,
    /// 钉钉's signing secret (加签); empty when not used.
    pub webhook_secret: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    pub smtp_from: String,
    /// Addresses separated by commas.
    pub smtp_to: String,
}

impl ReminderSettings {
    /// The settings of a group that has saved none: in-app only.
    pub fn defaults(unit_id: i64) -> Self {
        ReminderSettings {
            unit_id,
            before_days: taizhang_core::reminder::Settings::default().before_days,
            repeat_days: taizhang_core::reminder::Settings::default().repeat_days,
            webhook_kind: "none".into(),
            webhook_url: String::new(),
            webhook_secret: String::new(),
            smtp_host: String::new(),
            smtp_port: 25,
            smtp_security: "none".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_from: String::new(),
            smtp_to: String::new(),
        }
    }

    pub fn webhook_enabled(&self) -> bool {
        self.webhook_kind != "none" && !self.webhook_url.trim().is_empty()
    }

    pub fn email_enabled(&self) -> bool {
        !self.smtp_host.trim().is_empty() && !self.smtp_to.trim().is_empty()
    }
}

/// A reminder as recorded, with when it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRow {
    pub id: i64,
    pub unit_id: i64,
    pub item_id: String,
    /// What the reminder is about: the duty's subject, the feedback entry, the draft.
    pub subject_id: i64,
    pub kind: ReminderKind,
    pub due: Option<NaiveDate>,
    pub title: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

/// A person's notification: a reminder and whether it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub reminder: ReminderRow,
    pub read_at: Option<DateTime<Utc>>,
}

/// A message waiting for (or done with) delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub unit_id: i64,
    /// `webhook` or `email`.
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: String,
}

/// After this many failed attempts a message is left for people to see
/// on the settings page instead of being retried on every scan.
pub const MAX_ATTEMPTS: u32 = 5;

/// The state of a scheduled job, shown on the settings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobState {
    pub last_started: DateTime<Utc>,
    pub last_finished: Option<DateTime<Utc>>,
    pub last_error: String,
    pub runs: i64,
}

const SETTINGS_COLUMNS: &str =
    "s.unit_id, s.before_days, c.repeat_days, s.webhook_kind, s.webhook_url, s.webhook_secret, s.smtp_host, \
     s.smtp_port, s.smtp_security, s.smtp_username, s.smtp_password, s.smtp_from, s.smtp_to";

/// The settings with the group's repeat cadence, kept in a table of its own.
const SETTINGS_FROM: &str = "reminder_settings s LEFT JOIN reminder_cadence c ON c.unit_id = s.unit_id";

fn settings_from(row: &AnyRow) -> Result<ReminderSettings, StoreError> {
    Ok(ReminderSettings {
        unit_id: row.try_get("unit_id")?,
        before_days: u32::try_from(row.try_get::<i64, _>("before_days")?).unwrap_or(0),
        repeat_days: match row.try_get::<Option<i64>, _>("repeat_days")? {
            Some(days) => u32::try_from(days).unwrap_or(0),
            None => taizhang_core::reminder::Settings::default().repeat_days,
        },
        webhook_kind: row.try_get("webhook_kind")?,
        webhook_url: row.try_get("webhook_url")?,
        webhook_secret: row.try_get("webhook_secret")?,
        smtp_host: row.try_get("smtp_host")?,
        smtp_port: u16::try_from(row.try_get::<i64, _>("smtp_port")?).unwrap_or(25),
        smtp_security: row.try_get("smtp_security")?,
        smtp_username: row.try_get("smtp_username")?,
        smtp_password: row.try_get("smtp_password")?,
        smtp_from: row.try_get("smtp_from")?,
        smtp_to: row.try_get("smtp_to")?,
    })
}

const REMINDER_COLUMNS: &str =
    "r.id, r.unit_id, r.item_id, r.subject_id, r.kind, r.due_on, r.title, r.message, r.created_at";

fn reminder_from(row: &AnyRow) -> Result<ReminderRow, StoreError> {
    let kind: String = row.try_get("kind")?;
    let due: String = row.try_get("due_on")?;
    Ok(ReminderRow {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        item_id: row.try_get("item_id")?,
        subject_id: row.try_get("subject_id")?,
        kind: ReminderKey::parse_stored_kind(&kind)
            .map(|(kind, _round)| kind)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的提醒类型无法识别：{kind}")))?,
        due: if due.is_empty() { None } else { Some(crate::parse_date(&due)?) },
        title: row.try_get("title")?,
        message: row.try_get("message")?,
        created_at: crate::parse_instant(&row.try_get::<String, _>("created_at")?),
    })
}

fn outbox_from(row: &AnyRow) -> Result<OutboxMessage, StoreError> {
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        channel: row.try_get("channel")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
        sent_at: row.try_get::<Option<String>, _>("sent_at")?.map(|t| crate::parse_instant(&t)),
        last_error: row.try_get("last_error")?,
    })
}

impl WriteTx<'_> {
    /// Saves a group's settings (audited). Validation of the values is the
    /// caller's (web) job; this only stores them.
    pub async fn save_reminder_settings(&mut self, actor: &Actor, s: &ReminderSettings) -> Result<(), StoreError> {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM reminder_settings WHERE unit_id = $1")
            .bind(s.unit_id)
            .fetch_optional(self.conn())
            .await?;
        let values = [
            s.webhook_kind.as_str(),
            s.webhook_url.trim(),
            s.webhook_secret.trim(),
            s.smtp_host.trim(),
            s.smtp_security.as_str(),
            s.smtp_username.trim(),
            s.smtp_password.as_str(),
            s.smtp_from.trim(),
            s.smtp_to.trim(),
        ];
        let (sql, action) = match existing {
            None => (
                "INSERT INTO reminder_settings (webhook_kind, webhook_url, webhook_secret, smtp_host, smtp_security, \
                 smtp_username, smtp_password, smtp_from, smtp_to, before_days, smtp_port, updated_at, unit_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                "create",
            ),
            Some(_) => (
                "UPDATE reminder_settings SET webhook_kind = $1, webhook_url = $2, webhook_secret = $3, smtp_host = $4, \
                 smtp_security = $5, smtp_username = $6, smtp_password = $7, smtp_from = $8, smtp_to = $9, \
                 before_days = $10, smtp_port = $11, updated_at = $12 WHERE unit_id = $13 RETURNING id",
                "update",
            ),
        };
        let before = match existing {
            Some(id) => audit::snapshot(self.conn(), "reminder_settings", id).await?,
            None => None,
        };
        let mut query = sqlx::query_scalar(sql);
        for v in values {
            query = query.bind(v);
        }
        let id: i64 = query
            .bind(i64::from(s.before_days))
            .bind(i64::from(s.smtp_port))
            .bind(crate::now_text())
            .bind(s.unit_id)
            .fetch_one(self.conn())
            .await?;
        audit::append(self, actor, action, "reminder_settings", id, before).await?;
        self.save_reminder_cadence(actor, s.unit_id, s.repeat_days).await
    }

    /// The group's repeat cadence, written (audited) only when it changes.
    async fn save_reminder_cadence(&mut self, actor: &Actor, unit_id: i64, repeat_days: u32) -> Result<(), StoreError> {
        let existing: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, repeat_days FROM reminder_cadence WHERE unit_id = $1")
                .bind(unit_id)
                .fetch_optional(self.conn())
                .await?;
        let days = i64::from(repeat_days);
        let (id, action, before) = match existing {
            Some((_, stored)) if stored == days => return Ok(()),
            Some((id, _)) => {
                let before = audit::snapshot(self.conn(), "reminder_cadence", id).await?;
                sqlx::query("UPDATE reminder_cadence SET repeat_days = $1, updated_at = $2 WHERE id = $3")
                    .bind(days)
                    .bind(crate::now_text())
                    .bind(id)
                    .execute(self.conn())
                    .await?;
                (id, "update", before)
            }
            None if repeat_days == taizhang_core::reminder::Settings::default().repeat_days => return Ok(()),
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO reminder_cadence (unit_id, repeat_days, updated_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(unit_id)
                .bind(days)
                .bind(crate::now_text())
                .fetch_one(self.conn())
                .await?;
                (id, "create", None)
            }
        };
        audit::append(self, actor, action, "reminder_cadence", id, before).await
    }

    /// Records the reminders of one group's scan. A reminder whose key is
    /// already recorded is skipped; the new ones get a notification for
    /// each recipient and, when the group has a robot or a mailbox, one
    /// digest message each in the outbox. Returns the new reminders.
    pub async fn record_reminders(
        &mut self,
        unit_id: i64,
        unit_name: &str,
        today: NaiveDate,
        reminders: &[Reminder],
    ) -> Result<Vec<Reminder>, StoreError> {
        let group = GroupReminders { unit_id, unit_name, reminders };
        let mut fresh = self.record_reminders_of_groups(today, &[group]).await?;
        Ok(fresh.pop().unwrap_or_default())
    }

    /// [`WriteTx::record_reminders`] for several groups at once, as one
    /// pass of multi-row statements (a scan's chunk of groups): the same
    /// rows as recording the groups one after the other, in their order.
    /// Returns each group's new reminders, in the order of `groups`.
    pub async fn record_reminders_of_groups(
        &mut self,
        today: NaiveDate,
        groups: &[GroupReminders<'_>],
    ) -> Result<Vec<Vec<Reminder>>, StoreError> {
        let now = crate::now_text();
        let rows = distinct_rows(groups);
        let ids = self.insert_reminders(&rows, &now).await?;
        let mut fresh: Vec<Vec<Reminder>> = vec![Vec::new(); groups.len()];
        let mut notifications = Vec::new();
        for row in &rows {
            let Some(&id) = ids.get(&row.key) else { continue };
            notifications.extend(row.reminder.recipients.iter().map(|&person| (id, person)));
            fresh[row.group].push(row.reminder.clone());
        }
        self.insert_notifications(&notifications).await?;
        let digests: Vec<_> = groups.iter().zip(&fresh).filter(|(_, f)| !f.is_empty()).collect();
        if !digests.is_empty() {
            self.enqueue_digests(today, &digests, &now).await?;
        }
        Ok(fresh)
    }

    /// Inserts the rows, several hundred to a statement, and returns the
    /// ids of those that were new by their keys (the order of `RETURNING`
    /// is not promised on either backend).
    async fn insert_reminders(
        &mut self,
        rows: &[KeyedRow<'_>],
        now: &str,
    ) -> Result<HashMap<StoredKey, i64>, StoreError> {
        const COLUMNS: usize = 11;
        let mut ids = HashMap::new();
        for batch in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO reminders (unit_id, item_id, subject_kind, subject_id, period, due_on, kind, seq, title, \
                 message, created_at) VALUES {} ON CONFLICT DO NOTHING \
                 RETURNING id, unit_id, item_id, subject_kind, subject_id, period, due_on, kind, seq",
                crate::bulk::placeholders(batch.len(), COLUMNS)
            );
            let mut query = sqlx::query(&sql).persistent(batch.len() == ROWS_PER_INSERT);
            for row in batch {
                let k = &row.key;
                query = query
                    .bind(k.unit_id)
                    .bind(k.item_id.as_str())
                    .bind(k.subject_kind.as_str())
                    .bind(k.subject_id)
                    .bind(k.period.as_str())
                    .bind(k.due_on.as_str())
                    .bind(k.kind.as_str())
                    .bind(k.seq)
                    .bind(row.reminder.title.as_str())
                    .bind(row.reminder.message.as_str())
                    .bind(now);
            }
            for returned in query.fetch_all(self.conn()).await? {
                let key = StoredKey {
                    unit_id: returned.try_get("unit_id")?,
                    item_id: returned.try_get("item_id")?,
                    subject_kind: returned.try_get("subject_kind")?,
                    subject_id: returned.try_get("subject_id")?,
                    period: returned.try_get("period")?,
                    due_on: returned.try_get("due_on")?,
                    kind: returned.try_get("kind")?,
                    seq: returned.try_get("seq")?,
                };
                ids.insert(key, returned.try_get("id")?);
            }
        }
        Ok(ids)
    }

    /// One notification per (reminder, person), many to a statement.
    async fn insert_notifications(&mut self, rows: &[(i64, i64)]) -> Result<(), StoreError> {
        for batch in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO notifications (reminder_id, person_id) VALUES {}",
                crate::bulk::placeholders(batch.len(), 2)
            );
            let mut query = sqlx::query(&sql).persistent(batch.len() == ROWS_PER_INSERT);
            for &(reminder, person) in batch {
                query = query.bind(reminder).bind(person);
            }
            query.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// One digest per group with new reminders and per channel it has
    /// (robot, then mail), the groups in their order.
    async fn enqueue_digests(
        &mut self,
        today: NaiveDate,
        digests: &[(&GroupReminders<'_>, &Vec<Reminder>)],
        now: &str,
    ) -> Result<(), StoreError> {
        let units: Vec<i64> = digests.iter().map(|(g, _)| g.unit_id).collect();
        let settings = self.settings_of(&units).await?;
        let mut messages = Vec::new();
        for (group, fresh) in digests {
            let Some(settings) = settings.get(&group.unit_id) else { continue };
            let unit_name = group.unit_name;
            let body = digest(unit_name, today, &fresh.iter().collect::<Vec<_>>());
            let subject = format!("台账提醒：{unit_name}新增{}条提醒", fresh.len());
            let channels = [("webhook", settings.webhook_enabled()), ("email", settings.email_enabled())];
            for (channel, _) in channels.into_iter().filter(|(_, on)| *on) {
                messages.push((group.unit_id, channel, subject.clone(), body.clone()));
            }
        }
        for batch in messages.chunks(ROWS_PER_INSERT) {
            let values = (0..batch.len())
                .map(|i| {
                    format!("(${}, ${}, ${}, ${}, ${}, 0, '')", 5 * i + 1, 5 * i + 2, 5 * i + 3, 5 * i + 4, 5 * i + 5)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO outbox (unit_id, channel, subject, body, created_at, attempts, last_error) VALUES {values}"
            );
            let mut query = sqlx::query(&sql).persistent(false);
            for (unit_id, channel, subject, body) in batch {
                query = query.bind(*unit_id).bind(*channel).bind(subject.clone()).bind(body.clone()).bind(now);
            }
            query.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// The saved settings of these units (those that saved none are absent).
    async fn settings_of(&mut self, units: &[i64]) -> Result<HashMap<i64, ReminderSettings>, StoreError> {
        let mut out = HashMap::new();
        for batch in units.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "SELECT {SETTINGS_COLUMNS} FROM {SETTINGS_FROM} WHERE s.unit_id IN ({})",
                crate::bulk::numbered(1, batch.len())
            );
            let mut query = sqlx::query(&sql).persistent(false);
            for unit in batch {
                query = query.bind(*unit);
            }
            for row in query.fetch_all(self.conn()).await? {
                let settings = settings_from(&row)?;
                out.insert(settings.unit_id, settings);
            }
        }
        Ok(out)
    }

    /// Puts a test message in the outbox of one channel (the settings
    /// page's "send a test message").
    pub async fn enqueue_test_message(&mut self, unit_id: i64, channel: &str, body: &str) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO outbox (unit_id, channel, subject, body, created_at, attempts, last_error) \
             VALUES ($1, $2, '台账提醒：测试消息', $3, $4, 0, '') RETURNING id",
        )
        .bind(unit_id)
        .bind(channel)
        .bind(body)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        Ok(id)
    }
}

impl Store {
    /// A group's settings, or the defaults when it has saved none.
    pub async fn reminder_settings(&self, unit_id: i64) -> Result<ReminderSettings, StoreError> {
        let row = sqlx::query(&format!("SELECT {SETTINGS_COLUMNS} FROM {SETTINGS_FROM} WHERE s.unit_id = $1"))
            .bind(unit_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(settings_from).transpose()?.unwrap_or_else(|| ReminderSettings::defaults(unit_id)))
    }

    /// Every group's saved settings (for a scan over all groups).
    pub async fn all_reminder_settings(&self) -> Result<Vec<ReminderSettings>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {SETTINGS_COLUMNS} FROM {SETTINGS_FROM}")).fetch_all(&self.pool).await?;
        rows.iter().map(settings_from).collect()
    }

    /// A person's notifications, unread first, newest first.
    pub async fn notifications_of(&self, person_id: i64, limit: i64) -> Result<Vec<Notification>, StoreError> {
        let sql = format!(
            "SELECT n.id AS notification_id, n.read_at, {REMINDER_COLUMNS} FROM notifications n \
             JOIN reminders r ON r.id = n.reminder_id WHERE n.person_id = $1 \
             ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql).bind(person_id).bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Notification {
                    id: row.try_get("notification_id")?,
                    reminder: reminder_from(row)?,
                    read_at: row.try_get::<Option<String>, _>("read_at")?.map(|t| crate::parse_instant(&t)),
                })
            })
            .collect()
    }

    pub async fn unread_notifications(&self, person_id: i64) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL")
            .bind(person_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Marks a person's notifications read: the given ones, or all when
    /// `ids` is empty. Only the person's own are touched; returns how many.
    pub async fn mark_notifications_read(&self, person_id: i64, ids: &[i64]) -> Result<u64, StoreError> {
        let mut sql = "UPDATE notifications SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL".to_string();
        if !ids.is_empty() {
            sql.push_str(&format!(" AND id IN ({})", crate::bulk::numbered(3, ids.len())));
        }
        let mut query = sqlx::query(&sql).bind(crate::now_text()).bind(person_id);
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.execute(&self.pool).await?.rows_affected())
    }

    /// A group's recent reminders, newest first, whoever they went to.
    pub async fn reminders_of(&self, unit_id: i64, limit: i64) -> Result<Vec<ReminderRow>, StoreError> {
        let sql = format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders r WHERE r.unit_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql).bind(unit_id).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(reminder_from).collect()
    }

    /// Messages still to send (not sent, attempts left), oldest first.
    pub async fn pending_outbox(&self) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query("SELECT * FROM outbox WHERE sent_at IS NULL AND attempts < $1 ORDER BY id")
            .bind(i64::from(MAX_ATTEMPTS))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_from).collect()
    }

    /// A group's recent outbox messages, newest first.
    pub async fn outbox_of(&self, unit_id: i64, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query("SELECT * FROM outbox WHERE unit_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(unit_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_from).collect()
    }

    /// Notes the outcome of one delivery attempt.
    pub async fn mark_outbox(&self, id: i64, outcome: Result<(), String>) -> Result<(), StoreError> {
        let (sent, error) = match outcome {
            Ok(()) => (Some(crate::now_text()), String::new()),
            Err(e) => (None, e),
        };
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, sent_at = $1, last_error = $2 WHERE id = $3")
            .bind(sent)
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn job_state(&self, name: &str) -> Result<Option<JobState>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM scheduled_jobs WHERE name = $1").bind(name).fetch_optional(&self.pool).await?;
        row.map(|row| {
            Ok(JobState {
                last_started: crate::parse_instant(&row.try_get::<String, _>("last_started")?),
                last_finished: row.try_get::<Option<String>, _>("last_finished")?.map(|t| crate::parse_instant(&t)),
                last_error: row.try_get("last_error")?,
                runs: row.try_get("runs")?,
            })
        })
        .transpose()
    }

    /// Claims a run of a scheduled job: `None` when another server holds
    /// the job now, or when it last started less than `every` ago. The
    /// claim is a PostgreSQL session advisory lock on a connection that is
    /// closed (never returned to the pool) when the claim ends, so a
    /// crashed server cannot leave the job locked; on SQLite, where one
    /// process owns the file, a lock in the process.
    pub async fn claim_job(&self, name: &str, every: Duration) -> Result<Option<JobClaim>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => {
                let mut conn = self.pool.acquire().await?;
                conn.close_on_drop();
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(job_key(name))
                    .fetch_one(&mut *conn)
                    .await?;
                if !got {
                    return Ok(None);
                }
                JobLock::Postgres(conn)
            }
            Backend::Sqlite => match self.job_lock(name).try_lock_owned() {
                Ok(guard) => JobLock::Process(guard),
                Err(_) => return Ok(None),
            },
        };
        if let Some(state) = self.job_state(name).await? {
            let since = Utc::now() - state.last_started;
            if since.to_std().is_ok_and(|s| s < every) {
                return Ok(None);
            }
        }
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO scheduled_jobs (name, last_started, last_error, runs) VALUES ($1, $2, '', 1) \
             ON CONFLICT (name) DO UPDATE SET last_started = excluded.last_started, last_finished = NULL, runs = scheduled_jobs.runs + 1",
        )
        .bind(name)
        .bind(crate::now_text())
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(Some(JobClaim { name: name.to_string(), _lock: lock }))
    }

    /// The process lock of one job on SQLite: jobs do not wait for each other.
    fn job_lock(&self, name: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.job_locks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        locks.entry(name.to_string()).or_default().clone()
    }

    /// Ends a claimed run, noting its error if it failed.
    pub async fn finish_job(&self, claim: JobClaim, error: Option<String>) -> Result<(), StoreError> {
        sqlx::query("UPDATE scheduled_jobs SET last_finished = $1, last_error = $2 WHERE name = $3")
            .bind(crate::now_text())
            .bind(error.unwrap_or_default())
            .bind(&claim.name)
            .execute(&self.pool)
            .await?;
        // Release the advisory lock on its own connection before closing
        // it: the close alone is asynchronous, so a claim made right after
        // (by this server's next tick or another server) could still find
        // the lock held. A claim dropped without finishing is released by
        // the close.
        let JobClaim { name, _lock: lock } = claim;
        if let JobLock::Postgres(mut conn) = lock {
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(job_key(&name)).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// A stable advisory-lock key for a job name (FNV-1a), distinct from the
/// writers' lock.
fn job_key(name: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("taizhang-job:{name}").bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

enum JobLock {
    Postgres(sqlx::pool::PoolConnection<sqlx::Any>),
    Process(#[allow(dead_code)] tokio::sync::OwnedMutexGuard<()>),
}

/// The right to run one scheduled job now; dropping it releases it.
pub struct JobClaim {
    name: String,
    _lock: JobLock,
}

impl std::fmt::Debug for JobClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobClaim").field("name", &self.name).finish()
    }
}

/// One Party group's reminders, to record with others in one pass.
#[derive(Debug, Clone, Copy)]
pub struct GroupReminders<'a> {
    pub unit_id: i64,
    pub unit_name: &'a str,
    pub reminders: &'a [Reminder],
}

/// Rows of one multi-row statement: 500 reminders are 5,500 bound
/// values, well within PostgreSQL's 65,535 and SQLite's 32,766.
pub const ROWS_PER_INSERT: usize = 500;

/// A reminder's unique key as stored (the table's `UNIQUE` columns).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StoredKey {
    unit_id: i64,
    item_id: String,
    subject_kind: String,
    subject_id: i64,
    period: String,
    due_on: String,
    kind: String,
    seq: i64,
}

impl StoredKey {
    fn of(unit_id: i64, k: &ReminderKey) -> StoredKey {
        StoredKey {
            unit_id,
            item_id: k.item_id.clone(),
            subject_kind: k.subject_kind.clone(),
            subject_id: k.subject_id,
            period: k.period.clone(),
            due_on: k.due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            kind: k.stored_kind(),
            seq: i64::from(k.seq),
        }
    }
}

/// A reminder to insert, with its group (an index into the groups) and key.
struct KeyedRow<'a> {
    group: usize,
    key: StoredKey,
    reminder: &'a Reminder,
}

/// The reminders of all groups in order, each key once: recorded one by
/// one, the second of two reminders with the same key would find the
/// first already there and be skipped, so only the first is kept.
fn distinct_rows<'a>(groups: &[GroupReminders<'a>]) -> Vec<KeyedRow<'a>> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for (group, g) in groups.iter().enumerate() {
        for reminder in g.reminders {
            let key = StoredKey::of(g.unit_id, &reminder.key);
            if seen.insert(key.clone()) {
                rows.push(KeyedRow { group, key, reminder });
            }
        }
    }
    rows
}
