//! `--db PATH | --database-url URL`, shared by every subcommand.

use anyhow::{Context, Result};
use clap::Args;
use taizhang_store::{database_url, Store};

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// SQLite 数据库文件（默认 ./taizhang.db）
    #[arg(long, env = "TAIZHANG_DB", conflicts_with = "database_url")]
    pub db: Option<String>,
    /// PostgreSQL 连接地址，如 postgres://user@host/db
    #[arg(long, env = "TAIZHANG_DATABASE_URL")]
    pub database_url: Option<String>,
    /// 佐证材料文件目录（默认存入数据库；多台服务器时应为共享目录）
    #[arg(long, env = "TAIZHANG_FILES_DIR")]
    pub files_dir: Option<std::path::PathBuf>,
}

impl DbArgs {
    pub async fn open(&self) -> Result<Store> {
        let url = self.url();
        let store = Store::open(&url).await.with_context(|| format!("无法打开数据库 {}", redact(&url)))?;
        match &self.files_dir {
            Some(dir) => Ok(store.with_files_dir(dir)?),
            None => Ok(store),
        }
    }

    /// The connection URL the flags name.
    pub fn url(&self) -> String {
        database_url(self.db.as_deref(), self.database_url.as_deref())
    }
}

/// Hides a password in a connection URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
