//! `freshness`: no gap between records of a kind longer than N days
//! (risk ledger reviews, channel updates).

use super::{record_ref, Finding, RecordRef, Scope, Status};
use crate::duty::Rule;
use crate::period::{chinese_date, Cadence, Period};
use chrono::{Days, NaiveDate};

pub(super) fn evaluate(scope: &Scope) -> (Vec<Finding>, Vec<RecordRef>) {
    let Rule::Freshness { max_days, .. } = &scope.item.rule else {
        unreachable!("freshness::evaluate called for another rule")
    };
    let max = i64::from(*max_days);
    let start = scope.period.first_day();
    if scope.today < start {
        return (vec![scope.note(Status::Pending, "本期尚未开始".into())], vec![]);
    }
    let end = scope.period.last_day().min(scope.today);
    let before: Option<NaiveDate> = scope.records.iter().map(|r| r.occurred_on).filter(|d| *d < start).max();
    let within: Vec<_> = scope.records.iter().filter(|r| start <= r.occurred_on && r.occurred_on <= end).collect();
    let counted: Vec<RecordRef> = within.iter().map(|r| record_ref(r)).collect();

    let mut findings = Vec::new();
    let mut last = before;
    for r in &within {
        if let Some(prev) = last {
            let gap = (r.occurred_on - prev).num_days();
            if gap > max {
                findings.push(gap_finding(scope, prev, r.occurred_on, gap, max, vec![record_ref(r)]));
            }
        }
        last = Some(r.occurred_on);
    }
    findings.push(tail(scope, last, end, max, &counted));
    (findings, counted)
}

/// What went stale: a channel by its name, the unit's ledger by the duty.
fn what(scope: &Scope) -> String {
    match scope.item.applies_to {
        crate::duty::AppliesTo::Unit => scope.item.title.clone(),
        _ => scope.prefix(),
    }
}

/// A risk ledger is reviewed (复核); a channel is updated (更新).
fn verb(scope: &Scope) -> &'static str {
    match scope.item.rule.record_kind().expect("a freshness rule looks at records") {
        crate::record::RecordKind::RiskReview => "复核",
        _ => "更新",
    }
}

/// A gap inside the period that has since been closed: done late.
fn gap_finding(scope: &Scope, from: NaiveDate, to: NaiveDate, gap: i64, max: i64, records: Vec<RecordRef>) -> Finding {
    Finding {
        status: Status::Late,
        text: format!(
            "{}自{}至{}间隔{}天未{}，超过{}天的要求",
            what(scope),
            chinese_date(from),
            chinese_date(to),
            gap,
            verb(scope),
            max
        ),
        // Filed under the quarter in which it became overdue.
        period: Some(Period::containing(from + Days::new(max as u64 + 1), Cadence::Quarter).code()),
        records,
        due: from.checked_add_days(Days::new(max as u64)),
        people: vec![],
    }
}

/// The state at the end of the window: overdue, due soon or fresh.
fn tail(scope: &Scope, last: Option<NaiveDate>, end: NaiveDate, max: i64, counted: &[RecordRef]) -> Finding {
    let live = end == scope.today;
    let Some(last) = last else {
        let status = if live { Status::Overdue } else { Status::Late };
        let text = format!("{}{}无任何{}记录", what(scope), scope.period.label(), verb(scope));
        return Finding {
            status,
            text,
            period: Some(scope.period.code()),
            records: vec![],
            due: Some(scope.period.first_day()),
            people: vec![],
        };
    };
    let gap = (end - last).num_days();
    let due = last.checked_add_days(Days::new(max as u64)).unwrap_or(last);
    let v = verb(scope);
    let (status, text) = if gap > max && live {
        (Status::Overdue, format!("{}自{}以来{}天未{v}，超过{}天的要求", what(scope), chinese_date(last), gap, max))
    } else if gap > max {
        (Status::Late, format!("{}期末已{}天未{v}（最后一次为{}）", what(scope), gap, chinese_date(last)))
    } else if live && (due - scope.today).num_days() <= scope.remind_days() {
        (
            Status::DueSoon,
            format!("{}最后一次{v}为{}，须于{}前再次{v}", what(scope), chinese_date(last), chinese_date(due)),
        )
    } else {
        let n = counted.len();
        (Status::Met, format!("{}本期{v}{}次，最后一次为{}", what(scope), n, chinese_date(last)))
    };
    Finding { status, text, period: Some(scope.period.code()), records: vec![], due: Some(due), people: vec![] }
}
