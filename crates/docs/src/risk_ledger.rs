//! 风险隐患台账 as .xlsx: one row per risk point, most serious first as
//! the caller orders them, with the owner, the measures, the last and next
//! review and whether that review is overdue on the day of export.

use chrono::NaiveDate;
use taizhang_core::period::chinese_date;
use taizhang_core::risk::{ReviewState, RiskInput};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};
use crate::register_columns;

/// A risk as the ledger shows it: names already resolved by the caller.
pub struct LedgerRisk<'a> {
    pub entry: &'a RiskInput,
    pub owner: &'a str,
    pub last_reviewed: Option<NaiveDate>,
    pub state: ReviewState,
}

/// The ledger of `unit_name` as it stands on `today`.
pub fn risk_ledger(unit_name: &str, today: NaiveDate, risks: &[LedgerRisk]) -> Ledger {
    let mut columns = vec![Column::new("序号", ColumnKind::Int)];
    columns.extend(register_columns::columns::<RiskInput>());
    columns.extend([
        Column::new("最近复核日期", ColumnKind::Date),
        Column::new("下次复核日期", ColumnKind::Date),
        Column::new("复核情况", ColumnKind::Text),
    ]);
    let rows = risks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![Cell::Int(i as i64 + 1)];
            row.extend(register_columns::cells(r.entry, &|_| r.owner.to_string()));
            row.extend([
                r.last_reviewed.map(Cell::Date).unwrap_or(Cell::Text("未复核".into())),
                r.state.due().map(Cell::Date).unwrap_or(Cell::Empty),
                Cell::Text(r.state.label()),
            ]);
            row
        })
        .collect();
    Ledger {
        title: format!("{unit_name}风险隐患台账（截至{}）", chinese_date(today)),
        sheet_name: "风险隐患台账".into(),
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_core::risk::{RiskLevel, RiskStatus};

    #[test]
    fn an_overdue_risk_shows_its_due_date_and_how_late_it_is() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        #[allow(clippy::needless_update)] // a field added to the ledger needs no edit here
        let entry = RiskInput {
            domain: "养老服务".into(),
            title: "养老机构安全事故引发的网络舆情风险".into(),
            level: RiskLevel::High,
            description: String::new(),
            measures: "每月安全检查".into(),
            owner_id: Some(1),
            status: RiskStatus::Controlled,
            identified_on: d(1, 5),
            ..Default::default()
        };
        let state = ReviewState::of(entry.status, d(9, 25), d(11, 23));
        let risks = [LedgerRisk { entry: &entry, owner: "孙卫东", last_reviewed: Some(d(7, 10)), state }];
        let ledger = risk_ledger("县民政局党组", d(11, 23), &risks);
        assert_eq!(ledger.title, "县民政局党组风险隐患台账（截至2026年11月23日）");
        let row = &ledger.rows[0];
        assert_eq!(row.len(), ledger.columns.len());
        let headers: Vec<&str> = ledger.columns.iter().map(|c| c.header.as_str()).collect();
        let known =
            ["序号", "风险领域", "风险点", "风险等级", "风险描述", "防范化解措施", "责任人", "登记日期", "状态"];
        assert!(headers.starts_with(&known), "{headers:?}");
        assert!(headers.ends_with(&["最近复核日期", "下次复核日期", "复核情况"]), "{headers:?}");
        let cell = |header: &str| &row[headers.iter().position(|h| *h == header).unwrap()];
        assert_eq!((&row[3], cell("下次复核日期")), (&Cell::Text("高".into()), &Cell::Date(d(9, 25))));
        assert_eq!(cell("复核情况"), &Cell::Text("逾期59天未复核".into()));
        let bytes = crate::ledger::write_xlsx(&ledger).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
