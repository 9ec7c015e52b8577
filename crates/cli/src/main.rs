//! The `taizhang` binary. Subcommands are thin: they parse flags, open the
//! store and call the application layer (`taizhang_app`) or the library
//! crates. Exit codes: 0 success, 1 a check failed (verify, proof findings)
//! or the system failed, 2 bad input or not allowed ([`exit_code`]).

mod backup;
mod db_args;
mod directory;
mod documents;
mod import;
mod init;
mod seed;

use anyhow::Result;
use clap::{Parser, Subcommand};
use db_args::DbArgs;
use std::process::ExitCode;
use taizhang_app::reminders::egress::Allowlist;
use taizhang_app::{reminders, App};
use taizhang_web::ServeOptions;

// The engine builds many small strings per evaluation; mimalloc roughly
// halves the roll-up time against glibc's malloc (docs/performance.md).
// Built without transparent huge pages (`no_thp`): zeroing a fresh 2 MB
// page at each refill of its arenas was a tenth of a cold roll-up's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "taizhang", version, about = "台账：意识形态工作责任制与党支部组织生活台账系统")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of the `serve` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// 以演示数据启动（首次运行时创建演示数据库）
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080", env = "TAIZHANG_LISTEN")]
        listen: String,
        #[arg(long, default_value = "taizhang-demo.db")]
        db: String,
        /// 只创建演示数据库，不启动服务（供脚本使用）
        #[arg(long)]
        seed_only: bool,
        /// 把哪一天当作“今天”（默认为演示数据对应的2026-11-23，使演示中的问题始终可见）
        #[arg(long, env = "TAIZHANG_TODAY")]
        today: Option<chrono::NaiveDate>,
        #[command(flatten)]
        remind: RemindArgs,
        #[command(flatten)]
        webhook: WebhookArgs,
    },
    /// 启动服务
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", env = "TAIZHANG_LISTEN")]
        listen: String,
        #[command(flatten)]
        db: DbArgs,
        /// 经 HTTPS 反向代理提供服务时设置，Cookie 将带 Secure 标记
        #[arg(long, env = "TAIZHANG_SECURE_COOKIES")]
        secure_cookies: bool,
        /// 用户访问本系统的地址（如 https://taizhang.example.org），用于日历订阅中的链接；不设则取请求的主机名
        #[arg(long, env = "TAIZHANG_BASE_URL")]
        base_url: Option<String>,
        /// 把哪一天当作“今天”（默认取北京时间当天；用于培训或回看）
        #[arg(long, env = "TAIZHANG_TODAY")]
        today: Option<chrono::NaiveDate>,
        #[command(flatten)]
        remind: RemindArgs,
        #[command(flatten)]
        webhook: WebhookArgs,
        #[command(flatten)]
        files: FileArgs,
        #[command(flatten)]
        backup: backup::ScheduleArgs,
        #[command(flatten)]
        ldap: directory::LdapArgs,
        #[command(flatten)]
        warm: WarmArgs,
    },
    /// 立即扫描一次到期与逾期事项，生成提醒并发送（多台服务器时只有一台在运行）
    Remind {
        #[command(flatten)]
        db: DbArgs,
        /// 把哪一天当作“今天”（默认取北京时间当天）
        #[arg(long, env = "TAIZHANG_TODAY")]
        today: Option<chrono::NaiveDate>,
        #[command(flatten)]
        webhook: WebhookArgs,
    },
    /// 写入模拟省份（N 个党组及其一年的数据），用于大规模试用和性能测试
    Seed(seed::SeedArgs),
    /// 初始化：创建顶层单位和第一个系统管理员
    Init(init::InitArgs),
    /// 校验审计链，检查数据是否被绕过系统改动
    Verify(VerifyArgs),
    /// 从 CSV 或 Excel（.xlsx）导入工作记录（先整体校验，全部成功才写入）
    Import(import::ImportArgs),
    /// 生成 Excel 导入模板（.xlsx）：表头、下拉列表、示例行和填写说明
    Template(import::TemplateArgs),
    /// 生成落实意识形态工作责任制情况报告或自查报告（.docx）
    Report(documents::ReportArgs),
    /// 导出台账（.xlsx）：各类工作记录台账和责任落实情况
    Ledger(documents::LedgerArgs),
    /// 导出检查材料包（.zip）：自查报告、台账和带审计链链头的校验清单
    Bundle(documents::BundleArgs),
    /// 校验检查材料包是否与导出时一致
    VerifyBundle(documents::VerifyBundleArgs),
    /// 备份数据库（服务运行时也可备份），写出后立即校验
    Backup(backup::BackupArgs),
    /// 把备份恢复到一个空数据库（SQLite 或 PostgreSQL）
    Restore(backup::RestoreArgs),
    /// 校验备份文件：审计链完整、数据未被改动
    VerifyBackup(backup::VerifyBackupArgs),
    /// 校对文稿（.txt、.md、.docx 或 - 表示标准输入）
    Proof(taizhang_proof::cli::ProofArgs),
}

#[derive(clap::Args)]
struct RemindArgs {
    /// 提醒扫描的间隔（分钟）；0 表示不在本进程中扫描（可改用 cron 调用 taizhang remind）
    #[arg(long = "remind-every", default_value_t = 10, env = "TAIZHANG_REMIND_EVERY")]
    minutes: u64,
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    db: DbArgs,
    /// 输出格式：text（默认）或 json（{"ok","entries","head"}，供脚本使用）
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
    /// 此前保存的链头（如检查材料包清单中的 audit_chain_head）：审计链中已没有这一条时校验失败
    #[arg(long, value_name = "HEX")]
    expect_head: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum VerifyFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct WebhookArgs {
    /// 允许提醒机器人访问的内网主机名、IP 或网段（如 10.8.0.0/16），多个以逗号分隔；默认只允许公网地址
    #[arg(long = "webhook-allow", value_delimiter = ',', env = "TAIZHANG_WEBHOOK_ALLOW")]
    allow: Vec<String>,
}

impl WebhookArgs {
    fn allowlist(&self) -> Result<Allowlist> {
        Ok(Allowlist::parse(&self.allow).map_err(taizhang_app::Error::Invalid)?)
    }
}

#[derive(clap::Args)]
struct WarmArgs {
    /// 每隔多少分钟预先计算各党组本年度的汇总结果（只算有变动的，供所有服务器共用），使每天第一次打开汇总页时不必等待；0 表示不预算
    #[arg(long = "warm-every", default_value_t = 10, env = "TAIZHANG_WARM_EVERY")]
    warm_minutes: u64,
}

impl WarmArgs {
    fn every(&self) -> Option<std::time::Duration> {
        (self.warm_minutes > 0).then(|| std::time::Duration::from_secs(self.warm_minutes * 60))
    }
}

impl RemindArgs {
    fn every(&self) -> Option<std::time::Duration> {
        (self.minutes > 0).then(|| std::time::Duration::from_secs(self.minutes * 60))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Proof(args) = &cli.command {
        return ExitCode::from(taizhang_proof::cli::run(args) as u8);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("TAIZHANG_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{}", message(&e));
            exit_code(&e)
        }
    }
}

/// The one place an error becomes an exit code: what the caller got wrong
/// (input, rights, a missing unit or file, a stale version) is 2; an
/// operation that failed inside the system (the database broke off) is 1.
fn exit_code(e: &anyhow::Error) -> ExitCode {
    match e.downcast_ref::<taizhang_app::Error>() {
        Some(taizhang_app::Error::Internal(_) | taizhang_app::Error::Busy) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

/// An application error with every refused field spelled out; anything
/// else with its chain of causes.
fn message(e: &anyhow::Error) -> String {
    match e.downcast_ref::<taizhang_app::Error>() {
        Some(app) => app.message(),
        None => format!("{e:#}"),
    }
}

async fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Demo { listen, db, seed_only, today, remind, webhook } => {
            demo(&listen, &db, seed_only, today, remind, webhook.allowlist()?).await
        }
        Command::Serve { listen, db, secure_cookies, base_url, today, remind, webhook, backup, ldap, files, warm } => {
            if let Some(day) = today {
                taizhang_store::pin_today(day);
            }
            let webhook_allow = webhook.allowlist()?;
            let backup = backup.schedule()?;
            let directory = ldap.directory()?;
            let store = db.open().await?;
            let app = App { today, webhook_allow, directory, attachment_limits: files.limits(), ..App::new(store) };
            let options = ServeOptions {
                listen: listen.clone(),
                secure_cookies,
                base_url,
                reminder_every: remind.every(),
                backup,
                warm_every: warm.every(),
            };
            println!("台账服务已启动：http://{listen}/");
            taizhang_web::serve(app, options).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Remind { db, today, webhook } => remind(db, today, webhook.allowlist()?).await,
        Command::Init(args) => init::run(args).await,
        Command::Seed(args) => seed::run(args).await,
        Command::Verify(args) => verify(args).await,
        Command::Import(args) => import::run(args).await,
        Command::Template(args) => import::template(args).await,
        Command::Report(args) => documents::report(args).await,
        Command::Ledger(args) => documents::ledger(args).await,
        Command::Bundle(args) => documents::bundle(args).await,
        Command::VerifyBundle(args) => documents::verify_bundle(&args),
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::VerifyBackup(args) => backup::verify_backup(args).await,
        Command::Proof(_) => unreachable!("handled before the runtime starts"),
    }
}

async fn remind(db: DbArgs, today: Option<chrono::NaiveDate>, webhook_allow: Allowlist) -> Result<ExitCode> {
    if let Some(day) = today {
        taizhang_store::pin_today(day);
    }
    let app = App { today, webhook_allow, ..App::new(db.open().await?) };
    match reminders::run_once(&app, std::time::Duration::ZERO).await? {
        Some(r) => {
            println!("已扫描 {} 个党组（党委）：新增提醒 {} 条，发出消息 {} 条", r.groups, r.new_reminders, r.sent)
        }
        None => println!("另一台服务器正在扫描，本次未运行"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn demo(
    listen: &str,
    db: &str,
    seed_only: bool,
    today: Option<chrono::NaiveDate>,
    remind: RemindArgs,
    webhook_allow: Allowlist,
) -> Result<ExitCode> {
    let today = today.unwrap_or_else(taizhang_demo::demo_today);
    taizhang_store::pin_today(today);
    let store = DbArgs { db: Some(db.to_string()), database_url: None, files_dir: None }.open().await?;
    let summary = taizhang_demo::seed(&store).await?;
    if summary.reused {
        println!("使用已有的演示数据库：{db}");
    } else {
        println!(
            "已创建演示数据库 {db}：{} 个单位，{} 名人员，{} 条工作记录",
            summary.units, summary.people, summary.records
        );
    }
    if seed_only {
        return Ok(ExitCode::SUCCESS);
    }
    println!("\n台账演示系统：http://{listen}/（以{}为“今天”）\n", taizhang_core::period::chinese_date(today));
    println!("演示账号（密码均为 {}）：", taizhang_demo::DEMO_PASSWORD);
    for a in taizhang_demo::accounts() {
        println!("  {:<12} {}（{}，{}）", a.username, a.name, a.unit, a.role);
    }
    println!("\n按 Ctrl-C 停止。");
    let app = App { today: Some(today), webhook_allow, ..App::new(store) };
    // Reminders of the demo's "today" are there before the first login.
    reminders::run_once(&app, std::time::Duration::ZERO).await?;
    let options =
        ServeOptions { listen: listen.to_string(), reminder_every: remind.every(), ..ServeOptions::default() };
    taizhang_web::serve(app, options).await?;
    Ok(ExitCode::SUCCESS)
}

async fn verify(args: VerifyArgs) -> Result<ExitCode> {
    let anchor = args.expect_head.as_deref().map(str::trim);
    if anchor.is_some_and(|a| a.len() != 64 || !a.chars().all(|c| c.is_ascii_hexdigit())) {
        return Err(taizhang_app::Error::Invalid("--expect-head 应为64位十六进制的链头（SHA-256）".into()).into());
    }
    let store = args.db.open().await?;
    let outcome = store.verify_anchored(anchor).await?;
    // Every stored evidence file is hashed again against its audited row.
    let files = store.verify_files().await?;
    let json = matches!(args.format, VerifyFormat::Json);
    let ok = outcome.is_ok() && files.is_empty();
    match outcome {
        Ok(report) if json => {
            let mut out = verify_json(files.is_empty(), report.entries, &report.head, None);
            out["files"] = files.iter().map(|f| f.message.clone()).collect::<Vec<_>>().into();
            println!("{out}");
        }
        Ok(report) => println!("审计链完整：共{}条记录，链头 {}", report.entries, report.head),
        Err(broken) if json => {
            // What the database holds now, beside why it does not verify.
            let stored = store.audit_head().await?;
            let mut out = verify_json(false, stored.entries, &stored.head, Some(&broken.message));
            out["files"] = files.iter().map(|f| f.message.clone()).collect::<Vec<_>>().into();
            println!("{out}");
        }
        Err(broken) => eprintln!("审计链校验失败：{}", broken.message),
    }
    if !json {
        match files.len() {
            0 => println!("佐证材料文件完整：逐一重新计算 SHA-256，均与审计记录一致"),
            n => {
                eprintln!("佐证材料文件校验失败（{n}个）：");
                for f in &files {
                    eprintln!("  {}", f.message);
                }
            }
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The limits of evidence files (佐证材料).
#[derive(clap::Args)]
struct FileArgs {
    /// 单个佐证材料文件的大小上限（MB）
    #[arg(long = "max-file-mb", default_value_t = 20, env = "TAIZHANG_MAX_FILE_MB")]
    max_file_mb: u64,
    /// 每个单位佐证材料的总容量上限（MB；不设则不限）
    #[arg(long = "unit-quota-mb", env = "TAIZHANG_UNIT_QUOTA_MB")]
    unit_quota_mb: Option<u64>,
}

impl FileArgs {
    fn limits(&self) -> taizhang_app::attachments::Limits {
        const MB: u64 = 1024 * 1024;
        taizhang_app::attachments::Limits {
            max_bytes: self.max_file_mb.max(1) * MB,
            unit_quota: self.unit_quota_mb.map(|q| q * MB),
        }
    }
}

/// `{"ok","entries","head"}`, with `"error"` when the chain does not verify.
fn verify_json(ok: bool, entries: u64, head: &str, error: Option<&str>) -> serde_json::Value {
    let mut out = serde_json::json!({ "ok": ok, "entries": entries, "head": head });
    if let Some(error) = error {
        out["error"] = error.into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Flattened argument groups must not share an id: clap then refuses
    /// the second flag at run time ("cannot be used multiple times").
    #[test]
    fn every_command_line_is_well_formed() {
        Cli::command().debug_assert();
        let serve = ["taizhang", "serve", "--remind-every", "0", "--warm-every", "5"];
        let Command::Serve { remind, warm, .. } = Cli::try_parse_from(serve).unwrap().command else {
            panic!("not serve")
        };
        assert_eq!((remind.every(), warm.every()), (None, Some(std::time::Duration::from_secs(300))));
    }
}
