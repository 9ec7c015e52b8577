//! `feedback`: every entry of the public-feedback register (舆情与诉求) is
//! answered within its time limits (48 hours; 5 and 24 hours for 重大 and
//! 特别重大). One finding per limit that went wrong or is still running in
//! the period; limits kept on time are counted in one sentence. The limits
//! run in hours, so the rule judges at an instant: the register's `now`
//! (the app's clock) or the end of the evaluation's day.

use super::{Finding, RecordRef, Scope, Status};
use crate::feedback::{deadlines, overdue_reason, DeadlineState, FeedbackData, RegisterEntry};
use crate::period::{shanghai_date, shanghai_day_start};
use chrono::{DateTime, Days, Utc};

pub(super) fn evaluate(scope: &Scope, data: &FeedbackData) -> (Vec<Finding>, Vec<RecordRef>) {
    let start = shanghai_day_start(scope.period.first_day());
    let next_day = |d: chrono::NaiveDate| shanghai_day_start(d.checked_add_days(Days::new(1)).unwrap_or(d));
    let period_end = next_day(scope.period.last_day());
    let now = data.now.unwrap_or_else(|| next_day(scope.today)).min(period_end);
    let live = now < period_end;
    let mut on_time = 0;
    let mut findings = Vec::new();
    for entry in data.entries.iter().filter(|e| e.feedback.discovered_at() < now) {
        for (status, text, due_at) in judge(entry, data, start, now, live) {
            if status == Status::Met {
                on_time += 1;
                continue;
            }
            let people = if status.is_open() { vec![entry.feedback.owner.id] } else { vec![] };
            let due = Some(shanghai_date(due_at));
            findings.push(Finding { status, text, period: Some(scope.period.code()), records: vec![], due, people });
        }
    }
    if findings.is_empty() {
        let text = match on_time {
            0 => "本期没有需要限时回应的舆情与诉求".to_string(),
            n => format!("本期{n}项舆情与诉求处置时限均按时完成"),
        };
        let met = scope.note(Status::Met, text);
        return (vec![met], vec![]);
    }
    findings.sort_by_key(|f| (std::cmp::Reverse(f.status), f.due));
    (findings, vec![])
}

/// Each time limit of one entry that matters to the period (`start` to
/// `now`): met on time, met late or missed within it, or still running.
fn judge(
    entry: &RegisterEntry,
    data: &FeedbackData,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    live: bool,
) -> Vec<(Status, String, DateTime<Utc>)> {
    let f = &entry.feedback;
    let owner = format!("（责任人：{}）", f.owner.name);
    deadlines(f, &data.limits, now)
        .into_iter()
        .filter_map(|d| {
            let settled = match d.state {
                DeadlineState::Met { at, .. } => Some(at),
                DeadlineState::Missed => f.closed_at(),
                DeadlineState::Due { .. } | DeadlineState::Overdue { .. } => None,
            };
            if settled.is_some_and(|at| at < start) {
                return None;
            }
            let text = overdue_reason(f, &d);
            let judged = match d.state {
                DeadlineState::Met { late_minutes: 0, .. } => (Status::Met, text),
                DeadlineState::Met { .. } | DeadlineState::Missed => (Status::Late, text),
                DeadlineState::Due { .. } if live => (Status::DueSoon, text + &owner),
                DeadlineState::Due { .. } => return None,
                DeadlineState::Overdue { .. } => (Status::Overdue, text + &owner),
            };
            Some((judged.0, judged.1, d.due_at))
        })
        .collect()
}
