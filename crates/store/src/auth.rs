//! Sessions and failed logins. Kept in the database so that several app
//! servers share them; not audited (they are not records of work).

use crate::db::Store;
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;
use taizhang_core::org::Person;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub person_id: i64,
    pub csrf: String,
    /// `web` (cookie) or `api` (bearer token).
    pub kind: String,
    pub expires_at: DateTime<Utc>,
    /// An administrator reset the password: a new one must be chosen first.
    pub must_change_password: bool,
    /// The person, read with the session (one query for what every
    /// request needs).
    pub person: Person,
    /// The person's unread notifications.
    pub unread: i64,
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        person_id: i64,
        csrf: &str,
        kind: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, person_id, csrf, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_hash)
            .bind(person_id)
            .bind(csrf)
            .bind(kind)
            .bind(crate::now_text())
            .bind(instant(expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session for a token hash, if it exists, has not expired and
    /// its person's account is active (disabling an account ends its
    /// sessions at once, whatever else happens).
    pub async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT s.person_id, s.csrf, s.kind, s.expires_at, r.person_id AS reset, \
             p.id, p.unit_id, p.name, p.title, \
             (SELECT COUNT(*) FROM notifications n WHERE n.person_id = s.person_id AND n.read_at IS NULL) AS unread \
             FROM sessions s JOIN people p ON p.id = s.person_id AND p.active = 1 \
             LEFT JOIN password_resets r ON r.person_id = s.person_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at = crate::parse_instant(&row.try_get::<String, _>("expires_at")?);
        if expires_at <= now {
            return Ok(None);
        }
        Ok(Some(SessionRow {
            person_id: row.try_get("person_id")?,
            csrf: row.try_get("csrf")?,
            kind: row.try_get("kind")?,
            expires_at,
            must_change_password: row.try_get::<Option<i64>, _>("reset")?.is_some(),
            person: crate::org::person_from(&row)?,
            unread: row.try_get("unread")?,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Removes expired sessions and old failed logins.
    pub async fn prune_sessions(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(instant(now)).execute(&self.pool).await?;
        let day_ago = instant(now - chrono::Duration::days(1));
        sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(day_ago).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn record_login_failure(&self, username: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
            .bind(username)
            .bind(crate::now_text())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, username: &str, since: DateTime<Utc>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
            .bind(username)
            .bind(instant(since))
            .fetch_one(&self.pool)
            .await?)
    }

    /// The stored password hash of a person (`None`: no login).
    pub async fn password_hash_of(&self, person_id: i64) -> Result<Option<String>, StoreError> {
        let hash: Option<Option<String>> = sqlx::query_scalar("SELECT password_hash FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(hash.flatten())
    }

    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&self.pool).await?;
        Ok(())
    }
}

/// Calendar feeds: one secret subscription address per person (only the
/// token's SHA-256 is kept).
impl Store {
    /// Sets (or replaces) the person's feed token hash.
    pub async fn set_calendar_feed(&self, person_id: i64, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(person_id)
        .bind(token_hash)
        .bind(crate::now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The person's feed: its token hash and when it was made (none for a
    /// disabled account: its feed stops with its sessions).
    pub async fn calendar_feed(&self, person_id: i64) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let row = sqlx::query(
            "SELECT f.token_hash, f.created_at FROM calendar_feeds f \
             JOIN people p ON p.id = f.person_id AND p.active = 1 WHERE f.person_id = $1",
        )
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get(0)?, crate::parse_instant(&r.try_get::<String, _>(1)?)))).transpose()
    }

    pub async fn delete_calendar_feed(&self, person_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM calendar_feeds WHERE person_id = $1").bind(person_id).execute(&self.pool).await?;
        Ok(())
    }
}

impl crate::WriteTx<'_> {
    /// Ends the person's sessions, all or all but `keep` (a token hash).
    pub async fn end_sessions(&mut self, person_id: i64, keep: Option<&str>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
            .bind(person_id)
            .bind(keep.unwrap_or(""))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Marks (or unmarks) the person as having to choose a new password.
    pub async fn set_password_change_required(&mut self, person_id: i64, required: bool) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM password_resets WHERE person_id = $1").bind(person_id).execute(self.conn()).await?;
        if required {
            sqlx::query("INSERT INTO password_resets (person_id, at) VALUES ($1, $2)")
                .bind(person_id)
                .bind(crate::now_text())
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}
