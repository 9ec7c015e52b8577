//! The superior's roll-up: units × categories, with counts per status.

use super::{Evaluation, Status};
use crate::org::UnitId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCell {
    pub category: String,
    /// Counts in the order of [`Status::ALL`].
    pub counts: [usize; 6],
    /// The most urgent status in the cell; `None` when the cell is empty.
    pub worst: Option<Status>,
}

impl CategoryCell {
    pub fn count(&self, status: Status) -> usize {
        Status::ALL.iter().position(|s| *s == status).map(|i| self.counts[i]).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupRow {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub cells: Vec<CategoryCell>,
    pub total: CategoryCell,
}

fn cell(category: &str, statuses: impl Iterator<Item = Status>) -> CategoryCell {
    let mut counts = [0usize; 6];
    let mut worst = None;
    for s in statuses {
        if let Some(i) = Status::ALL.iter().position(|x| *x == s) {
            counts[i] += 1;
        }
        worst = worst.max(Some(s));
    }
    CategoryCell { category: category.to_string(), counts, worst }
}

/// The categories in the order they first appear across the evaluations.
pub fn categories(evaluations: &[Evaluation]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in evaluations {
        for d in &e.duties {
            if !out.contains(&d.category) {
                out.push(d.category.clone());
            }
        }
    }
    out
}

pub fn rollup(evaluations: &[Evaluation]) -> (Vec<String>, Vec<RollupRow>) {
    let cats = categories(evaluations);
    let rows = evaluations
        .iter()
        .map(|e| RollupRow {
            unit_id: e.unit_id,
            unit_name: e.unit_name.clone(),
            cells: cats
                .iter()
                .map(|c| cell(c, e.duties.iter().filter(|d| &d.category == c).map(|d| d.status)))
                .collect(),
            total: cell("合计", e.duties.iter().map(|d| d.status)),
        })
        .collect();
    (cats, rows)
}

/// The roll-up of many units from each unit's own row (`rollup` of its
/// evaluation alone): the same table `rollup` makes of all the
/// evaluations, without keeping them. A category a unit lacks gets an
/// empty cell.
pub fn combine<'a>(rows: impl IntoIterator<Item = &'a RollupRow> + Clone) -> (Vec<String>, Vec<RollupRow>) {
    let mut cats: Vec<String> = Vec::new();
    for r in rows.clone() {
        for c in &r.cells {
            if !cats.contains(&c.category) {
                cats.push(c.category.clone());
            }
        }
    }
    let rows = rows
        .into_iter()
        .map(|r| RollupRow {
            unit_id: r.unit_id,
            unit_name: r.unit_name.clone(),
            cells: cats
                .iter()
                .map(|c| {
                    r.cells.iter().find(|x| &x.category == c).cloned().unwrap_or_else(|| cell(c, std::iter::empty()))
                })
                .collect(),
            total: r.total.clone(),
        })
        .collect();
    (cats, rows)
}

/// The cells of all the rows added up, category by category, and their
/// total: the superior's line above its units (the rows' cells in the
/// order of `categories`, as [`combine`] makes them).
pub fn totals(categories: &[String], rows: &[RollupRow]) -> (Vec<CategoryCell>, CategoryCell) {
    let mut cells: Vec<CategoryCell> = categories.iter().map(|c| cell(c, std::iter::empty())).collect();
    let mut total = cell("合计", std::iter::empty());
    for r in rows {
        for (sum, c) in cells.iter_mut().zip(&r.cells).chain(std::iter::once((&mut total, &r.total))) {
            for (n, m) in sum.counts.iter_mut().zip(c.counts) {
                *n += m;
            }
            sum.worst = sum.worst.max(c.worst);
        }
    }
    (cells, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{DutyStatus, Subject};
    use crate::period::Period;

    fn duty(category: &str, status: Status) -> DutyStatus {
        DutyStatus {
            item_id: category.into(),
            title: category.into(),
            category: category.into(),
            points: 1,
            rule: String::new(),
            basis: String::new(),
            subject: Subject { kind: crate::duty::AppliesTo::Unit, id: 1, name: String::new() },
            status,
            reason: String::new(),
            records: vec![],
            findings: vec![],
            due: None,
            actors: vec![],
        }
    }

    fn evaluation(unit_id: i64, duties: Vec<DutyStatus>) -> Evaluation {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        Evaluation { unit_id, unit_name: format!("单位{unit_id}"), period: Period::year(2026), today, duties }
    }

    #[test]
    fn combined_rows_make_the_same_table_as_one_rollup() {
        let all = vec![
            evaluation(1, vec![duty("学习", Status::Met), duty("会议", Status::Overdue)]),
            evaluation(2, vec![duty("阵地", Status::DueSoon), duty("学习", Status::Late)]),
            evaluation(3, vec![]),
        ];
        let own: Vec<RollupRow> = all.iter().flat_map(|e| rollup(std::slice::from_ref(e)).1).collect();
        assert_eq!(combine(&own), rollup(&all));
        assert_eq!(combine(&own).0, ["学习", "会议", "阵地"]);
    }

    #[test]
    fn totals_count_every_unit_s_duties_once() {
        let duties =
            [("学习", Status::Met), ("会议", Status::Overdue), ("阵地", Status::DueSoon), ("学习", Status::Late)];
        let all = vec![
            evaluation(1, duties[..2].iter().map(|(c, s)| duty(c, *s)).collect()),
            evaluation(2, duties[2..].iter().map(|(c, s)| duty(c, *s)).collect()),
            evaluation(3, vec![]),
        ];
        let (cats, rows) = rollup(&all);
        // The same duties as one unit's: its row is what the totals are.
        let one = rollup(&[evaluation(9, duties.iter().map(|(c, s)| duty(c, *s)).collect())]).1.remove(0);
        assert_eq!(totals(&cats, &rows), (one.cells, one.total));
        let (empty, total) = totals(&cats, &[]);
        assert!(empty.iter().chain([&total]).all(|c| c.counts == [0; 6] && c.worst.is_none()));
    }
}
