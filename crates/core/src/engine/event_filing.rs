//! `event_filing`: every event held on an event channel (报告会, 研讨会,
//! 讲座, 论坛) is reviewed and filed with the superior before it is held
//! (先审后办). An event is a record dated the day it is held, so an event
//! planned for next week is already on the books and can be due soon.

use super::{record_ref, Finding, RecordRef, Scope, Status};
use crate::period::{chinese_date, Cadence, Period};
use crate::record::{EventFiling, FilingState, Record, RecordData};

pub(super) fn evaluate(scope: &Scope) -> (Vec<Finding>, Vec<RecordRef>) {
    let events: Vec<(&Record, &EventFiling)> = scope
        .records
        .iter()
        .filter(|r| scope.period.contains(r.occurred_on))
        .filter_map(|r| match &r.data {
            RecordData::EventFiling(e) => Some((*r, e)),
            _ => None,
        })
        .collect();
    let counted: Vec<RecordRef> = events.iter().map(|(r, _)| record_ref(r)).collect();
    if events.is_empty() {
        let text = format!("{}{}未登记举办活动", scope.period.label(), scope.prefix());
        let none = scope.note(Status::Pending, text);
        return (vec![none], counted);
    }
    (events.into_iter().map(|(r, e)| judge(scope, r, e)).collect(), counted)
}

fn judge(scope: &Scope, record: &Record, e: &EventFiling) -> Finding {
    let held = record.occurred_on;
    let what = format!("{}“{}”（{}）", scope.prefix(), e.topic, chinese_date(held));
    let finding = |status, text: String| Finding {
        status,
        text,
        period: Some(Period::containing(held, Cadence::Quarter).code()),
        records: vec![record_ref(record)],
        due: Some(held),
        people: vec![],
    };
    match e.state(held, scope.today) {
        FilingState::InTime => finding(Status::Met, format!("{what}已于活动前审核并报备{}", e.filed_to.trim())),
        FilingState::After(days) => {
            finding(Status::Late, format!("{what}举办后{days}天才完成审核报备，未做到先审后办"))
        }
        FilingState::Missing => finding(Status::Overdue, format!("{what}已举办，未{}", e.missing_steps())),
        FilingState::Ahead(days) if days <= scope.remind_days() => {
            let left = if days == 0 { "活动今天举办".to_string() } else { format!("剩{days}天") };
            finding(Status::DueSoon, format!("{what}尚未{}，须在活动前完成（{left}）", e.missing_steps()))
        }
        FilingState::Ahead(_) => finding(Status::Pending, format!("{what}须在活动前完成审核报备")),
    }
}
