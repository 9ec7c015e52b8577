//! `taizhang import FILE.csv`: records from a spreadsheet, all or nothing.

use crate::db_args::DbArgs;
use anyhow::{Context, Result};
use clap::Args;
use std::process::ExitCode;
use taizhang_app::{records, App, Caller};
use taizhang_core::import::{parse_csv, ImportError};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// CSV 文件（UTF-8）；格式见 docs/import.md
    file: std::path::PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// 以该账号的名义导入，并按其权限检查每一行的单位
    #[arg(long)]
    user: Option<String>,
}

pub async fn run(args: ImportArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8”", args.file.display()))?;
    let rows = match parse_csv(&text) {
        Ok(rows) => rows,
        Err(errors) => return Ok(report(&errors)),
    };
    let store = args.db.open().await?;
    let caller = match &args.user {
        None => None,
        Some(username) => {
            let login = store.login(username).await?.with_context(|| format!("没有账号 {username}"))?;
            let roles = store.roles_of(login.person.id).await?;
            Some(Caller { person: login.person, roles })
        }
    };
    let app = App::new(store);
    match records::import(&app, caller.as_ref(), rows).await? {
        Ok(written) => {
            println!("已导入{written}条记录。");
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => Ok(report(&errors)),
    }
}

fn report(errors: &[ImportError]) -> ExitCode {
    eprintln!("导入失败，未写入任何数据。请修改以下{}处后重新导入：", errors.len());
    for e in errors {
        eprintln!("  {e}");
    }
    ExitCode::from(2)
}
