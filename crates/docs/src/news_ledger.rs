//! 信息报送台账: a workbook for one period with three sheets: every
//! submission sent or adopted in it; the statistics by department and
//! level, ending with the sentence offices report; and each quota's
//! progress (定额完成情况).

use taizhang_core::news::stats::Statistics;
use taizhang_core::news::{Level, Progress, Quota, Submission};

use crate::ledger::{Cell, Column, ColumnKind, Ledger};

/// What the workbook is made of; the closures name departments and people.
pub struct NewsBook<'a> {
    pub unit_name: &'a str,
    pub stats: &'a Statistics,
    /// The submissions sent or adopted in the period, by date sent.
    pub submissions: &'a [Submission],
    /// Each quota's progress per period, with the subject's name.
    pub progress: &'a [(String, Quota, Progress)],
    pub department_name: &'a dyn Fn(i64) -> String,
    pub person_name: &'a dyn Fn(i64) -> String,
}

pub fn news_ledgers(book: &NewsBook) -> Vec<Ledger> {
    vec![submissions_sheet(book), statistics_sheet(book), quota_sheet(book)]
}

fn wide(header: &str, width: f64, kind: ColumnKind) -> Column {
    Column { width: Some(width), ..Column::new(header, kind) }
}

fn submissions_sheet(book: &NewsBook) -> Ledger {
    let columns = vec![
        Column::new("序号", ColumnKind::Int),
        Column::new("报送日期", ColumnKind::Date),
        Column::new("科室", ColumnKind::Text),
        wide("信息标题", 44.0, ColumnKind::LongText),
        Column::new("作者", ColumnKind::Text),
        wide("报送刊物（媒体/平台）", 26.0, ColumnKind::LongText),
        Column::new("级别", ColumnKind::Text),
        Column::new("是否录用", ColumnKind::Bool),
        Column::new("录用日期", ColumnKind::Date),
        wide("期号或链接", 24.0, ColumnKind::LongText),
    ];
    let rows = book
        .submissions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let authors: Vec<String> = s.authors.iter().map(|id| (book.person_name)(*id)).collect();
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Date(s.submitted_on),
                Cell::Text((book.department_name)(s.department_id)),
                Cell::Text(s.title.clone()),
                Cell::Text(authors.join("、")),
                Cell::Text(s.outlet.clone()),
                Cell::Text(s.level.label().into()),
                Cell::Bool(s.adopted_on.is_some()),
                s.adopted_on.map(Cell::Date).unwrap_or(Cell::Empty),
                Cell::Text(s.issue.clone()),
            ]
        })
        .collect();
    Ledger {
        title: format!("{}{}信息报送台账", book.unit_name, book.stats.span),
        sheet_name: "信息报送台账".into(),
        columns,
        rows,
    }
}

fn statistics_sheet(book: &NewsBook) -> Ledger {
    let mut columns = vec![
        wide("科室", 30.0, ColumnKind::LongText),
        Column::new("报送（篇）", ColumnKind::Int),
        Column::new("录用（篇）", ColumnKind::Int),
    ];
    columns.extend(Level::ALL.iter().map(|l| Column::new(format!("{}录用", l.label()), ColumnKind::Int)));
    let line = |name: String, t: &taizhang_core::news::stats::Tally| {
        let mut row = vec![Cell::Text(name), Cell::Int(t.submitted.into()), Cell::Int(t.adopted.into())];
        row.extend(Level::ALL.iter().map(|l| Cell::Int(t.level(*l).into())));
        row
    };
    let mut rows: Vec<Vec<Cell>> = book.stats.departments.iter().map(|d| line(d.name.clone(), &d.tally)).collect();
    rows.push(line("合计".into(), &book.stats.total));
    let mut sentence = vec![Cell::Text(book.stats.sentence())];
    sentence.resize(columns.len(), Cell::Empty);
    rows.push(sentence);
    Ledger {
        title: format!("{}{}信息报送统计", book.unit_name, book.stats.span),
        sheet_name: "统计".into(),
        columns,
        rows,
    }
}

fn quota_sheet(book: &NewsBook) -> Ledger {
    let columns = vec![
        Column::new("科室", ColumnKind::Text),
        Column::new("期间", ColumnKind::Text),
        Column::new("定额", ColumnKind::Text),
        Column::new("完成（篇）", ColumnKind::Int),
        Column::new("差额（篇）", ColumnKind::Int),
        Column::new("状态", ColumnKind::Text),
        wide("说明", 50.0, ColumnKind::LongText),
    ];
    let rows = book
        .progress
        .iter()
        .map(|(subject, quota, p)| {
            vec![
                Cell::Text(subject.clone()),
                Cell::Text(p.period.label()),
                Cell::Text(quota.describe()),
                Cell::Int(p.done.into()),
                Cell::Int(p.shortfall().into()),
                Cell::Text(p.status.label().into()),
                Cell::Text(p.text.clone()),
            ]
        })
        .collect();
    Ledger {
        title: format!("{}{}信息报送定额完成情况", book.unit_name, book.stats.span),
        sheet_name: "定额完成情况".into(),
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::write_workbook;
    use chrono::NaiveDate;
    use taizhang_core::news::stats::statistics;
    use taizhang_core::news::{progress, Measure};
    use taizhang_core::period::{Cadence, Period};

    #[test]
    fn three_sheets_with_the_sentence_and_quotas() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let s = Submission {
            id: 1,
            unit_id: 1,
            department_id: 3,
            title: "县民政局开展冬季救助排查".into(),
            authors: vec![101],
            outlet: "县委办《每日要情》".into(),
            level: Level::County,
            submitted_on: d(11, 2),
            adopted_on: Some(d(11, 4)),
            issue: "第210期".into(),
        };
        let subs = vec![s];
        let period = Period::year(2026);
        let stats = statistics(&subs, &[(3, "办公室".into())], period, d(11, 23), |_| String::new());
        let quota = Quota {
            id: 1,
            unit_id: 1,
            department_id: Some(3),
            cadence: Cadence::Year,
            measure: Measure::Adopted,
            target: 2,
        };
        let p = progress(&quota, "办公室", &subs, period, d(11, 23), 15);
        let progress = vec![("办公室".to_string(), quota, p)];
        let book = NewsBook {
            unit_name: "县民政局党组",
            stats: &stats,
            submissions: &subs,
            progress: &progress,
            department_name: &|_| "办公室".into(),
            person_name: &|_| "刘晓雯".into(),
        };
        let ledgers = news_ledgers(&book);
        let names: Vec<&str> = ledgers.iter().map(|l| l.sheet_name.as_str()).collect();
        assert_eq!(names, ["信息报送台账", "统计", "定额完成情况"]);
        assert_eq!(ledgers[0].title, "县民政局党组2026年1—11月信息报送台账");
        assert_eq!(ledgers[0].rows[0][4], Cell::Text("刘晓雯".into()));
        let last = ledgers[1].rows.last().unwrap();
        assert_eq!(last[0], Cell::Text("2026年1—11月共报送信息1篇，录用1篇，其中县级1篇。".into()));
        assert_eq!(ledgers[2].rows[0][4], Cell::Int(1), "one short of the quota");
        let bytes = write_workbook(&ledgers).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(bytes, write_workbook(&ledgers).unwrap(), "the same data gives the same bytes");
    }
}
