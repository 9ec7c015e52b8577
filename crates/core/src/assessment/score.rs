//! The automatic score: for each duty item, its points minus deductions
//! taken from the engine's findings for the year, each deduction carrying
//! the engine's sentence, so every lost point is explained.
//!
//! An item's points are split equally among its subjects (each branch,
//! each channel), and a subject's share among the periods the rule runs on
//! (a monthly meeting: twelve months). A finding costs the share of its
//! period times the share its status loses ([`Rules::share_lost`]):
//! nothing for met, not yet due or due soon — a period still running is
//! not deducted for what is not yet due — part for done late (and that
//! part stays once done) or for a record held without its evidence (at
//! once, until the record is completed), all for not done. Two findings about one period never
//! cost more than the period's share.
//!
//! Per rule type:
//! - `count`, `deadline`, `every`: the period is the finding's (a month,
//!   a half-year, the year). A count short by 1 of 2 loses half; evidence
//!   lacking in 3 of 7 records loses 3/7 of the evidence share.
//! - `freshness`: the year is cut into the shortest calendar periods at
//!   least as long as the allowed gap (14 days: months; 92 days:
//!   quarters); a lapse costs every such period it was stale in.
//! - `rectification`: each problem relevant to the year is an equal share.

use super::{Rules, Score};
use crate::duty::{DutyItem, Rule};
use crate::engine::{DutyStatus, Evaluation, Finding, Status};
use crate::period::{Cadence, Period};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Points lost on one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub status: Status,
    /// The period the engine filed the finding under (2026-04, 2026Q2, 2026).
    pub period: Option<String>,
    /// The engine's sentence: 县民政局机关第一党支部2026年4月未召开支部委员会会议.
    pub reason: String,
    /// How the points were worked out: 该期分值0.17分，已逾期扣100%.
    pub how: String,
    pub points: Score,
}

/// One duty item on the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    pub item_id: String,
    pub title: String,
    pub category: String,
    /// 分值.
    pub points: Score,
    /// 自动得分: points minus the deductions.
    pub auto: Score,
    pub deductions: Vec<Deduction>,
    /// Part of the item is not yet due: its score may still fall.
    pub running: bool,
    /// Said when there was nothing to evaluate.
    pub note: String,
}

/// The automatic scorecard of a unit for a year, as of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoCard {
    pub year: i32,
    /// The day the engine judged the year on.
    pub as_of: NaiveDate,
    pub items: Vec<ItemScore>,
}

impl AutoCard {
    pub fn item(&self, id: &str) -> Option<&ItemScore> {
        self.items.iter().find(|i| i.item_id == id)
    }

    /// 满分: the points of every item.
    pub fn max(&self) -> Score {
        self.items.iter().map(|i| i.points).sum()
    }

    pub fn total(&self) -> Score {
        self.items.iter().map(|i| i.auto).sum()
    }

    /// The card's scores without the deductions' reasons: what a ranking
    /// and a dashboard read. A province's cards are kept for every Party
    /// group, and the reasons are most of a card (seven kilobytes of its
    /// eight as JSON).
    pub fn scores_only(mut self) -> AutoCard {
        for item in &mut self.items {
            item.deductions = Vec::new();
        }
        self
    }
}

/// Scores a year's evaluation (made for `Period::year`) item by item, in
/// the order of `items`.
pub fn auto_score(items: &[DutyItem], evaluation: &Evaluation, rules: &Rules) -> AutoCard {
    let scored = items
        .iter()
        .map(|item| {
            let duties: Vec<&DutyStatus> = evaluation.duties.iter().filter(|d| d.item_id == item.id).collect();
            score_item(item, &duties, evaluation.period, evaluation.today, rules)
        })
        .collect();
    AutoCard { year: evaluation.period.year, as_of: evaluation.today, items: scored }
}

fn score_item(item: &DutyItem, duties: &[&DutyStatus], year: Period, today: NaiveDate, rules: &Rules) -> ItemScore {
    let points = Score::points(item.points);
    let mut out = ItemScore {
        item_id: item.id.clone(),
        title: item.title.clone(),
        category: item.category.clone(),
        points,
        auto: points,
        deductions: Vec::new(),
        running: false,
        note: String::new(),
    };
    if duties.is_empty() {
        out.note = "本单位没有该事项适用的对象（党支部或宣传阵地），不扣分".into();
        return out;
    }
    let subject_share = f64::from(item.points) / duties.len() as f64;
    for duty in duties {
        out.running |= duty.findings.iter().any(|f| matches!(f.status, Status::Pending | Status::DueSoon));
        out.deductions.extend(deduct(item, duty, subject_share, year, today, rules));
    }
    let lost: Score = out.deductions.iter().map(|d| d.points).sum();
    out.auto = (points - lost).clamp_to(points);
    out
}

/// A piece of the year that points are at stake in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Period(Period),
    /// A rectification problem, by the finding's position.
    Problem(usize),
}

/// A finding that costs points: where, and what share of them.
struct Claim<'a> {
    index: usize,
    finding: &'a Finding,
    slots: Vec<(Slot, f64)>,
    /// The status's share lost times the extent (shortfall, lacking share).
    rate: f64,
    extent_note: String,
}

fn deduct(
    item: &DutyItem,
    duty: &DutyStatus,
    subject_share: f64,
    year: Period,
    today: NaiveDate,
    rules: &Rules,
) -> Vec<Deduction> {
    let n = duty.findings.len();
    let mut claims: Vec<Claim> = duty
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| rules.share_lost(f.status) > 0.0)
        .map(|(index, finding)| {
            let (extent, extent_note) = extent(item, duty, finding);
            Claim {
                index,
                finding,
                slots: slots(item, finding, index, n, subject_share, year, today),
                rate: rules.share_lost(finding.status) * extent,
                extent_note,
            }
        })
        .collect();
    // The worst finding of a period is charged first, so it is charged whole.
    claims.sort_by(|a, b| b.finding.status.cmp(&a.finding.status).then(a.index.cmp(&b.index)));
    let mut left: HashMap<Slot, f64> = HashMap::new();
    let mut out: Vec<(usize, Deduction)> = Vec::new();
    for c in claims {
        let mut lost = 0.0;
        for (slot, share) in &c.slots {
            let remaining = left.entry(*slot).or_insert(*share);
            let take = (share * c.rate).min(*remaining);
            *remaining -= take;
            lost += take;
        }
        let points = Score::from_f64(lost);
        if points > Score::ZERO {
            let how = how(&c, rules, matches!(item.rule, Rule::Rectification {}));
            let f = c.finding;
            out.push((
                c.index,
                Deduction { status: f.status, period: f.period.clone(), reason: f.text.clone(), how, points },
            ));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, d)| d).collect()
}

fn periods_in_year(cadence: Cadence) -> f64 {
    Period::year(2024).split(cadence).len() as f64
}

fn slots(
    item: &DutyItem,
    f: &Finding,
    index: usize,
    findings: usize,
    subject_share: f64,
    year: Period,
    today: NaiveDate,
) -> Vec<(Slot, f64)> {
    match &item.rule {
        Rule::Rectification {} => vec![(Slot::Problem(index), subject_share / findings.max(1) as f64)],
        Rule::Freshness { max_days, .. } => {
            let cadence = freshness_cadence(*max_days);
            let share = subject_share / periods_in_year(cadence);
            let Some((from, to)) = stale_stretch(f, year, today) else { return Vec::new() };
            year.split(cadence)
                .into_iter()
                .filter(|p| p.first_day() <= to && from <= p.last_day())
                .map(|p| (Slot::Period(p), share))
                .collect()
        }
        _ => match f.period.as_deref().and_then(|c| Period::parse(c).ok()) {
            Some(p) => vec![(Slot::Period(p), subject_share / periods_in_year(p.cadence))],
            None => vec![(Slot::Period(year), subject_share)],
        },
    }
}

/// The shortest calendar period at least as long as the allowed gap.
fn freshness_cadence(max_days: u32) -> Cadence {
    match max_days {
        0..=31 => Cadence::Month,
        32..=92 => Cadence::Quarter,
        93..=184 => Cadence::Half,
        _ => Cadence::Year,
    }
}

/// The days of the year a freshness finding was stale: from the day after
/// it fell due to the day it was renewed (a lapse since closed), or to the
/// year's end or today (a lapse still open).
fn stale_stretch(f: &Finding, year: Period, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let from = f.due.and_then(|d| d.succ_opt()).unwrap_or(year.first_day()).max(year.first_day());
    let to = match f.records.first() {
        Some(r) if f.status == Status::Late => r.date,
        _ => today,
    };
    let to = to.min(year.last_day());
    (from <= to).then_some((from, to))
}

/// How much of a period's share a finding concerns: the shortfall of a
/// count, the share of records lacking evidence; otherwise all of it.
fn extent(item: &DutyItem, duty: &DutyStatus, f: &Finding) -> (f64, String) {
    match (f.status, &item.rule) {
        (Status::Overdue, Rule::Count { min, .. }) => {
            let held = f.records.len() as u32;
            let short = min.saturating_sub(held).max(1);
            let note = if held > 0 { format!("应{min}次，少{short}次") } else { String::new() };
            (f64::from(short) / f64::from((*min).max(1)), note)
        }
        (Status::MissingEvidence, Rule::Count { .. } | Rule::Every { .. }) => {
            let period = f.period.as_deref().and_then(|c| Period::parse(c).ok());
            let held = duty.records.iter().filter(|r| period.is_none_or(|p| p.contains(r.date))).count();
            let lacking = f.records.len();
            if held == 0 || lacking >= held {
                (1.0, String::new())
            } else {
                (lacking as f64 / held as f64, format!("{held}次中{lacking}次缺佐证"))
            }
        }
        _ => (1.0, String::new()),
    }
}

/// 该期分值0.17分，已逾期扣100% — or 3个期间各1.25分，逾期完成扣50%.
fn how(c: &Claim, rules: &Rules, per_problem: bool) -> String {
    let share = c.slots.first().map(|(_, s)| Score::from_f64(*s)).unwrap_or_default();
    let base = match c.slots.len() {
        _ if per_problem => format!("每个问题分值{share}分"),
        1 => format!("该期分值{share}分"),
        k => format!("{k}个期间各{share}分"),
    };
    let percent = (rules.share_lost(c.finding.status) * 100.0).round();
    let extent = if c.extent_note.is_empty() { String::new() } else { format!("，按比例（{}）", c.extent_note) };
    format!("{base}，{}扣{percent}%{extent}", c.finding.status.label())
}

#[cfg(test)]
mod tests;
