//! The inspection bundle of one Party group and period (检查材料包): the
//! 自查报告, the ledgers (one workbook per record kind), the evaluation
//! sheet and a short 说明, in one zip whose `manifest.json` carries the
//! SHA-256 of every file and the audit-chain head at export time
//! ([`crate::bundle`]). Also the file names people download.
//!
//! The evidence files of the period's records and rectification problems
//! go under `佐证材料/` (see [`EVIDENCE_DIR`]).

use crate::rectification_ledger::rectification_ledger;
use chrono::{DateTime, Utc};
use taizhang_core::period::chinese_date;
use taizhang_core::record::RecordKind;

use crate::bundle::{build_bundle, BundleMeta};
use crate::compose::{report_docx, ReportKind};
use crate::ledger::write_xlsx;
use crate::record_ledgers::{evaluation_ledger, ledger_name, record_ledger, LedgerNames};
use crate::source::{EvidenceOwner, Source};
use crate::DocsError;

/// Folder of the ledgers inside the bundle.
pub const LEDGER_DIR: &str = "台账";

/// "县民政局党组2026年上半年自查报告.docx".
pub fn report_file_name(source: &Source, kind: ReportKind) -> String {
    format!("{}.docx", stem(source, kind.label()))
}

/// "县民政局党组2026年上半年台账.xlsx", or with the kind's ledger name.
pub fn ledger_file_name(source: &Source, kind: Option<RecordKind>) -> String {
    let what = match kind {
        Some(k) => ledger_name(k, source.body()),
        None => "台账".into(),
    };
    format!("{}.xlsx", stem(source, &what))
}

/// "县民政局党组2026年上半年检查材料.zip".
pub fn bundle_file_name(source: &Source) -> String {
    format!("{}.zip", stem(source, "检查材料"))
}

fn stem(source: &Source, what: &str) -> String {
    // Names come from the database: keep them valid on every system.
    safe_name(&format!("{}{}{what}", source.unit.name, source.period.label()))
}

/// A name from the database as a file or folder name valid on every system.
fn safe_name(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// The files of the bundle, in order: path inside the zip and content.
pub fn bundle_files(source: &Source) -> Result<Vec<(String, Vec<u8>)>, DocsError> {
    let names = LedgerNames::of(source);
    let mut files =
        vec![(report_file_name(source, ReportKind::SelfInspection), report_docx(source, ReportKind::SelfInspection)?)];
    for (i, kind) in RecordKind::ALL.into_iter().enumerate() {
        let ledger = record_ledger(&source.records, &names, source.period, kind);
        let path = format!("{LEDGER_DIR}/{:02}{}.xlsx", i + 1, ledger.sheet_name);
        files.push((path, write_xlsx(&ledger)?));
    }
    let problems =
        rectification_ledger(&source.unit.name, &source.rectifications, source.today, |id| source.owner_name(id));
    let path = format!("{LEDGER_DIR}/{:02}{}.xlsx", RecordKind::ALL.len() + 1, problems.sheet_name);
    files.push((path, write_xlsx(&problems)?));
    let evaluation = evaluation_ledger(&source.unit.name, &source.evaluation);
    files.push((format!("{}.xlsx", evaluation.sheet_name), write_xlsx(&evaluation)?));
    files.extend(evidence_files(source));
    files.push(("说明.txt".into(), readme(source, &files).into_bytes()));
    Ok(files)
}

/// The folder of the evidence files in the bundle.
pub const EVIDENCE_DIR: &str = "佐证材料";

/// A part of an evidence path: a safe name, not too long, no leading or
/// trailing dots.
fn path_part(raw: &str) -> String {
    let name: String = safe_name(raw).chars().take(60).collect();
    name.trim().trim_matches('.').to_string()
}

/// The folder of an evidence file: `<类别>/<日期>_<标题>`, the record's
/// kind, date and title, or 问题整改 with the problem's finding date and
/// text; `None` when its owner is not in the source.
fn evidence_folder(source: &Source, owner: EvidenceOwner) -> Option<String> {
    let (category, date, title) = match owner {
        EvidenceOwner::Record(id) => {
            let record = source.records.iter().find(|r| r.id == id)?;
            (record.kind().label().to_string(), record.occurred_on, record.data.title())
        }
        EvidenceOwner::Rectification(id) => {
            let problem = source.rectifications.iter().find(|p| p.id == id)?;
            (RECTIFICATION_CATEGORY.to_string(), problem.found_on, problem.problem.clone())
        }
    };
    Some(format!("{EVIDENCE_DIR}/{category}/{}_{}", date.format("%Y-%m-%d"), path_part(&title)))
}

/// The category folder of rectification problems' evidence.
pub const RECTIFICATION_CATEGORY: &str = "问题整改";

/// The evidence files whose bytes were loaded, each under
/// `佐证材料/<类别>/<日期>_<标题>/<文件>` (类别: the record's kind, or
/// 问题整改); a name used twice in one folder gets a number.
fn evidence_files(source: &Source) -> Vec<(String, Vec<u8>)> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::new();
    for file in &source.evidence {
        let (Some(content), Some(folder)) = (&file.content, evidence_folder(source, file.owner)) else {
            continue;
        };
        let mut path = format!("{folder}/{}", path_part(&file.name));
        let mut n = 2;
        while !taken.insert(path.clone()) {
            let (stem, ext) = file.name.rsplit_once('.').unwrap_or((&file.name, ""));
            path = format!("{folder}/{}（{n}）.{ext}", path_part(stem));
            n += 1;
        }
        out.push((path, content.clone()));
    }
    out
}

/// The bundle as zip bytes. `generated_at` is the export instant (the
/// caller's clock; the library reads none).
pub fn inspection_bundle(source: &Source, generated_at: DateTime<Utc>) -> Result<Vec<u8>, DocsError> {
    let files = bundle_files(source)?;
    let meta = BundleMeta {
        unit_name: source.unit.name.clone(),
        period_label: source.period.label(),
        generated_at,
        audit_chain_head: source.audit.head.clone(),
        audit_entries: source.audit.entries,
    };
    build_bundle(&files, &meta)
}

fn readme(source: &Source, files: &[(String, Vec<u8>)]) -> String {
    let mut text = format!(
        "{}{}意识形态工作责任制检查材料\r\n\r\n\
         本材料包由台账系统于{}导出（数据截至当日）。manifest.json 列出每个文件的 SHA-256 校验值，\
         以及导出时审计链的链头（{}，共{}条审计记录）。\r\n\
         校验方法：taizhang verify-bundle 本文件.zip\r\n\r\n文件清单：\r\n",
        source.unit.name,
        source.period.label(),
        chinese_date(source.today),
        source.audit.head,
        source.audit.entries,
    );
    for (path, _) in files {
        text.push_str(&format!("  {path}\r\n"));
    }
    let carried = source.evidence.iter().filter(|f| f.content.is_some()).count();
    text.push_str(&format!(
        "\r\n工作记录共{}条，佐证材料共{}份（在“{EVIDENCE_DIR}”文件夹中，按类别、日期和标题存放，SHA-256 见 manifest.json；\
         各台账的“佐证材料”列列出每条记录的文件）。\r\n",
        source.records.len(),
        carried
    ));
    text
}
