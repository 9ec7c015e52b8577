//! Accounts: checking a password (with the number of hashes computed at
//! once bounded), a person changing his or her own password, and the
//! administrator resetting a password or disabling an account. Every
//! change is one audited write; sessions end with it where they must.

use crate::view::View;
use crate::{App, Caller, Error, Result};
use std::sync::LazyLock;
use taizhang_store::password::{hash_password, verify_password, MIN_PASSWORD_CHARS};
use taizhang_store::Login;
use tokio::sync::Semaphore;

/// The longest password taken: argon2 hashes any length, but nobody types
/// more, and a megabyte "password" is only work for the server.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Password hashes computed at once: argon2 takes ~20 MB and tens of
/// milliseconds each, so a burst of logins queues here instead of
/// exhausting memory and the blocking threads.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Whether `password` matches `hash`, on a blocking thread, at most one
/// hash per core at a time.
pub async fn verify(password: &str, hash: &str) -> Result<bool> {
    let (password, hash) = (password.to_string(), hash.to_string());
    let _permit = HASHING.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Compared against when there is no local password to check, so that the
/// answer takes as long as for a real one and does not tell which
/// usernames exist or how they sign in.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("taizhang: no such account"));

/// Whether `password` signs `login` (the active account of that username,
/// if any) in: the local password unless the person is directory-only,
/// then the directory when one is configured. Unknown usernames go through
/// the same steps and fail.
pub async fn authenticate(app: &App, login: Option<&Login>, username: &str, password: &str) -> Result<bool> {
    let too_long = password.chars().count() > MAX_PASSWORD_CHARS;
    let local = login.filter(|l| !l.directory_only).and_then(|l| l.password_hash.as_deref());
    let local_ok = verify(if too_long { "" } else { password }, local.unwrap_or(&DUMMY_HASH)).await?;
    if local_ok && local.is_some() && !too_long {
        return Ok(login.is_some());
    }
    match &app.directory {
        Some(directory) if !too_long => Ok(directory.check(username, password).await? && login.is_some()),
        _ => Ok(false),
    }
}

/// The administrator marks a person as signing in through the directory
/// only (their local password is no longer accepted), or lifts it.
pub async fn set_directory_only(app: &App, view: &View, caller: &Caller, person_id: i64, only: bool) -> Result<()> {
    require_admin_over_other(view, caller, person_id)?;
    view.person(person_id)?;
    if app.store.username_of(person_id).await?.is_none() {
        return Err(Error::Invalid("该人员没有登录账号".into()));
    }
    let mut w = app.store.begin_write().await?;
    w.set_directory_only(&caller.actor(), person_id, only).await?;
    if only {
        // Sessions opened with the local password end with it.
        w.end_sessions(person_id, None).await?;
    }
    w.commit().await?;
    Ok(())
}

/// The hash of a new password, bounded like [`verify`].
async fn hash(password: &str) -> Result<String> {
    let password = password.to_string();
    let _permit = HASHING.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|e| Error::Internal(e.to_string()))
}

/// A new password must be long enough and not absurdly long.
pub fn check_new_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!("新密码太短：至少{MIN_PASSWORD_CHARS}位")));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(Error::Invalid(format!("新密码太长：至多{MAX_PASSWORD_CHARS}位")));
    }
    Ok(())
}

/// The caller changes his or her own password: the current one is asked
/// for; every other session ends (`keep_session` is the token hash of the
/// one in use); a reset's "change at next login" is lifted.
pub async fn change_own_password(
    app: &App,
    caller: &Caller,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    let stored = app.store.password_hash_of(caller.person.id).await?;
    let current_ok = match &stored {
        Some(h) if current.chars().count() <= MAX_PASSWORD_CHARS => verify(current, h).await?,
        _ => false,
    };
    if !current_ok {
        return Err(Error::Invalid("原密码不正确".into()));
    }
    check_new_password(new)?;
    if new == current {
        return Err(Error::Invalid("新密码不能与原密码相同".into()));
    }
    let new_hash = hash(new).await?;
    let mut w = app.store.begin_write().await?;
    w.set_password(&caller.actor(), caller.person.id, &new_hash).await?;
    w.set_password_change_required(caller.person.id, false).await?;
    w.end_sessions(caller.person.id, keep_session).await?;
    w.commit().await?;
    Ok(())
}

/// Only an administrator manages accounts, and never his or her own
/// through these (a slip must not lock the last administrator out).
fn require_admin_over_other(view: &View, caller: &Caller, person_id: i64) -> Result<()> {
    if !view.access(caller).is_administrator() {
        return Err(Error::Forbidden);
    }
    if caller.person.id == person_id {
        return Err(Error::Invalid("不能在这里修改自己的账号；修改自己的密码请用“修改密码”".into()));
    }
    Ok(())
}

/// The administrator sets a temporary password: the person must choose a
/// new one at the next login, and every session of theirs ends now.
pub async fn reset_password(app: &App, view: &View, caller: &Caller, person_id: i64, temporary: &str) -> Result<()> {
    require_admin_over_other(view, caller, person_id)?;
    view.person(person_id)?;
    if app.store.username_of(person_id).await?.is_none() {
        return Err(Error::Invalid("该人员没有登录账号".into()));
    }
    check_new_password(temporary)?;
    let new_hash = hash(temporary).await?;
    let mut w = app.store.begin_write().await?;
    w.set_password(&caller.actor(), person_id, &new_hash).await?;
    w.set_password_change_required(person_id, true).await?;
    w.end_sessions(person_id, None).await?;
    w.commit().await?;
    Ok(())
}

/// The administrator disables (or enables again) an account: a disabled
/// one cannot log in and its sessions end at once; its records stay.
pub async fn set_active(app: &App, view: &View, caller: &Caller, person_id: i64, active: bool) -> Result<()> {
    require_admin_over_other(view, caller, person_id)?;
    view.person(person_id)?;
    let mut w = app.store.begin_write().await?;
    w.set_active(&caller.actor(), person_id, active).await?;
    if !active {
        w.end_sessions(person_id, None).await?;
    }
    w.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_bounded() {
        assert!(check_new_password("short").unwrap_err().message().contains("至少8位"));
        assert!(check_new_password(&"长".repeat(MAX_PASSWORD_CHARS + 1)).unwrap_err().message().contains("至多"));
        assert!(check_new_password("a-long-secret").is_ok());
    }
}
