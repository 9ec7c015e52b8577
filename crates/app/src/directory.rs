//! Directory login (统一身份认证): checking a password against an LDAP or
//! Active Directory server by binding as the person. People are matched
//! by username: the directory says whether the password is right, taizhang
//! still decides who the person is and what he or she may do.
//!
//! The person's DN comes from a template (`uid={username},ou=people,…`)
//! or from a search under a base with a filter (`(uid={username})`, bound
//! as a service account first). The username is escaped for a DN or a
//! filter, so it cannot change either. Binds at once are bounded, like the
//! password hashing in [`crate::accounts`].

use crate::{Error, Result};
use ldap3::{dn_escape, ldap_escape, LdapConnAsync, LdapConnSettings, Scope, SearchEntry};
use std::time::Duration;
use tokio::sync::Semaphore;

/// LDAP result code for a wrong password (or an unknown DN).
const INVALID_CREDENTIALS: u32 = 49;
/// Directory binds at once: a burst of logins queues here instead of
/// opening hundreds of connections to the directory.
const BINDS_AT_ONCE: usize = 8;

/// How the person's DN is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locate {
    /// A DN with `{username}` in it.
    Template(String),
    /// A subtree search under `base` with `filter` (holding `{username}`),
    /// bound as `bind_dn` first (anonymously when it is empty).
    Search { base: String, filter: String, bind_dn: String, bind_password: String },
}

/// The directory server and how to find people in it.
#[derive(Debug)]
pub struct Directory {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    pub locate: Locate,
    /// Upgrade an `ldap://` connection with StartTLS.
    pub starttls: bool,
    pub timeout: Duration,
    binds: Semaphore,
}

impl Directory {
    pub fn new(url: String, locate: Locate, starttls: bool) -> Result<Directory> {
        if !(url.starts_with("ldap://") || url.starts_with("ldaps://")) {
            return Err(Error::Invalid(format!("目录服务地址应以 ldap:// 或 ldaps:// 开头：{url}")));
        }
        let holes = match &locate {
            Locate::Template(t) => t.contains("{username}"),
            Locate::Search { filter, .. } => filter.contains("{username}"),
        };
        if !holes {
            return Err(Error::Invalid("目录服务的 DN 模板或查找条件中须含 {username}".into()));
        }
        Ok(Directory { url, locate, starttls, timeout: Duration::from_secs(10), binds: Semaphore::new(BINDS_AT_ONCE) })
    }

    /// Whether the directory accepts `password` for `username`. `Ok(false)`
    /// for a wrong password or a person the directory does not know; an
    /// error when the directory cannot be reached or refuses the service
    /// account.
    pub async fn check(&self, username: &str, password: &str) -> Result<bool> {
        // An empty password would be an unauthenticated bind, which
        // servers answer with success: never a login.
        if username.is_empty() || password.is_empty() {
            return Ok(false);
        }
        let _permit = self.binds.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
        match tokio::time::timeout(self.timeout * 2, self.bind_as(username, password)).await {
            Ok(Ok(ok)) => Ok(ok),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, url = %self.url, "directory login failed");
                Err(Error::Invalid("目录服务（LDAP）暂时无法使用，请稍后再试或联系管理员".into()))
            }
            Err(_) => {
                tracing::warn!(url = %self.url, "directory login timed out");
                Err(Error::Invalid("目录服务（LDAP）响应超时，请稍后再试或联系管理员".into()))
            }
        }
    }

    async fn bind_as(&self, username: &str, password: &str) -> std::result::Result<bool, ldap3::LdapError> {
        let settings = LdapConnSettings::new().set_conn_timeout(self.timeout).set_starttls(self.starttls);
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &self.url).await?;
        ldap3::drive!(conn);
        let dn = match &self.locate {
            Locate::Template(template) => Some(template.replace("{username}", &dn_escape(username))),
            Locate::Search { base, filter, bind_dn, bind_password } => {
                if !bind_dn.is_empty() {
                    ldap.simple_bind(bind_dn, bind_password).await?.success()?;
                }
                let filter = filter.replace("{username}", &ldap_escape(username));
                let (entries, _) = ldap.search(base, Scope::Subtree, &filter, vec!["1.1"]).await?.success()?;
                // Nobody, or more than one: not a login.
                match entries.as_slice() {
                    [one] => Some(SearchEntry::construct(one.clone()).dn),
                    _ => None,
                }
            }
        };
        let ok = match dn {
            Some(dn) => {
                let result = ldap.simple_bind(&dn, password).await?;
                match result.rc {
                    0 => true,
                    INVALID_CREDENTIALS => false,
                    // Any other answer is the directory's error, not a verdict on the password.
                    _ => {
                        result.success()?;
                        false
                    }
                }
            }
            None => false,
        };
        let _ = ldap.unbind().await;
        Ok(ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        let t = || Locate::Template("uid={username},ou=people,dc=example,dc=org".into());
        assert!(Directory::new("ldap://127.0.0.1:389".into(), t(), false).is_ok());
        assert!(Directory::new("http://x".into(), t(), false).unwrap_err().message().contains("ldap://"));
        let no_hole = Locate::Template("uid=admin,dc=example,dc=org".into());
        assert!(Directory::new("ldap://x".into(), no_hole, false).unwrap_err().message().contains("{username}"));
    }

    #[tokio::test]
    async fn empty_passwords_never_reach_the_directory() {
        let t = Locate::Template("uid={username},dc=example,dc=org".into());
        // Port 9 has no directory: an attempt to bind would fail with an error, not Ok(false).
        let d = Directory::new("ldap://127.0.0.1:9".into(), t, false).unwrap();
        assert!(!d.check("zhang", "").await.unwrap());
        assert!(d.check("zhang", "secret").await.is_err());
    }
}
