//! `taizhang init`: the top unit and the first administrator.

use crate::db_args::DbArgs;
use anyhow::Result;
use clap::Args;
use std::io::BufRead;
use std::process::ExitCode;
use taizhang_app::{admin, App};
use taizhang_store::password::MIN_PASSWORD_CHARS;

#[derive(Args, Debug)]
pub struct InitArgs {
    #[command(flatten)]
    db: DbArgs,
    /// 顶层单位名称，如 县委宣传部
    #[arg(long)]
    unit: String,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long, default_value = "系统管理员")]
    name: String,
    /// 管理员密码；不填则从环境变量 TAIZHANG_ADMIN_PASSWORD 或标准输入读取
    #[arg(long, env = "TAIZHANG_ADMIN_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

fn read_password() -> Result<String> {
    eprint!("请输入管理员密码（至少{MIN_PASSWORD_CHARS}位）：");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(args: InitArgs) -> Result<ExitCode> {
    let app = App::new(args.db.open().await?);
    // Asked again by `initialise`; here so nobody types a password for nothing.
    admin::require_uninitialised(&app).await?;
    let password = match args.password {
        Some(p) => p,
        None => read_password()?,
    };
    admin::initialise(&app, &args.unit, &args.name, &args.username, &password).await?;
    println!("已初始化：顶层单位“{}”，管理员账号 {}", args.unit, args.username);
    Ok(ExitCode::SUCCESS)
}
