//! 我的待办: the caller's own open items across the modules, most urgent
//! first, each with the page that opens it for that person. Duties name
//! the caller among the people who must act; drafts wait for a stage the
//! caller reviews; rectifications and feedback entries name the caller as
//! the one responsible.

use crate::view::{evaluate_group, View};
use crate::{App, Caller, Result};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::hash_map::Entry;
use taizhang_core::drafts::Person;
use taizhang_core::engine::Status;
use taizhang_core::org::RoleKind;
use taizhang_core::period::Period;

/// One open item of the caller's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoItem {
    /// The module, as people call it: 责任事项, 稿件审校, 问题整改, 舆情与诉求.
    pub module: &'static str,
    pub unit_id: i64,
    pub title: String,
    /// Why it is open, in words.
    pub detail: String,
    pub overdue: bool,
    pub due: Option<NaiveDate>,
    /// The page that opens the item for the caller.
    pub url: String,
    /// What the item is, stable while it stays open (the calendar's UID).
    #[serde(skip)]
    pub key: String,
}

/// The Party groups the caller works in (not those an inspector or the
/// superior's people only look at).
fn own_groups(view: &View, caller: &Caller) -> Vec<i64> {
    let mut groups: Vec<i64> = caller
        .roles
        .iter()
        .filter(|r| !matches!(r.kind, RoleKind::Inspector | RoleKind::Admin))
        .filter_map(|r| view.tree.party_group_of(r.scope).map(|g| g.id))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// Every open item of the caller's, overdue first, then by due date.
pub async fn for_caller(app: &App, view: &View, caller: &Caller) -> Result<Vec<TodoItem>> {
    let today = app.today();
    let mut items = Vec::new();
    for group in own_groups(view, caller) {
        items.extend(duties(app, view, caller, group, today).await?);
        let units: Vec<i64> = view.tree.subtree(group).iter().map(|u| u.id).collect();
        items.extend(drafts(app, caller, &units, today).await?);
        items.extend(rectifications(app, caller, &units, today).await?);
        items.extend(feedback(app, caller, group).await?);
    }
    items.sort_by_key(|i| (!i.overdue, i.due.is_none(), i.due));
    Ok(items)
}

async fn duties(app: &App, view: &View, caller: &Caller, group: i64, today: NaiveDate) -> Result<Vec<TodoItem>> {
    let year = Period::year(today.year());
    let evaluation = evaluate_group(app, view, group, year).await?;
    Ok(evaluation
        .duties
        .iter()
        .filter(|d| matches!(d.status, Status::Overdue | Status::DueSoon | Status::MissingEvidence))
        .filter(|d| d.actors.iter().any(|a| a.person_id == Some(caller.person.id)))
        .map(|d| TodoItem {
            module: "责任事项",
            unit_id: group,
            title: d.title.clone(),
            detail: format!("{}：{}", d.status.label(), d.reason),
            overdue: d.status == Status::Overdue,
            due: d.due,
            url: format!("/units/{group}/duties/{}?period={}", d.item_id, year.code()),
            key: format!("duty-{group}-{}-{:?}-{}-{}", d.item_id, d.subject.kind, d.subject.id, year.code()),
        })
        .collect())
}

async fn drafts(app: &App, caller: &Caller, units: &[i64], today: NaiveDate) -> Result<Vec<TodoItem>> {
    let (from, to) = Period::year(today.year()).instants();
    let me = Person { id: caller.person.id, name: caller.person.name.clone() };
    let mut items = Vec::new();
    let mut reviewers_of = std::collections::HashMap::new(); // reviewers read once per channel
    for draft in app.store.drafts(units, from, to).await? {
        let Some(stage) = draft.review.next_stage() else { continue };
        let reviewers = match reviewers_of.entry(draft.channel_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(app.store.channel_reviewers(draft.channel_id).await?),
        };
        if draft.review.may_sign(stage, &me, reviewers) {
            items.push(TodoItem {
                module: "稿件审校",
                unit_id: draft.unit_id,
                title: draft.title.clone(),
                detail: format!("等待您{}", stage.label()),
                overdue: false,
                due: None,
                url: format!("/drafts/{}", draft.id),
                key: format!("draft-{}-{}", draft.id, stage.label()),
            });
        }
    }
    Ok(items)
}

async fn rectifications(app: &App, caller: &Caller, units: &[i64], today: NaiveDate) -> Result<Vec<TodoItem>> {
    Ok(app
        .store
        .rectifications_of(units)
        .await?
        .into_iter()
        .filter(|r| r.owner == Some(caller.person.id) && r.rectified_on.is_none() && r.closed_on.is_none())
        .map(|r| TodoItem {
            module: "问题整改",
            unit_id: r.unit_id,
            title: r.problem.clone(),
            detail: format!("整改期限{}", taizhang_core::period::chinese_date(r.deadline)),
            overdue: r.deadline < today,
            due: Some(r.deadline),
            url: format!("/rectifications/{}", r.id),
            key: format!("rectification-{}", r.id),
        })
        .collect())
}

async fn feedback(app: &App, caller: &Caller, group: i64) -> Result<Vec<TodoItem>> {
    use taizhang_core::feedback::{deadlines, DeadlineState};
    let now = app.now();
    Ok(app
        .store
        .open_feedback_items(&[group])
        .await?
        .into_iter()
        .filter(|f| f.feedback.owner.id == caller.person.id)
        .map(|f| {
            let open: Vec<_> = deadlines(&f.feedback, &app.feedback_limits, now)
                .into_iter()
                .filter(|d| matches!(d.state, DeadlineState::Due { .. } | DeadlineState::Overdue { .. }))
                .collect();
            let overdue = open.iter().any(|d| matches!(d.state, DeadlineState::Overdue { .. }));
            let next = open.iter().min_by_key(|d| d.due_at);
            TodoItem {
                module: "舆情与诉求",
                unit_id: f.unit_id,
                title: f.feedback.summary.clone(),
                detail: match next {
                    Some(d) if overdue => format!("已超过{}时限", d.deadline.action),
                    Some(d) => {
                        format!("须于{}前{}", taizhang_core::period::shanghai_minute(d.due_at), d.deadline.action)
                    }
                    None => "尚未办结".into(),
                },
                overdue,
                due: next.map(|d| taizhang_core::period::shanghai_date(d.due_at)),
                url: format!("/feedback/{}", f.id),
                key: format!("feedback-{}", f.id),
            }
        })
        .collect())
}
