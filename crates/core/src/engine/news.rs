//! `news_quota`: every quota of 信息报送 is met in every period of its
//! cadence. One finding per quota and period; a period that ended short
//! is overdue with the department, the count and the quota in its reason.

use super::{Finding, RecordRef, Scope, Status};
use crate::news::{progress_over, NewsData, Quota};
use crate::org::{Person, PersonId, Role, RoleKind, Unit};

pub(super) fn evaluate(
    scope: &Scope,
    news: &NewsData,
    departments: &[Unit],
    people: &[Person],
    roles: &[Role],
) -> (Vec<Finding>, Vec<RecordRef>) {
    if news.quotas.is_empty() {
        let text = "尚未设定信息报送定额".to_string();
        let finding = scope.note(Status::Pending, text);
        return (vec![finding], vec![]);
    }
    let name = |id| departments.iter().find(|d| d.id == id).map(|d| d.name.clone());
    let findings = progress_over(news, name, scope.period, scope.today, scope.remind_days())
        .into_iter()
        .map(|line| {
            let p = line.progress;
            let mut text = p.text;
            let mut concerned = Vec::new();
            if p.status.is_open() {
                text.push_str(&officers(line.quota, news, people));
                concerned = concerned_with(line.quota, news, roles);
            }
            Finding {
                status: p.status,
                text,
                period: Some(p.period.code()),
                records: vec![],
                due: p.due,
                people: concerned,
            }
        })
        .collect();
    (findings, vec![])
}

/// Who is told of a department's shortfall: its information officers and
/// the leaders in charge of it (a unit-wide quota has the duty's owner only).
fn concerned_with(quota: &Quota, news: &NewsData, roles: &[Role]) -> Vec<PersonId> {
    let Some(department) = quota.department_id else { return Vec::new() };
    let officers = news.officers.iter().filter(|o| o.department_id == department).map(|o| o.person_id);
    let leaders = roles
        .iter()
        .filter(|r| r.kind == RoleKind::Leader && r.in_charge_of.contains(&department))
        .map(|r| r.person_id);
    let mut ids: Vec<PersonId> = officers.chain(leaders).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// （信息员：刘晓雯、何佳） for a department's quota with officers.
fn officers(quota: &Quota, news: &NewsData, people: &[Person]) -> String {
    let Some(department) = quota.department_id else { return String::new() };
    let names: Vec<&str> = news
        .officers
        .iter()
        .filter(|o| o.department_id == department)
        .filter_map(|o| people.iter().find(|p| p.id == o.person_id))
        .map(|p| p.name.as_str())
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("（信息员：{}）", names.join("、"))
    }
}
