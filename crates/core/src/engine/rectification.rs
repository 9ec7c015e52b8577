//! `rectification`: every problem found by an inspection is rectified by
//! its deadline. One finding per problem that matters to the period: open
//! at some point in it, or due in it.

use super::{Finding, RecordRef, Scope, Status};
use crate::period::chinese_date;
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
    let what = format!("{}问题“{}”", p.source.label(), p.short_problem());
    let deadline = chinese_date(p.deadline);
    let rectified = p.rectified_on.filter(|d| *d <= as_of);
    let (status, text, due) = match rectified {
        Some(done) if done > p.deadline => {
            let late = (done - p.deadline).num_days();
            (Status::Late, format!("{what}整改期限为{deadline}，{}才整改完成，逾期{late}天", chinese_date(done)), None)
        }
        Some(done) => {
            let closed = if p.closed_on.is_some() { "，已销号" } else { "，待上级销号" };
            (Status::Met, format!("{what}已于{}整改完成{closed}", chinese_date(done)), None)
        }
        None if as_of > p.deadline => {
            let late = (as_of - p.deadline).num_days();
            (Status::Overdue, format!("{what}整改期限为{deadline}，已逾期{late}天仍未整改到位"), Some(p.deadline))
        }
        None if (p.deadline - as_of).num_days() <= scope.remind_days() => {
            let left = (p.deadline - as_of).num_days();
            (Status::DueSoon, format!("{what}须于{deadline}前整改到位（还剩{left}天）"), Some(p.deadline))
        }
        None => (Status::Pending, format!("{what}正在整改，期限为{deadline}"), Some(p.deadline)),
    };
    Finding { status, text, period: Some(scope.period.code()), records: vec![], due }
}
