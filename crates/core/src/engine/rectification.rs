//! `rectification`: every problem found by an inspection is rectified by
//! its deadline. One finding per problem that matters to the period: open
//! at some point in it, or due in it.

use super::{Finding, RecordRef, Scope, Status};
use crate::rectification::Rectification;
use chrono::NaiveDate;

pub(super) fn evaluate(scope: &Scope, problems: &[Rectification]) -> (Vec<Finding>, Vec<RecordRef>) {
    let start = scope.period.first_day();
    let as_of = scope.period.last_day().min(scope.today);
    let relevant: Vec<&Rectification> = problems
        .iter()
        .filter(|p| p.found_on <= as_of)
        .filter(|p| p.rectified_on.is_none_or(|d| d >= start) || p.deadline >= start)
        .collect();
    if relevant.is_empty() {
        let text = "本期没有需要整改的问题".to_string();
        return (
            vec![Finding { status: Status::Met, text, period: Some(scope.period.code()), records: vec![], due: None }],
            vec![],
        );
    }
    let findings = relevant.into_iter().map(|p| finding(scope, p, as_of)).collect();
    (findings, vec![])
}

fn finding(scope: &Scope, p: &Rectification, as_of: NaiveDate) -> Finding {
    let (status, text, due) = crate::rectification::assess(p, as_of, scope.remind_days());
    Finding { status, text, period: Some(scope.period.code()), records: vec![], due }
}
