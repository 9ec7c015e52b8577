//! The superior's roll-up: units × categories, with counts per status.

use super::{Evaluation, Status};
use crate::org::UnitId;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
