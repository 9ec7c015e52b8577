//! `rectification`: every problem found by an inspection is rectified by
//! its deadline. One finding per problem that matters to the period: open
//! at some point in it, or due in it.

use super::{Finding, RecordRef, Scope, Status};
use crate::org::Person;
use crate::rectification::Rectification;
use chrono::NaiveDate;

pub(super) fn evaluate(scope: &Scope, problems: &[Rectification], people: &[Person]) -> (Vec<Finding>, Vec<RecordRef>) {
    let start = scope.period.first_day();
    let as_of = scope.period.last_day().min(scope.today);
    let relevant: Vec<&Rectification> = problems
        .iter()
        .filter(|p| p.found_on <= as_of)
        .filter(|p| p.rectified_on.is_none_or(|d| d >= start) || p.deadline >= start)
        .collect();
    if relevant.is_empty() {
        let text = "本期没有需要整改的问题".to_string();
        return (vec![scope.note(Status::Met, text)], vec![]);
    }
    let findings = relevant.into_iter().map(|p| finding(scope, p, as_of, people)).collect();
    (findings, vec![])
}

/// The problem's own responsible person is named in open findings: the
/// duty's actor is the secretary (第一责任人), who answers for them all.
fn finding(scope: &Scope, p: &Rectification, as_of: NaiveDate, people: &[Person]) -> Finding {
    let (status, mut text, due) = crate::rectification::assess(p, as_of, scope.remind_days());
    let owner = p.owner.and_then(|id| people.iter().find(|x| x.id == id));
    if let (true, Some(owner)) = (status.is_open(), owner) {
        text.push_str(&format!("（责任人：{}）", owner.name));
    }
    let people = if status.is_open() { p.owner.into_iter().collect() } else { vec![] };
    Finding { status, text, period: Some(scope.period.code()), records: vec![], due, people }
}
