//! `count`: at least N records of a kind in every period of a cadence.

use super::evidence::{has_evidence, passes_filter};
use super::{dates_of, record_ref, Finding, RecordRef, Scope, Status};
use crate::duty::Rule;
use crate::period::{short_date, Cadence, Period};
use crate::record::{Record, RecordData, RecordKind};

pub(super) fn evaluate(scope: &Scope) -> (Vec<Finding>, Vec<RecordRef>) {
    let Rule::Count { per, min, filter, meeting_type, .. } = &scope.item.rule else {
        unreachable!("count::evaluate called for another rule")
    };
    let matching: Vec<&Record> = scope
        .records
        .iter()
        .copied()
        .filter(|r| filter.is_none_or(|f| passes_filter(&r.data, f, scope.secretary)))
        .filter(|r| match (meeting_type, &r.data) {
            (Some(t), RecordData::BranchMeeting(m)) => m.meeting_type == *t,
            (Some(_), _) => false,
            (None, _) => true,
        })
        .collect();

    let mut findings = Vec::new();
    let mut counted = Vec::new();
    // A cadence longer than the period (a yearly duty in a half-year
    // report) is judged as it stood at the period's end: only records up
    // to that day count, and "today" is that day at the latest.
    let end = scope.period.last_day();
    for sub in scope.period.split(*per) {
        let in_sub: Vec<&Record> =
            matching.iter().copied().filter(|r| sub.contains(r.occurred_on) && r.occurred_on <= end).collect();
        counted.extend(in_sub.iter().map(|r| record_ref(r)));
        let as_of = if sub.last_day() > end { scope.today.min(end) } else { scope.today };
        findings.push(judge(scope, sub, *min, &in_sub, as_of));
        // Evidence is checked on every record held, met or not.
        if let Some(f) = missing_evidence(scope, sub, &in_sub) {
            findings.push(f);
        }
    }
    (findings, counted)
}

/// The verb for the activity: meetings are 召开, everything else 开展.
fn verb(scope: &Scope) -> &'static str {
    match scope.item.rule.record_kind().expect("a count rule counts records") {
        RecordKind::PartyGroupMeeting | RecordKind::BranchMeeting | RecordKind::LifeMeeting => "召开",
        _ => "开展",
    }
}

fn judge(scope: &Scope, sub: Period, min: u32, records: &[&Record], today: chrono::NaiveDate) -> Finding {
    let n = records.len() as u32;
    let refs: Vec<RecordRef> = records.iter().map(|r| record_ref(r)).collect();
    let due = sub.last_day();
    let what = &scope.item.title;
    let v = verb(scope);
    let who = scope.prefix();
    let finding = |status, text: String| Finding {
        status,
        text,
        period: Some(sub.code()),
        records: refs.clone(),
        due: Some(due),
        people: vec![],
    };
    if n >= min {
        // The records are in the duty's counted list already.
        let text = format!("{who}{}{what}已{v}{n}次（{}），达到要求", sub.label(), dates_of(&refs));
        return Finding { records: Vec::new(), ..finding(Status::Met, text) };
    }
    let shortfall = if n == 0 {
        format!("{who}{}未{v}{what}", sub.label())
    } else {
        format!("{who}{}{what}仅{v}{n}次（{}），少于规定的{min}次", sub.label(), dates_of(&refs))
    };
    if today > due {
        return finding(Status::Overdue, shortfall);
    }
    if today < sub.first_day() {
        return finding(Status::Pending, format!("{who}{}{what}尚未开始", sub.label()));
    }
    let days_left = (due - today).num_days();
    if days_left <= scope.remind_days() {
        let text =
            format!("{who}{}还需{v}{what}{}次，{}前完成（剩{days_left}天）", sub.label(), min - n, short_date(due));
        return finding(Status::DueSoon, text);
    }
    if behind_pace(sub, min, n, today) {
        let text =
            format!("{who}{}{what}已{v}{n}次，进度滞后（全期须{min}次，{}前完成）", sub.label(), short_date(due));
        return finding(Status::DueSoon, text);
    }
    finding(Status::Pending, format!("{who}{}{what}已{v}{n}次，须{min}次，{}前完成", sub.label(), short_date(due)))
}

/// For half-yearly and yearly counts of more than one: whether fewer have
/// been done than the elapsed share of the period calls for, by a whole one.
fn behind_pace(sub: Period, min: u32, done: u32, today: chrono::NaiveDate) -> bool {
    if min < 2 || !matches!(sub.cadence, Cadence::Half | Cadence::Year) {
        return false;
    }
    let total = (sub.last_day() - sub.first_day()).num_days() + 1;
    let elapsed = (today - sub.first_day()).num_days() + 1;
    // Expected so far, rounded up from three quarters of a session: one
    // of two by late November is behind; none of six in January is not.
    let expected = (4 * i64::from(min) * elapsed + total) / (4 * total);
    expected > i64::from(done)
}

fn missing_evidence(scope: &Scope, sub: Period, records: &[&Record]) -> Option<Finding> {
    let mut lacking_by_kind = Vec::new();
    let mut lacking_records = Vec::new();
    for evidence in &scope.item.evidence {
        let lacking: Vec<RecordRef> =
            records.iter().filter(|r| !has_evidence(r, *evidence)).map(|r| record_ref(r)).collect();
        if !lacking.is_empty() {
            lacking_by_kind.push(format!("{}次缺少{}（{}）", lacking.len(), evidence.label(), dates_of(&lacking)));
            lacking_records.extend(lacking);
        }
    }
    if lacking_by_kind.is_empty() {
        return None;
    }
    lacking_records.sort_by_key(|r| (r.date, r.id));
    lacking_records.dedup();
    Some(Finding {
        status: Status::MissingEvidence,
        text: format!("{}{}{}中{}", scope.prefix(), sub.label(), scope.item.title, lacking_by_kind.join("，")),
        period: Some(sub.code()),
        records: lacking_records,
        due: Some(scope.today.max(sub.last_day())),
        people: vec![],
    })
}
