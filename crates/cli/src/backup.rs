//! `taizhang backup`, `taizhang restore`, `taizhang verify-backup`: thin
//! over `taizhang_app::backup`.

use crate::db_args::DbArgs;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use taizhang_app::backup::{self, Form};
use taizhang_store::Store;

#[derive(Args)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// 备份文件（不得已存在）。SQLite 默认生成数据库文件；PostgreSQL 生成可移植归档（.zip）
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// SQLite 也生成可移植归档（可恢复到 PostgreSQL）
    #[arg(long)]
    portable: bool,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// 备份文件：taizhang backup 生成的数据库文件或归档
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    /// 恢复到的数据库（须为空：新的 SQLite 文件或新建的 PostgreSQL 数据库）
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Args)]
pub struct VerifyBackupArgs {
    /// 备份文件
    file: PathBuf,
}

/// How `serve` backs up on its own.
#[derive(Args)]
pub struct ScheduleArgs {
    /// 定时备份写入的目录（不设则不定时备份）；多台服务器共用数据库时只有一台执行
    #[arg(long = "backup-dir", value_name = "DIR", env = "TAIZHANG_BACKUP_DIR")]
    dir: Option<PathBuf>,
    /// 定时备份的间隔（小时）
    #[arg(long = "backup-every", value_name = "HOURS", default_value_t = 24.0, env = "TAIZHANG_BACKUP_EVERY")]
    every_hours: f64,
    /// 保留最近几份定时备份（更早的在新备份校验通过后删除）
    #[arg(long = "backup-keep", value_name = "N", default_value_t = 14, env = "TAIZHANG_BACKUP_KEEP")]
    keep: usize,
}

impl ScheduleArgs {
    pub fn schedule(&self) -> Result<Option<backup::Schedule>> {
        let Some(dir) = &self.dir else { return Ok(None) };
        if !(self.every_hours.is_finite() && self.every_hours > 0.0) || self.keep == 0 {
            return Err(
                taizhang_app::Error::Invalid("--backup-every 须大于0小时，--backup-keep 须至少为1".into()).into()
            );
        }
        let every = std::time::Duration::from_secs_f64(self.every_hours * 3600.0);
        Ok(Some(backup::Schedule { dir: dir.clone(), every, keep: self.keep }))
    }
}

pub async fn backup(args: BackupArgs) -> Result<ExitCode> {
    let store = args.db.open().await?;
    let form = backup::form_for(&store, args.portable);
    let report = backup::backup(&store, &args.out, form).await?;
    let what = match report.form {
        Form::SqliteFile => "SQLite 数据库文件",
        Form::Archive => "可移植归档",
    };
    println!(
        "已备份到 {}（{what}，{} 字节），校验通过：审计链共{}条记录，链头 {}",
        report.path.display(),
        report.bytes,
        report.chain.entries,
        report.chain.head
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(args: RestoreArgs) -> Result<ExitCode> {
    let target = Store::connect(&args.db.url()).await?;
    let report = backup::restore(&args.from, &target).await;
    target.close().await;
    let report = report?;
    println!(
        "已从 {} 恢复 {} 行数据，校验通过：审计链共{}条记录，链头 {}",
        args.from.display(),
        report.rows,
        report.chain.entries,
        report.chain.head
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn verify_backup(args: VerifyBackupArgs) -> Result<ExitCode> {
    match backup::verify_file(&args.file).await? {
        Ok(chain) => {
            println!("备份完整：审计链共{}条记录，链头 {}", chain.entries, chain.head);
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            eprintln!("备份校验失败：{}", broken.message);
            Ok(ExitCode::from(1))
        }
    }
}
