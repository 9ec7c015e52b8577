//! `taizhang import FILE.csv`: records from a spreadsheet, all or nothing.

use crate::db_args::DbArgs;
use anyhow::{Context, Result};
use clap::Args;
use std::process::ExitCode;
use taizhang_core::import::{parse_csv, ImportError};
use taizhang_core::org::{Unit, UnitKind, UnitTree};
use taizhang_store::{Actor, NewRecord};

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

/// A unit column names a Party group or branch by id or by name.
fn resolve<'a>(tree: &'a UnitTree, text: &str) -> Result<&'a Unit, String> {
    let by_id = text.parse::<i64>().ok().and_then(|id| tree.get(id));
    let matches: Vec<&Unit> = match by_id {
        Some(u) => vec![u],
        None => tree.all().filter(|u| u.name == text).collect(),
    };
    match matches.as_slice() {
        [u] if matches!(u.kind, UnitKind::PartyGroup | UnitKind::Branch) => Ok(u),
        [u] => Err(format!("“{}”不是党组（党委）或党支部，不能录入记录", u.name)),
        [] => Err(format!("没有名为“{text}”的单位")),
        _ => Err(format!("有多个名为“{text}”的单位，请改填单位编号")),
    }
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
    let org = store.org().await?;
    let tree = org.tree();
    let actor = match &args.user {
        None => Actor::system("CSV导入"),
        Some(username) => {
            let login = store.login(username).await?.with_context(|| format!("没有账号 {username}"))?;
            Actor { person_id: Some(login.person.id), name: login.person.name }
        }
    };
    let roles = match actor.person_id {
        Some(id) => org.roles_of(id).into_iter().cloned().collect(),
        None => Vec::new(),
    };
    let mut errors = Vec::new();
    let mut records = Vec::new();
    for row in rows {
        match resolve(&tree, &row.unit) {
            Ok(unit)
                if actor.person_id.is_some()
                    && !taizhang_web::access::Access::new(&roles, &tree).can_write(unit.id) =>
            {
                errors.push(ImportError {
                    line: row.line,
                    message: format!("账号 {} 无权录入“{}”的记录", args.user.as_deref().unwrap_or(""), unit.name),
                });
            }
            Ok(unit) => records.push(NewRecord { unit_id: unit.id, occurred_on: row.occurred_on, data: row.data }),
            Err(message) => errors.push(ImportError { line: row.line, message }),
        }
    }
    if !errors.is_empty() {
        return Ok(report(&errors));
    }
    let mut w = store.begin_write().await?;
    for r in &records {
        w.create_record(&actor, r).await?;
    }
    w.commit().await?;
    println!("已导入{}条记录。", records.len());
    Ok(ExitCode::SUCCESS)
}

fn report(errors: &[ImportError]) -> ExitCode {
    eprintln!("导入失败，未写入任何数据。请修改以下{}处后重新导入：", errors.len());
    for e in errors {
        eprintln!("  {e}");
    }
    ExitCode::from(2)
}
