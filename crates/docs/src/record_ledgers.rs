//! The ledgers (台账) of one Party group and period: one sheet per record
//! kind, with the columns of the shared field schema
//! (`taizhang_core::fields`), so a ledger column, a form field and a CSV
//! column cannot disagree; and the evaluation sheet 责任落实情况.
//!
//! Each sheet starts with 序号 and the date the work happened, and ends
//! with the date it was entered (录入日期) and its revision, so an inspector
//! sees whether the ledger was kept as the work happened.

use chrono::NaiveDate;
use std::collections::HashMap;
use taizhang_core::engine::Evaluation;
use taizhang_core::fields::{field_texts, FieldSpec, FieldType};
use taizhang_core::period::{shanghai_date, Period};
use taizhang_core::record::{Record, RecordData, RecordKind};

use crate::ledger::{write_workbook, Cell, Column, ColumnKind, Ledger};
use crate::source::{Source, VoidedRecord};
use crate::DocsError;

/// Names the ledgers need besides the records.
#[derive(Debug, Clone, Default)]
pub struct LedgerNames {
    /// The Party group, for titles: 县民政局党组.
    pub unit: String,
    /// Unit id → name, for the unit and its branches.
    pub units: HashMap<i64, String>,
    /// Channel id → name.
    pub channels: HashMap<i64, String>,
    /// Record id → its evidence files, as the 佐证材料 column lists them.
    pub evidence: HashMap<i64, Vec<String>>,
}

impl LedgerNames {
    pub fn of(source: &Source) -> Self {
        LedgerNames {
            unit: source.unit.name.clone(),
            units: std::iter::once(&source.unit).chain(&source.branches).map(|u| (u.id, u.name.clone())).collect(),
            channels: source.channels.iter().map(|c| (c.id, c.name.clone())).collect(),
            evidence: source.evidence.iter().fold(HashMap::new(), |mut map, f| {
                if let crate::source::EvidenceOwner::Record(id) = f.owner {
                    map.entry(id).or_insert_with(Vec::new).push(format!("{}：{}", f.kind.label(), f.name));
                }
                map
            }),
        }
    }

    /// 党组 or 党委, from the unit's name.
    fn body(&self) -> &'static str {
        if self.unit.trim_end().ends_with("党委") {
            "党委"
        } else {
            "党组"
        }
    }
}

/// The ledger's name for a record kind, e.g. 中心组学习台账.
pub fn ledger_name(kind: RecordKind, body: &str) -> String {
    match kind {
        RecordKind::Study => "中心组学习台账".into(),
        RecordKind::PartyGroupMeeting => format!("{body}会议台账"),
        RecordKind::BranchMeeting => "三会一课台账".into(),
        RecordKind::LifeMeeting => "民主生活会台账".into(),
        RecordKind::Analysis => "分析研判台账".into(),
        RecordKind::RiskReview => "风险隐患台账复核记录".into(),
        RecordKind::Report => "报告报送台账".into(),
        RecordKind::ChannelUpdate => "宣传阵地更新台账".into(),
        RecordKind::ChannelCheck => "宣传阵地检查台账".into(),
        RecordKind::EventFiling => "活动审核报备台账".into(),
    }
}

/// Parses `--kind`/`?kind=`: the record kind codes (`study`,
/// `party_group_meeting`, also with hyphens, and the short forms `meeting`,
/// `branch`, `risk`, `channel`) or the ledger's Chinese name.
pub fn parse_kind(code: &str) -> Option<RecordKind> {
    let c = code.trim().to_ascii_lowercase().replace('-', "_");
    let short = match c.as_str() {
        "meeting" | "party_group" => Some(RecordKind::PartyGroupMeeting),
        "branch" | "sanhui" => Some(RecordKind::BranchMeeting),
        "life" => Some(RecordKind::LifeMeeting),
        "risk" | "risk_ledger" => Some(RecordKind::RiskReview),
        "reports" => Some(RecordKind::Report),
        "channel" | "channels" => Some(RecordKind::ChannelUpdate),
        "check" | "channel_checks" => Some(RecordKind::ChannelCheck),
        "event" | "events" => Some(RecordKind::EventFiling),
        _ => None,
    };
    short.or_else(|| RecordKind::parse(&c)).or_else(|| {
        RecordKind::ALL
            .into_iter()
            .find(|k| code.trim() == k.label() || ["党组", "党委"].iter().any(|b| code.trim() == ledger_name(*k, b)))
    })
}

/// Header of the date column: when the work happened.
fn date_header(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Study => "学习日期",
        RecordKind::Analysis => "研判日期",
        RecordKind::RiskReview => "复核日期",
        RecordKind::Report => "成文日期",
        RecordKind::ChannelUpdate => "更新日期",
        RecordKind::ChannelCheck => "检查日期",
        RecordKind::EventFiling => "活动日期",
        _ => "会议日期",
    }
}

fn column_for(spec: &FieldSpec) -> Column {
    let (kind, width) = match spec.ty {
        FieldType::Text | FieldType::MeetingType | FieldType::ReportType => (ColumnKind::Text, None),
        FieldType::Channel => (ColumnKind::Text, Some(28.0)),
        FieldType::Names => (ColumnKind::LongText, Some(24.0)),
        FieldType::Absences => (ColumnKind::LongText, Some(20.0)),
        FieldType::Agenda => (ColumnKind::LongText, Some(40.0)),
        FieldType::LongText => (ColumnKind::LongText, Some(44.0)),
        FieldType::Date => (ColumnKind::Date, None),
        FieldType::Count => (ColumnKind::Int, None),
        FieldType::Bool => (ColumnKind::Bool, None),
    };
    Column { width, ..Column::new(spec.label, kind) }
}

fn cell_for(spec: &FieldSpec, text: &str, names: &LedgerNames) -> Cell {
    let text = text.trim();
    if text.is_empty() {
        return Cell::Empty;
    }
    match spec.ty {
        FieldType::Date => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Cell::Date).unwrap_or_else(|_| Cell::Text(text.into()))
        }
        FieldType::Count => text.parse().map(Cell::Int).unwrap_or_else(|_| Cell::Text(text.into())),
        FieldType::Bool => Cell::Bool(text == "是"),
        FieldType::Channel => {
            let name = text.parse::<i64>().ok().and_then(|id| names.channels.get(&id));
            Cell::Text(name.cloned().unwrap_or_else(|| text.into()))
        }
        _ => Cell::Text(text.into()),
    }
}

/// Columns computed from a record (facts restated, nothing judged).
fn derived_columns(kind: RecordKind) -> Vec<Column> {
    match kind {
        RecordKind::PartyGroupMeeting => {
            vec![Column::new("第一议题为首项议题", ColumnKind::Bool), Column::new("专题研究意识形态", ColumnKind::Bool)]
        }
        RecordKind::Report => vec![Column::new("逾期天数", ColumnKind::Int)],
        RecordKind::EventFiling => vec![Column::new("活动前已审核报备", ColumnKind::Bool)],
        _ => Vec::new(),
    }
}

fn derived_cells(record: &Record) -> Vec<Cell> {
    match &record.data {
        RecordData::PartyGroupMeeting(m) => vec![
            Cell::Bool(m.agenda.first().is_some_and(|a| a.first_topic)),
            Cell::Bool(m.agenda.iter().any(|a| a.ideology)),
        ],
        RecordData::Report(r) => vec![match (r.due_on, r.submitted_on) {
            (Some(due), Some(sent)) => Cell::Int((sent - due).num_days().max(0)),
            (_, None) => Cell::Text("未报送".into()),
            (None, Some(_)) => Cell::Empty,
        }],
        RecordData::EventFiling(e) => vec![Cell::Bool(e.filed_in_time(record.occurred_on))],
        _ => Vec::new(),
    }
}

/// One ledger of `kind` from the records (those of other kinds or outside
/// the period are ignored).
pub fn record_ledger(records: &[Record], names: &LedgerNames, period: Period, kind: RecordKind) -> Ledger {
    let specs = taizhang_core::fields::fields(kind);
    let branch = kind == RecordKind::BranchMeeting;
    let mut columns = vec![
        Column { width: Some(6.0), ..Column::new("序号", ColumnKind::Int) },
        Column::new(date_header(kind), ColumnKind::Date),
    ];
    if branch {
        columns.push(Column { width: Some(26.0), ..Column::new("党支部", ColumnKind::Text) });
    }
    columns.extend(specs.iter().map(column_for));
    columns.extend(derived_columns(kind));
    columns.push(Column { width: Some(30.0), ..Column::new("佐证材料", ColumnKind::Text) });
    columns.push(Column::new("录入日期", ColumnKind::Date));
    columns.push(Column::new("修订次数", ColumnKind::Int));

    let mut selected: Vec<&Record> =
        records.iter().filter(|r| r.kind() == kind && period.contains(r.occurred_on)).collect();
    selected.sort_by_key(|r| (r.occurred_on, r.id));
    let rows = selected
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![Cell::Int(i as i64 + 1), Cell::Date(r.occurred_on)];
            if branch {
                let name = names.units.get(&r.unit_id).cloned().unwrap_or_default();
                row.push(Cell::Text(name));
            }
            row.extend(field_texts(&r.data).iter().map(|(spec, text)| cell_for(spec, text, names)));
            row.extend(derived_cells(r));
            row.push(Cell::Text(names.evidence.get(&r.id).map(|files| files.join("\n")).unwrap_or_default()));
            row.push(Cell::Date(shanghai_date(r.entered_at)));
            // Revisions start at 1; 修订次数 counts the edits after entry.
            row.push(Cell::Int((r.revision - 1).max(0)));
            row
        })
        .collect();
    let name = ledger_name(kind, names.body());
    Ledger { title: format!("{}{}{}", names.unit, period.label(), name), sheet_name: name, columns, rows }
}

/// The ledgers of every record kind (or of one), in the order of
/// [`RecordKind::ALL`]. A kind with no records still gets its sheet: an
/// empty ledger is itself a fact an inspector wants to see.
pub fn record_ledgers(
    records: &[Record],
    names: &LedgerNames,
    period: Period,
    kind: Option<RecordKind>,
) -> Vec<Ledger> {
    RecordKind::ALL
        .into_iter()
        .filter(|k| kind.is_none_or(|only| only == *k))
        .map(|k| record_ledger(records, names, period, k))
        .collect()
}

/// The sheet 责任落实情况: every duty of the evaluation with its status,
/// reason and who must act.
pub fn evaluation_ledger(unit: &str, e: &Evaluation) -> Ledger {
    let columns = vec![
        Column { width: Some(6.0), ..Column::new("序号", ColumnKind::Int) },
        Column::new("类别", ColumnKind::Text),
        Column { width: Some(30.0), ..Column::new("事项", ColumnKind::Text) },
        Column { width: Some(28.0), ..Column::new("对象", ColumnKind::Text) },
        Column { width: Some(24.0), ..Column::new("要求", ColumnKind::LongText) },
        Column::new("状态", ColumnKind::Text),
        Column::new("情况说明", ColumnKind::LongText),
        Column { width: Some(24.0), ..Column::new("须办理人（责任人）", ColumnKind::LongText) },
        Column::new("期限", ColumnKind::Date),
        Column::new("计入记录数", ColumnKind::Int),
        Column::new("分值", ColumnKind::Int),
    ];
    let rows = e
        .duties
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let who: Vec<String> = d.actors.iter().map(|a| format!("{}：{}", a.role, a.name)).collect();
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(d.category.clone()),
                Cell::Text(d.title.clone()),
                Cell::Text(d.subject.name.clone()),
                Cell::Text(d.rule.clone()),
                Cell::Text(d.status.label().into()),
                Cell::Text(d.reason.clone()),
                if who.is_empty() { Cell::Empty } else { Cell::Text(who.join("；")) },
                d.due.map_or(Cell::Empty, Cell::Date),
                Cell::Int(d.records.len() as i64),
                Cell::Int(i64::from(d.points)),
            ]
        })
        .collect();
    Ledger {
        title: format!(
            "{unit}{}责任落实情况（截至{}）",
            e.period.label(),
            taizhang_core::period::chinese_date(e.today)
        ),
        sheet_name: "责任落实情况".into(),
        columns,
        rows,
    }
}

/// The sheet 已作废记录: records taken out of every count, with why.
pub fn voided_ledger(unit: &str, period: Period, voided: &[VoidedRecord]) -> Ledger {
    let columns = vec![
        Column { width: Some(6.0), ..Column::new("序号", ColumnKind::Int) },
        Column::new("日期", ColumnKind::Date),
        Column::new("类别", ColumnKind::Text),
        Column { width: Some(30.0), ..Column::new("内容", ColumnKind::Text) },
        Column::new("作废人", ColumnKind::Text),
        Column::new("作废日期", ColumnKind::Date),
        Column { width: Some(30.0), ..Column::new("作废原因", ColumnKind::LongText) },
    ];
    let rows = voided
        .iter()
        .enumerate()
        .map(|(i, v)| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Date(v.record.occurred_on),
                Cell::Text(v.record.kind().label().into()),
                Cell::Text(v.record.data.title()),
                Cell::Text(v.by.clone()),
                Cell::Date(v.on),
                Cell::Text(v.reason.clone()),
            ]
        })
        .collect();
    Ledger {
        title: format!("{unit}{}已作废记录（不计入统计和台账）", period.label()),
        sheet_name: "已作废记录".into(),
        columns,
        rows,
    }
}

/// The ledgers of a source, plus the evaluation sheet when no kind is
/// chosen, and the voided records (of that kind) when there are any.
pub fn source_ledgers(source: &Source, kind: Option<RecordKind>) -> Vec<Ledger> {
    let names = LedgerNames::of(source);
    let mut ledgers = record_ledgers(&source.records, &names, source.period, kind);
    if kind.is_none() {
        ledgers.push(evaluation_ledger(&source.unit.name, &source.evaluation));
    }
    let voided: Vec<VoidedRecord> =
        source.voided.iter().filter(|v| kind.is_none_or(|k| v.record.kind() == k)).cloned().collect();
    if !voided.is_empty() {
        ledgers.push(voided_ledger(&source.unit.name, source.period, &voided));
    }
    ledgers
}

/// [`source_ledgers`] as one .xlsx workbook.
pub fn ledger_workbook(source: &Source, kind: Option<RecordKind>) -> Result<Vec<u8>, DocsError> {
    write_workbook(&source_ledgers(source, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_by_code_short_form_or_name() {
        assert_eq!(parse_kind("study"), Some(RecordKind::Study));
        assert_eq!(parse_kind("party-group-meeting"), Some(RecordKind::PartyGroupMeeting));
        assert_eq!(parse_kind("risk"), Some(RecordKind::RiskReview));
        assert_eq!(parse_kind("三会一课台账"), Some(RecordKind::BranchMeeting));
        assert_eq!(parse_kind("党委会议台账"), Some(RecordKind::PartyGroupMeeting));
        assert_eq!(parse_kind("nonsense"), None);
        for k in RecordKind::ALL {
            assert_eq!(parse_kind(k.code()), Some(k));
        }
    }
}
