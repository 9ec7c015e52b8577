//! Logins, sessions and CSRF. A session is a random token: the browser
//! keeps it in an HttpOnly cookie, API clients send it as a bearer token;
//! the database keeps only its SHA-256, so a stolen database holds no
//! usable session. Every cookie session has its own CSRF token, checked
//! on every form post.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use chrono::{Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use taizhang_app::{Caller, View};
use taizhang_core::org::{Person, Role};

pub const SESSION_COOKIE: &str = "tz_session";
const SESSION_HOURS: i64 = 12;
/// Failed logins allowed per username within the window before refusing.
pub const MAX_FAILURES: i64 = 5;
const FAILURE_WINDOW_MINUTES: i64 = 15;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The person behind a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Who the request acts for, as the application layer knows them.
    pub caller: Caller,
    pub csrf: String,
    pub via_api: bool,
    /// Unread notifications, for the page header.
    pub unread: i64,
    /// An administrator reset the password: only changing it is allowed.
    pub must_change_password: bool,
    token_hash: String,
}

impl std::ops::Deref for CurrentUser {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl CurrentUser {
    /// Checks a form's CSRF token (API calls carry none and need none:
    /// a bearer token is never sent by a browser on its own).
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if self.via_api {
            Ok(())
        } else {
            self.check_csrf_token(submitted)
        }
    }

    /// Whether `submitted` is this session's CSRF token.
    pub fn check_csrf_token(&self, submitted: &str) -> Result<(), AppError> {
        if constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// The SHA-256 of this request's session token (the session to keep
    /// when the password changes).
    pub fn session_hash(&self) -> &str {
        &self.token_hash
    }

    pub async fn logout(&self, state: &AppState) -> Result<(), AppError> {
        Ok(state.store.delete_session(&self.token_hash).await?)
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The route guard has usually found the caller already.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let (token, via_api) = match bearer(&parts.headers) {
            Some(t) => (t, true),
            None => (cookie_value(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?, false),
        };
        let hash = token_hash(&token);
        let session = state.store.session(&hash, Utc::now()).await?.ok_or(AppError::Unauthorized)?;
        if via_api != (session.kind == "api") {
            return Err(AppError::Unauthorized);
        }
        let roles = roles_of(state, parts, &session.person).await?;
        let unread = if via_api { 0 } else { session.unread };
        Ok(CurrentUser {
            caller: Caller { person: session.person, roles },
            csrf: session.csrf,
            via_api,
            unread,
            must_change_password: session.must_change_password,
            token_hash: hash,
        })
    }
}

/// A person's roles from the organisation snapshot (which the route guard
/// needs anyway, and is kept for it), unless the snapshot is older than
/// the person: then from the database.
async fn roles_of(state: &AppState, parts: &mut Parts, person: &Person) -> Result<Vec<Role>, AppError> {
    let view = match parts.extensions.get::<Arc<View>>() {
        Some(view) => view.clone(),
        None => View::load(state).await?,
    };
    parts.extensions.insert(view.clone());
    if view.org.person(person.id).is_none() {
        return Ok(state.store.roles_of(person.id).await?);
    }
    Ok(view.org.roles_of(person.id).into_iter().cloned().collect())
}

/// The longest username looked up (and counted); a longer one cannot exist.
const USERNAME_MAX_CHARS: usize = 64;

/// Checks a username and password, with the per-username rate limit, and
/// opens a session of `kind` (`web` or `api`). Returns the session token.
///
/// The attempt is counted before the password is checked, so parallel
/// guesses cannot all pass the limit; a successful login clears the count.
pub async fn login(state: &AppState, username: &str, password: &str, kind: &str) -> Result<String, AppError> {
    let username = username.trim();
    if username.is_empty() || username.chars().count() > USERNAME_MAX_CHARS {
        return Err(AppError::LoginFailed);
    }
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    state.store.record_login_failure(username).await?;
    if state.store.login_failures_since(username, since).await? > MAX_FAILURES {
        return Err(AppError::TooManyRequests(format!("登录失败次数过多，请{FAILURE_WINDOW_MINUTES}分钟后再试")));
    }
    let login = state.store.login(username).await?.filter(|l| l.active);
    // The local password (argon2, bounded and off the async workers), then the directory if configured.
    let ok = taizhang_app::accounts::authenticate(state, login.as_ref(), username, password).await?;
    let Some(login) = login.filter(|_| ok) else {
        return Err(AppError::LoginFailed);
    };
    state.store.clear_login_failures(username).await?;
    let token = random_token();
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    state.store.create_session(&token_hash(&token), login.person.id, &random_token(), kind, expires).await?;
    Ok(token)
}

/// The `Secure` attribute every cookie carries behind HTTPS.
pub fn secure_flag(state: &AppState) -> &'static str {
    if state.secure_cookies {
        "; Secure"
    } else {
        ""
    }
}

pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = secure_flag(state);
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SESSION_HOURS * 3600)
}

/// Clears a cookie set with [`session_cookie`]'s path and flags.
pub fn clear_cookie(state: &AppState, name: &str) -> String {
    let secure = secure_flag(state);
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_bearer_parse() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; tz_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie_value(&h, "c"), None);
        h.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(bearer(&h).as_deref(), Some("xyz"));
    }

    #[test]
    fn tokens_are_random_and_hashes_fixed() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
        assert_eq!(token_hash("a"), token_hash("a"));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
