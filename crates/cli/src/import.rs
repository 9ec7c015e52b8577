//! `taizhang import FILE` (CSV or .xlsx): records from a spreadsheet, all
//! or nothing; `taizhang template --kind KIND --out FILE.xlsx`: the
//! workbook to fill in.

use crate::db_args::DbArgs;
use anyhow::{Context, Result};
use clap::Args;
use std::process::ExitCode;
use taizhang_app::{records, templates, App, Caller, View};
use taizhang_core::import::ImportError;
use taizhang_core::template::{ImportKind, Names};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// CSV 文件（UTF-8）或 Excel 文件（.xlsx）；格式见 docs/import.md
    file: std::path::PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// 以该账号的名义导入，并按其权限检查每一行的单位
    #[arg(long)]
    user: Option<String>,
}

pub async fn run(args: ImportArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
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
    match records::import_file(&app, caller.as_ref(), &bytes).await? {
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

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// 模板类别：risks（风险隐患台账）、feedback（舆情与诉求）、rectifications（整改问题）、news（信息报送），或工作记录类别代码（如 study、branch_meeting）
    #[arg(long, value_parser = parse_kind)]
    kind: ImportKind,
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: std::path::PathBuf,
    /// 按该单位（名称或编号）填入下拉列表和示例行中的人员、科室和单位；不填则用示例名称
    #[arg(long)]
    unit: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

fn parse_kind(text: &str) -> Result<ImportKind, String> {
    ImportKind::parse(text).ok_or_else(|| {
        let codes: Vec<&str> = ImportKind::all().into_iter().map(ImportKind::code).collect();
        format!("没有“{text}”这类模板，可选：{}", codes.join("、"))
    })
}

pub async fn template(args: TemplateArgs) -> Result<ExitCode> {
    let names = match &args.unit {
        None => Names::placeholders(taizhang_core::period::today_in_shanghai()),
        Some(unit) => {
            let app = App::new(args.db.open().await?);
            let view = View::load(&app).await?;
            let id = unit_id(&view, unit)?;
            templates::names_of(&app, &view, id)?
        }
    };
    let file = templates::file(args.kind, &names)?;
    std::fs::write(&args.out, &file.bytes).with_context(|| format!("无法写入 {}", args.out.display()))?;
    println!("已生成{}：{}", file.name, args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn unit_id(view: &View, text: &str) -> Result<i64> {
    let text = text.trim();
    let found: Vec<i64> =
        view.org.units.iter().filter(|u| u.name == text || u.id.to_string() == text).map(|u| u.id).collect();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => anyhow::bail!("没有名为“{text}”的单位"),
        _ => anyhow::bail!("有多个名为“{text}”的单位，请改填单位编号"),
    }
}
