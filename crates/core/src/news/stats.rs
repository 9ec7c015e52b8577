//! Statistics of a period: submissions and adoptions in total, by level
//! and by department, and the sentence offices put in their reports:
//! "2026年1—10月共报送信息52篇，录用47篇，其中国家级8篇、省级12篇、市级15篇、县级12篇。"
//!
//! Submissions count by the date sent, adoptions by the date adopted (as
//! information desks count them), so an item sent in March and adopted in
//! April is an April adoption. Levels are those of the adoptions.

use super::{Level, Submission};
use crate::org::UnitId;
use crate::period::{Cadence, Period};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Counts for one department or the whole unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub submitted: u32,
    pub adopted: u32,
    /// Adoptions per level, in the order of [`Level::ALL`].
    pub by_level: [u32; 4],
}

impl Tally {
    fn add(&mut self, s: &Submission, window: (NaiveDate, NaiveDate)) {
        let inside = |d: NaiveDate| window.0 <= d && d <= window.1;
        if inside(s.submitted_on) {
            self.submitted += 1;
        }
        if s.adopted_on.is_some_and(inside) {
            self.adopted += 1;
            self.by_level[s.level.index()] += 1;
        }
    }

    pub fn level(&self, level: Level) -> u32 {
        self.by_level[level.index()]
    }
}

/// One department's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentTally {
    pub department_id: UnitId,
    pub name: String,
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub period: Period,
    /// The last day counted: the period's end, or `as_of` if earlier.
    pub through: NaiveDate,
    /// The span in words: 2026年, 2026年1—10月, 2026年第3季度.
    pub span: String,
    pub total: Tally,
    pub departments: Vec<DepartmentTally>,
}

/// Counts `submissions` in `period` up to `as_of`, per department of
/// `departments` (id, name; in that order, each listed even with nothing)
/// and in total. Submissions of a department not listed count in the total
/// and get a line of their own named by `fallback`.
pub fn statistics(
    submissions: &[Submission],
    departments: &[(UnitId, String)],
    period: Period,
    as_of: NaiveDate,
    fallback: impl Fn(UnitId) -> String,
) -> Statistics {
    let through = period.last_day().min(as_of);
    let window = (period.first_day(), through);
    let mut total = Tally::default();
    let mut lines: Vec<DepartmentTally> = departments
        .iter()
        .map(|(id, name)| DepartmentTally { department_id: *id, name: name.clone(), tally: Tally::default() })
        .collect();
    for s in submissions {
        total.add(s, window);
        let i = match lines.iter().position(|l| l.department_id == s.department_id) {
            Some(i) => i,
            None => {
                let name = fallback(s.department_id);
                lines.push(DepartmentTally { department_id: s.department_id, name, tally: Tally::default() });
                lines.len() - 1
            }
        };
        lines[i].tally.add(s, window);
    }
    // A department not listed gets a line only if it has something to show.
    let listed = departments.len();
    let mut kept: Vec<DepartmentTally> = lines.drain(..listed).collect();
    kept.extend(lines.into_iter().filter(|l| l.tally != Tally::default()));
    Statistics { period, through, span: span_label(period, as_of), total, departments: kept }
}

/// The period in words, up to `as_of` while it runs: 2026年1—10月 for the
/// year 2026 on a day in October, 2026年10—11月 for its fourth quarter in
/// November; the period's own label once it has ended (or before it starts).
pub fn span_label(period: Period, as_of: NaiveDate) -> String {
    if as_of >= period.last_day() || as_of < period.first_day() || period.cadence == Cadence::Month {
        return period.label();
    }
    let (first, last) = (period.first_day().month(), as_of.month());
    if first == last {
        format!("{}年{first}月", period.year)
    } else {
        format!("{}年{first}—{last}月", period.year)
    }
}

impl Statistics {
    /// The sentence for reports: "2026年1—10月共报送信息52篇，录用47篇，
    /// 其中国家级8篇、省级12篇、市级15篇、县级12篇。" Levels without an
    /// adoption are left out.
    pub fn sentence(&self) -> String {
        let t = &self.total;
        if t.submitted == 0 && t.adopted == 0 {
            return format!("{}未报送信息。", self.span);
        }
        let levels: Vec<String> =
            Level::ALL.iter().filter(|l| t.level(**l) > 0).map(|l| format!("{}{}篇", l.label(), t.level(*l))).collect();
        let of_which = if levels.is_empty() { String::new() } else { format!("，其中{}", levels.join("、")) };
        format!("{}共报送信息{}篇，录用{}篇{of_which}。", self.span, t.submitted, t.adopted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn sub(dept: UnitId, sent: NaiveDate, adopted: Option<(NaiveDate, Level)>) -> Submission {
        Submission {
            id: 0,
            unit_id: 1,
            department_id: dept,
            title: "信息".into(),
            authors: vec![],
            outlet: "刊物".into(),
            level: adopted.map(|(_, l)| l).unwrap_or(Level::County),
            submitted_on: sent,
            adopted_on: adopted.map(|(on, _)| on),
            issue: String::new(),
        }
    }

    fn depts() -> Vec<(UnitId, String)> {
        vec![(3, "办公室".into()), (4, "养老服务股".into())]
    }

    #[test]
    fn the_reported_sentence_counts_by_level() {
        // 52 sent and 47 adopted in January to October: 8 national, 12
        // provincial, 15 municipal, 12 county; one more sent on 1 November.
        let mut subs = Vec::new();
        let levels = [(Level::National, 8), (Level::Provincial, 12), (Level::Municipal, 15), (Level::County, 12)];
        for (level, n) in levels {
            for i in 0..n {
                let on = d(1 + (i % 10), 10);
                subs.push(sub(3, on, Some((on + chrono::Days::new(3), level))));
            }
        }
        for i in 0..5 {
            subs.push(sub(4, d(2 + i, 1), None));
        }
        subs.push(sub(4, d(11, 1), Some((d(11, 2), Level::National))));
        let stats = statistics(&subs, &depts(), Period::year(2026), d(10, 31), |id| format!("科室{id}"));
        assert_eq!(stats.span, "2026年1—10月");
        assert_eq!(
            stats.sentence(),
            "2026年1—10月共报送信息52篇，录用47篇，其中国家级8篇、省级12篇、市级15篇、县级12篇。"
        );
        let office = &stats.departments[0];
        assert_eq!((office.name.as_str(), office.tally.submitted, office.tally.adopted), ("办公室", 47, 47));
        assert_eq!(stats.departments[1].tally, Tally { submitted: 5, adopted: 0, by_level: [0; 4] });
        // The whole year, once it has ended, counts November too.
        let year = statistics(&subs, &depts(), Period::year(2026), d(12, 31) + chrono::Days::new(1), |_| String::new());
        assert_eq!(year.sentence(), "2026年共报送信息53篇，录用48篇，其中国家级9篇、省级12篇、市级15篇、县级12篇。");
    }

    #[test]
    fn adoptions_count_when_adopted_and_unknown_departments_get_a_line() {
        let subs = vec![
            sub(3, d(3, 28), Some((d(4, 2), Level::Municipal))),
            sub(9, d(4, 5), None),
            sub(9, d(1, 5), None),
            sub(8, d(1, 5), None),
        ];
        let q2 = Period::parse("2026Q2").unwrap();
        let stats = statistics(&subs, &depts(), q2, d(11, 23), |id| format!("科室{id}"));
        assert_eq!(stats.sentence(), "2026年第2季度共报送信息1篇，录用1篇，其中市级1篇。");
        let names: Vec<&str> = stats.departments.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["办公室", "养老服务股", "科室9"], "科室8 has nothing in the quarter");
        let empty = statistics(&[], &depts(), Period::parse("2026-03").unwrap(), d(11, 23), |_| String::new());
        assert_eq!(empty.sentence(), "2026年3月未报送信息。");
        let none_adopted = statistics(&subs[1..], &depts(), q2, d(11, 23), |_| String::new());
        assert_eq!(none_adopted.sentence(), "2026年第2季度共报送信息1篇，录用0篇。");
    }

    #[test]
    fn spans_of_running_and_ended_periods() {
        let p = |code: &str| Period::parse(code).unwrap();
        assert_eq!(span_label(p("2026"), d(1, 20)), "2026年1月");
        assert_eq!(span_label(p("2026"), d(12, 31)), "2026年");
        assert_eq!(span_label(p("2026Q4"), d(11, 23)), "2026年10—11月");
        assert_eq!(span_label(p("2026H2"), d(6, 1)), "2026年下半年", "not yet started");
        assert_eq!(span_label(p("2026-11"), d(11, 23)), "2026年11月");
    }
}
