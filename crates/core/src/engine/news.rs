//! `news_quota`: every quota of 信息报送 is met in every period of its
//! cadence. One finding per quota and period; a period that ended short
//! is overdue with the department, the count and the quota in its reason.

use super::{Finding, RecordRef, Scope, Status};
use crate::news::{progress_over, NewsData, Quota};
use crate::org::{Person, Unit};

pub(super) fn evaluate(
    scope: &Scope,
    news: &NewsData,
    departments: &[Unit],
    people: &[Person],
) -> (Vec<Finding>, Vec<RecordRef>) {
    if news.quotas.is_empty() {
        let text = "尚未设定信息报送定额".to_string();
        let finding =
            Finding { status: Status::Pending, text, period: Some(scope.period.code()), records: vec![], due: None };
        return (vec![finding], vec![]);
    }
    let name = |id| departments.iter().find(|d| d.id == id).map(|d| d.name.clone());
    let findings = progress_over(news, name, scope.period, scope.today, scope.remind_days())
        .into_iter()
        .map(|line| {
            let p = line.progress;
            let mut text = p.text;
            if p.status.is_open() {
                text.push_str(&officers(line.quota, news, people));
            }
            Finding { status: p.status, text, period: Some(p.period.code()), records: vec![], due: p.due }
        })
        .collect();
    (findings, vec![])
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
