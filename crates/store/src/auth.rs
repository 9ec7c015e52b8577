//! Sessions and failed logins. Kept in the database so that several app
//! servers share them; not audited (they are not records of work).

use crate::db::Store;
use crate::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub person_id: i64,
    pub csrf: String,
    /// `web` (cookie) or `api` (bearer token).
    pub kind: String,
    pub expires_at: DateTime<Utc>,
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

    /// The session for a token hash, if it exists and has not expired.
    pub async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query("SELECT person_id, csrf, kind, expires_at FROM sessions WHERE token_hash = $1")
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

    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&self.pool).await?;
        Ok(())
    }
}
