//! 整改台账: one row per problem with its source, measures, owner, deadline,
//! the date it was rectified and closed, and where it stands on a date.

use chrono::NaiveDate;
use taizhang_core::rectification::{assess, Rectification, RectificationInput};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};
use crate::register_columns;

/// The ledger of `problems` as they stand on `as_of`; `owner_name`
/// resolves the responsible person.
pub fn rectification_ledger(
    unit_name: &str,
    problems: &[Rectification],
    as_of: NaiveDate,
    owner_name: impl Fn(Option<i64>) -> String,
) -> Ledger {
    let wide = |h: &str, w: f64| Column { width: Some(w), ..Column::new(h, ColumnKind::LongText) };
    let mut columns = vec![Column::new("序号", ColumnKind::Int)];
    // The entered fields, from the schema; long texts as wide as they were.
    columns.extend(register_columns::columns::<RectificationInput>().into_iter().map(|c| match c.kind {
        ColumnKind::LongText => Column { width: Some(40.0), ..c },
        _ => c,
    }));
    columns.extend([
        Column::new("整改完成日期", ColumnKind::Date),
        wide("佐证材料", 30.0),
        Column::new("销号日期", ColumnKind::Date),
        wide("当前状态", 36.0),
    ]);
    let date = |d: Option<NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    let rows = problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (_, text, _) = assess(p, as_of, 7);
            let mut row = vec![Cell::Int(i as i64 + 1)];
            row.extend(register_columns::cells(&p.input(), &|_| owner_name(p.owner)));
            row.extend([
                date(p.rectified_on),
                Cell::Text(p.evidence.clone()),
                date(p.closed_on),
                Cell::Text(format!("{}：{}", p.state_label(), text)),
            ]);
            row
        })
        .collect();
    Ledger { title: format!("{unit_name}问题整改台账"), sheet_name: "问题整改台账".into(), columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_core::rectification::FindingSource;

    #[test]
    fn the_entered_columns_come_from_the_schema() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let input = RectificationInput {
            source: FindingSource::Patrol,
            found_on: d(9, 10),
            problem: "学习记录不完整".into(),
            deadline: d(10, 31),
            ..Default::default()
        };
        let ledger =
            rectification_ledger("县民政局党组", &[Rectification::new(1, input)], d(10, 1), |_| "未指定".into());
        let headers: Vec<&str> = ledger.columns.iter().map(|c| c.header.as_str()).collect();
        let known =
            ["序号", "问题来源", "发现日期", "问题", "整改措施", "责任人", "整改期限", "整改完成日期", "佐证材料"];
        assert!(headers.starts_with(&known), "{headers:?}");
        assert_eq!(ledger.columns[3].width, Some(40.0));
        let row = &ledger.rows[0];
        assert_eq!(row.len(), headers.len());
        assert_eq!(
            (&row[1], &row[2], &row[5]),
            (&Cell::Text("巡察反馈".into()), &Cell::Date(d(9, 10)), &Cell::Text("未指定".into()))
        );
    }
}
