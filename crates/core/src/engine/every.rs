//! `every`: each record of a kind in the period must carry the evidence
//! (e.g. 第一议题 as the first agenda item of every Party-group meeting).

use super::evidence::has_evidence;
use super::{dates_of, record_ref, Finding, RecordRef, Scope, Status};

pub(super) fn evaluate(scope: &Scope) -> (Vec<Finding>, Vec<RecordRef>) {
    let in_period: Vec<_> = scope.records.iter().filter(|r| scope.period.contains(r.occurred_on)).collect();
    let counted: Vec<RecordRef> = in_period.iter().map(|r| record_ref(r)).collect();
    let label = scope.period.label();
    if counted.is_empty() {
        let text = format!("{label}尚无{}相关记录", scope.item.title);
        return (vec![finding(scope, Status::Pending, text, vec![])], counted);
    }
    let mut findings = Vec::new();
    for evidence in &scope.item.evidence {
        let lacking: Vec<RecordRef> =
            in_period.iter().filter(|r| !has_evidence(r, *evidence)).map(|r| record_ref(r)).collect();
        if !lacking.is_empty() {
            let text = format!(
                "{label}{}次{}中有{}次不符合要求，缺少{}（{}）",
                counted.len(),
                scope.item.rule.record_kind().map(|k| k.label()).unwrap_or_default(),
                lacking.len(),
                evidence.label(),
                dates_of(&lacking)
            );
            findings.push(finding(scope, Status::MissingEvidence, text, lacking));
        }
    }
    if findings.is_empty() {
        let text = format!(
            "{label}{}次{}均符合要求",
            counted.len(),
            scope.item.rule.record_kind().map(|k| k.label()).unwrap_or_default()
        );
        findings.push(finding(scope, Status::Met, text, counted.clone()));
    }
    (findings, counted)
}

fn finding(scope: &Scope, status: Status, text: String, records: Vec<RecordRef>) -> Finding {
    Finding { status, text, period: Some(scope.period.code()), records, due: Some(scope.today), people: vec![] }
}
