//! 整改台账: one row per problem with its source, measures, owner, deadline,
//! the date it was rectified and closed, and where it stands on a date.

use chrono::NaiveDate;
use taizhang_core::rectification::{assess, Rectification};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};

/// The ledger of `problems` as they stand on `as_of`; `owner_name`
/// resolves the responsible person.
pub fn rectification_ledger(
    unit_name: &str,
    problems: &[Rectification],
    as_of: NaiveDate,
    owner_name: impl Fn(Option<i64>) -> String,
) -> Ledger {
    let wide = |h: &str, w: f64| Column { width: Some(w), ..Column::new(h, ColumnKind::LongText) };
    let columns = vec![
        Column::new("序号", ColumnKind::Int),
        Column::new("问题来源", ColumnKind::Text),
        Column::new("发现日期", ColumnKind::Date),
        wide("问题", 40.0),
        wide("整改措施", 40.0),
        Column::new("责任人", ColumnKind::Text),
        Column::new("整改期限", ColumnKind::Date),
        Column::new("整改完成日期", ColumnKind::Date),
        wide("佐证材料", 30.0),
        Column::new("销号日期", ColumnKind::Date),
        wide("当前状态", 36.0),
    ];
    let date = |d: Option<NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    let rows = problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (_, text, _) = assess(p, as_of, 7);
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(p.source.label().into()),
                Cell::Date(p.found_on),
                Cell::Text(p.problem.clone()),
                Cell::Text(p.measures.clone()),
                Cell::Text(owner_name(p.owner)),
                Cell::Date(p.deadline),
                date(p.rectified_on),
                Cell::Text(p.evidence.clone()),
                date(p.closed_on),
                Cell::Text(format!("{}：{}", p.state_label(), text)),
            ]
        })
        .collect();
    Ledger { title: format!("{unit_name}问题整改台账"), sheet_name: "问题整改台账".into(), columns, rows }
}
