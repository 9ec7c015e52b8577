//! `taizhang report`, `ledger`, `bundle` and `verify-bundle`: the documents
//! of one Party group and period, written to files. The documents
//! themselves come from `taizhang_docs`; this module only parses flags,
//! loads the data (the same way the web server does) and writes the file.
//!
//! Exit codes: 0 done; 1 `verify-bundle` found a changed, missing or extra
//! file; 2 bad input (unknown unit or period, unreadable file).

use crate::db_args::DbArgs;
use anyhow::{bail, Context, Result};
use chrono::{NaiveDate, Utc};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use taizhang_app::{documents, App};
use taizhang_core::org::{Unit, UnitKind};
use taizhang_core::period::{today_in_shanghai, Period};
use taizhang_core::record::RecordKind;
use taizhang_docs::compose::{report_docx, ReportKind};
use taizhang_docs::inspection::inspection_bundle;
use taizhang_docs::record_ledgers::{ledger_workbook, parse_kind};
use taizhang_docs::source::Source;
use taizhang_docs::DocsError;

/// What every document command needs: which unit, which period, as of when.
#[derive(Args, Debug, Clone)]
pub struct Target {
    /// 党组（党委）名称或编号，如 县民政局党组
    #[arg(long)]
    pub unit: String,
    /// 期间：2026（全年）、2026H1（上半年）、2026Q3（第3季度）或 2026-03
    #[arg(long, value_parser = parse_period)]
    pub period: Period,
    /// 以哪一天为准评估并作为成文日期（默认今天，北京时间），如 2026-11-23
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub target: Target,
    /// 报告类型：half-year（半年或年度报告）、self-inspection（自查报告）
    #[arg(long, default_value = "half-year", value_parser = parse_report_kind)]
    pub kind: ReportKind,
    /// 输出文件（.docx）
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct LedgerArgs {
    #[command(flatten)]
    pub target: Target,
    /// 只导出一类台账：study、party_group_meeting、branch_meeting、life_meeting、
    /// analysis、risk_review、report、channel_update；不填则导出全部台账和责任落实情况
    #[arg(long, value_parser = parse_ledger_kind)]
    pub kind: Option<RecordKind>,
    /// 输出文件（.xlsx）
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct BundleArgs {
    #[command(flatten)]
    pub target: Target,
    /// 输出文件（.zip）
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct VerifyBundleArgs {
    /// 检查材料包（.zip）
    pub file: PathBuf,
}

fn parse_period(text: &str) -> Result<Period, String> {
    Period::parse(text).map_err(|e| e.to_string())
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    taizhang_core::fields::parse_date(text).ok_or_else(|| format!("日期“{text}”无法识别，应如 2026-11-23"))
}

fn parse_report_kind(text: &str) -> Result<ReportKind, String> {
    ReportKind::parse(text).ok_or_else(|| format!("报告类型“{text}”无法识别，应为 half-year 或 self-inspection"))
}

fn parse_ledger_kind(text: &str) -> Result<RecordKind, String> {
    parse_kind(text).ok_or_else(|| {
        let codes: Vec<&str> = RecordKind::ALL.iter().map(|k| k.code()).collect();
        format!("台账类别“{text}”无法识别，应为 {} 之一", codes.join("、"))
    })
}

/// The Party group named (or numbered) on the command line.
fn find_unit<'a>(units: &'a [Unit], wanted: &str) -> Result<&'a Unit> {
    let wanted = wanted.trim();
    let unit = units
        .iter()
        .find(|u| u.name == wanted)
        .or_else(|| wanted.parse::<i64>().ok().and_then(|id| units.iter().find(|u| u.id == id)));
    let groups = || {
        units.iter().filter(|u| u.kind == UnitKind::PartyGroup).map(|u| u.name.as_str()).collect::<Vec<_>>().join("、")
    };
    match unit {
        Some(u) if u.kind == UnitKind::PartyGroup => Ok(u),
        Some(u) => bail!("“{}”是{}，报告和台账按党组（党委）生成；可选：{}", u.name, u.kind.label(), groups()),
        None => bail!("没有名称或编号为“{wanted}”的单位；可选：{}", groups()),
    }
}

async fn load(target: &Target) -> Result<Source> {
    load_with(target, false).await
}

/// The source, with the bytes of its evidence files when `evidence`.
async fn load_with(target: &Target, evidence: bool) -> Result<Source> {
    let store = target.db.open().await?;
    let org = store.org().await?;
    let unit = find_unit(&org.units, &target.unit)?.id;
    let app = App { today: Some(target.today.unwrap_or_else(today_in_shanghai)), ..App::new(store) };
    let mut source = documents::source(&app, unit, target.period).await;
    if let (true, Ok(s)) = (evidence, source.as_mut()) {
        if let Err(e) = documents::load_evidence(&app, s).await {
            source = Err(e);
        }
    }
    app.store.close().await;
    Ok(source?)
}

fn write(out: &Path, bytes: &[u8], what: &str) -> Result<ExitCode> {
    std::fs::write(out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    println!("已生成{what}：{}（{} KB）", out.display(), bytes.len().div_ceil(1024));
    Ok(ExitCode::SUCCESS)
}

pub async fn report(args: ReportArgs) -> Result<ExitCode> {
    let source = load(&args.target).await?;
    let bytes = report_docx(&source, args.kind)?;
    let problems = taizhang_docs::compose::problems(&source).len();
    write(&args.out, &bytes, args.kind.label())?;
    println!(
        "{}{}：列出问题{}个；文中【请填写：…】处须人工补充后再报送。",
        source.unit.name,
        source.period.label(),
        problems
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn ledger(args: LedgerArgs) -> Result<ExitCode> {
    let source = load(&args.target).await?;
    let bytes = ledger_workbook(&source, args.kind)?;
    write(&args.out, &bytes, "台账")
}

pub async fn bundle(args: BundleArgs) -> Result<ExitCode> {
    let source = load_with(&args.target, true).await?;
    let bytes = inspection_bundle(&source, Utc::now())?;
    write(&args.out, &bytes, "检查材料包")?;
    println!("审计链链头：{}（共{}条审计记录）", source.audit.head, source.audit.entries);
    Ok(ExitCode::SUCCESS)
}

/// Exit 0 when every file matches the manifest, 1 when something was
/// changed (each file named), 2 when the file cannot be read as a bundle.
pub fn verify_bundle(args: &VerifyBundleArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
    match taizhang_docs::bundle::verify_bundle(&bytes) {
        Ok(report) => {
            println!(
                "检查材料包校验通过：{}{}，共{}个文件，均与清单一致。",
                report.meta.unit_name,
                report.meta.period_label,
                report.files.len()
            );
            println!("导出时间：{}", report.meta.generated_at.to_rfc3339());
            println!("导出时审计链链头：{}（共{}条审计记录）", report.meta.audit_chain_head, report.meta.audit_entries);
            Ok(ExitCode::SUCCESS)
        }
        Err(DocsError::BundleInvalid(problems)) => {
            eprintln!("检查材料包校验未通过（{}）：", args.file.display());
            for p in &problems {
                eprintln!("  {p}");
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => bail!("{e}"),
    }
}
