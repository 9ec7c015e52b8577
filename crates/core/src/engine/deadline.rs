//! `deadline`: a report for every period of a cadence, by its due date.

use super::evidence::has_evidence;
use super::{record_ref, Finding, RecordRef, Scope, Status};
use crate::duty::{parse_due, Rule};
use crate::period::{chinese_date, short_date, Period};
use crate::record::{Record, RecordData};
use chrono::NaiveDate;

pub(super) fn evaluate(scope: &Scope) -> (Vec<Finding>, Vec<RecordRef>) {
    let Rule::Deadline { report_type, per, due } = &scope.item.rule else {
        unreachable!("deadline::evaluate called for another rule")
    };
    let mut findings = Vec::new();
    let mut counted = Vec::new();
    for sub in scope.period.split(*per) {
        let due_on = due.get(sub.index as usize - 1).and_then(|code| parse_due(code, sub.year));
        let Some(due_on) = due_on else { continue };
        let report = first_submission(&scope.records, report_type, sub);
        if let Some((record, _)) = report {
            counted.push(record_ref(record));
        }
        findings.push(judge(scope, sub, due_on, report));
        if let Some(f) = report.and_then(|(r, _)| missing_receipt(scope, sub, r)) {
            findings.push(f);
        }
    }
    (findings, counted)
}

/// The earliest submitted report of the type for the period.
fn first_submission<'a>(records: &[&'a Record], report_type: &str, sub: Period) -> Option<(&'a Record, NaiveDate)> {
    records
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::Report(rep)
                if rep.report_type == report_type && Period::parse(&rep.period).ok() == Some(sub) =>
            {
                rep.submitted_on.map(|d| (*r, d))
            }
            _ => None,
        })
        .min_by_key(|(r, d)| (*d, r.id))
}

fn judge(scope: &Scope, sub: Period, due_on: NaiveDate, report: Option<(&Record, NaiveDate)>) -> Finding {
    let what = format!("{}{}", sub.label(), scope.item.title);
    let finding = |status, text: String, records: Vec<RecordRef>| Finding {
        status,
        text,
        period: Some(sub.code()),
        records,
        due: Some(due_on),
        people: vec![],
    };
    if let Some((record, submitted)) = report {
        let refs = vec![record_ref(record)];
        let late_days = (submitted - due_on).num_days();
        return if late_days > 0 {
            let text = format!(
                "{what}逾期{late_days}天报送（应于{}前报送，实际{}报送）",
                short_date(due_on),
                chinese_date(submitted)
            );
            finding(Status::Late, text, refs)
        } else {
            finding(Status::Met, format!("{what}已于{}按时报送", chinese_date(submitted)), refs)
        };
    }
    let days = (due_on - scope.today).num_days();
    if days < 0 {
        finding(
            Status::Overdue,
            format!("{what}逾期未报送（应于{}前报送，已逾期{}天）", chinese_date(due_on), -days),
            vec![],
        )
    } else if days <= scope.remind_days() {
        finding(Status::DueSoon, format!("{what}须于{}前报送（剩{days}天）", chinese_date(due_on)), vec![])
    } else {
        finding(Status::Pending, format!("{what}须于{}前报送", chinese_date(due_on)), vec![])
    }
}

fn missing_receipt(scope: &Scope, sub: Period, record: &Record) -> Option<Finding> {
    let lacking: Vec<_> =
        scope.item.evidence.iter().filter(|e| !has_evidence(record, **e)).map(|e| e.label()).collect();
    if lacking.is_empty() {
        return None;
    }
    Some(Finding {
        status: Status::MissingEvidence,
        text: format!("{}{}缺少{}", sub.label(), scope.item.title, lacking.join("、")),
        period: Some(sub.code()),
        records: vec![record_ref(record)],
        due: Some(scope.today),
        people: vec![],
    })
}
