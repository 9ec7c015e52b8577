//! Shared steps of the feedback-register pages and API: loading an entry
//! with the caller's access checked, turning form or JSON input into domain
//! values, recording steps, importing a CSV file, and finding the open
//! entries past a time limit with who must act. The rules themselves are
//! `taizhang_core::feedback`, applied by the store in one audited
//! transaction.

use crate::attachments::{self, WithFiles};
use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use taizhang_core::drafts::Person;
use taizhang_core::feedback::{
    self, deadlines, parse_beijing_time, DeadlineStatus, Feedback, Level, NewFeedback, ResponseForm, Source,
    SourceKind, Step, StepKind,
};
use taizhang_core::import::ImportError;
use taizhang_core::org::RoleKind;
use taizhang_docs::import_file::read_sheet;
use taizhang_store::FeedbackItem;

/// A new entry as typed in a form or sent as JSON: text, parsed here once.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub source_kind: String,
    #[serde(default)]
    pub source_detail: String,
    #[serde(default)]
    pub source_url: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub level: String,
    pub owner_id: Option<i64>,
    /// RFC 3339, or Beijing time "2026-11-20 09:30" / "2026-11-20T09:30".
    #[serde(default)]
    pub discovered_at: String,
    /// Who discovered it; the caller when absent.
    pub discovered_by: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// A step as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub at: String,
    /// Who did it; the caller when absent.
    pub by: Option<i64>,
    #[serde(default)]
    pub note: String,
    pub to: Option<String>,
    pub form: Option<String>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::Invalid(message.into())
}

/// An instant as RFC 3339 or as Beijing time.
pub fn parse_time(text: &str, what: &str) -> Result<DateTime<Utc>, Error> {
    let t = text.trim();
    if t.is_empty() {
        return Err(bad(format!("请填写{what}")));
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_beijing_time(t))
        .ok_or_else(|| bad(format!("{what}“{t}”无法识别，应如 2026-11-20 09:30")))
}

/// The staff of a Party group (its units and branches), for person pickers.
pub fn people_of(view: &View, group: i64) -> Vec<Person> {
    view.people_of(group).into_iter().map(|p| Person { id: p.id, name: p.name.clone() }).collect()
}

const NOT_OURS: &str = "所选人员不属于本单位";

/// A member of the group's staff, or the caller when `id` is absent.
fn staff(view: &View, caller: &Caller, group: i64, id: Option<i64>) -> Result<Person, Error> {
    let id = id.unwrap_or(caller.person.id);
    // Never the person's name, nor whether the id exists: another unit's
    // people are not this caller's business.
    people_of(view, group).into_iter().find(|p| p.id == id).ok_or_else(|| bad(NOT_OURS))
}

fn parse_coded<T>(text: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Err(bad(format!("请选择{what}")));
    }
    parse(text).ok_or_else(|| bad(format!("{what}“{}”无法识别", text.trim())))
}

fn new_feedback(view: &View, caller: &Caller, group: i64, input: &ItemInput) -> Result<NewFeedback, Error> {
    let kind = parse_coded(&input.source_kind, SourceKind::parse, "来源")?;
    let source =
        Source::checked(kind, &input.source_detail, Some(&input.source_url)).map_err(|e| bad(e.to_string()))?;
    let level = parse_coded(&input.level, Level::parse, "等级")?;
    let owner = staff(view, caller, group, input.owner_id)?;
    let at = parse_time(&input.discovered_at, "发现时间")?;
    let by = staff(view, caller, group, input.discovered_by)?;
    Ok(NewFeedback {
        source,
        summary: input.summary.clone(),
        category: input.category.clone(),
        level,
        owner,
        discovered: Step::new(StepKind::Discover, at, by, input.note.clone()),
    })
}

fn step_of(view: &View, caller: &Caller, group: i64, input: &StepInput) -> Result<Step, Error> {
    let kind = parse_coded(&input.kind, StepKind::parse, "步骤")?;
    let mut step =
        Step::new(kind, parse_time(&input.at, "时间")?, staff(view, caller, group, input.by)?, input.note.clone());
    step.to = input.to.clone().filter(|t| !t.trim().is_empty());
    step.form = match input.form.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => Some(ResponseForm::parse(f).ok_or_else(|| bad(format!("回应方式“{f}”无法识别")))?),
        None => None,
    };
    Ok(step)
}

/// Loads an entry the caller may see (or, with `write`, change).
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64, write: bool) -> Result<FeedbackItem, Error> {
    let item =
        app.store.feedback_item(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的舆情与诉求事项")))?;
    let access = view.access(caller);
    if write {
        access.require_write(item.unit_id)?;
    } else {
        access.require_view(item.unit_id)?;
    }
    Ok(item)
}

/// The entries of the Party group of `unit`, after checking the caller may see them.
pub async fn list(app: &App, view: &View, caller: &Caller, unit: i64) -> Result<Vec<FeedbackItem>, Error> {
    view.access(caller).require_view(unit)?;
    let group = view.group_of(unit)?.id;
    Ok(app.store.feedback_items(&[group]).await?)
}

pub async fn create(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    input: &ItemInput,
) -> Result<FeedbackItem, Error> {
    view.access(caller).require_write(unit)?;
    let group = view.group_of(unit)?.id;
    let new = new_feedback(view, caller, group, input)?;
    let mut w = app.store.begin_write().await?;
    let item = w.create_feedback(&caller.actor(), group, new, app.now()).await?;
    w.commit().await?;
    Ok(item)
}

/// Records the next step; write access first (inspectors are read-only).
pub async fn record_step(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    input: &StepInput,
) -> Result<FeedbackItem, Error> {
    record_step_with_files(app, view, caller, id, input, None).await
}

/// Records a step with the files chosen with it (核实 notes, photos of
/// the 处置, the 反馈 letter), attached to the new step in the same
/// transaction: the step with all of them, or nothing.
pub async fn record_step_with_files(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    input: &StepInput,
    files: Option<WithFiles>,
) -> Result<FeedbackItem, Error> {
    let item = load(app, view, caller, id, true).await?;
    let step = step_of(view, caller, item.unit_id, input)?;
    if let Some(f) = &files {
        attachments::check_quota(app, item.unit_id, &f.files).await?;
    }
    let mut w = app.store.begin_write().await?;
    let item = w.record_feedback_step(&caller.actor(), id, step, app.now()).await?;
    if let Some(f) = files {
        let to = attachments::Resolved::feedback_step(id, item.unit_id, item.feedback.steps.len() as i64);
        attachments::store_files(&mut w, caller, &to, f.kind, f.files).await?;
    }
    w.commit().await?;
    Ok(item)
}

/// Imports a whole file (CSV or .xlsx) or nothing: every row is checked first.
pub async fn import(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    file: &[u8],
) -> Result<Result<usize, Vec<ImportError>>, Error> {
    view.access(caller).require_write(unit)?;
    let group = view.group_of(unit)?.id;
    let sheet = read_sheet(file);
    let rows = match sheet.and_then(|s| feedback::import::parse_sheet(&s, &people_of(view, group), app.now())) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut w = app.store.begin_write().await?;
    for row in &rows {
        w.insert_feedback(&caller.actor(), group, &row.feedback).await?;
    }
    w.commit().await?;
    Ok(Ok(rows.len()))
}

/// Who must act on an open entry: its 责任人, and for 重大 and 特别重大
/// also the group's secretary (第一责任人).
pub fn must_act(view: &View, group: i64, f: &Feedback) -> Vec<(&'static str, String)> {
    let mut out = vec![("责任人", f.owner.name.clone())];
    if f.level >= Level::Major {
        let secretaries = view.org.roles.iter().filter(|r| r.kind == RoleKind::Secretary && r.scope == group);
        for r in secretaries {
            if let Some(p) = view.org.person(r.person_id).filter(|p| p.id != f.owner.id) {
                out.push(("第一责任人", p.name.clone()));
            }
        }
    }
    out
}

/// An open entry past at least one time limit, with those limits.
pub struct Overdue<'a> {
    pub item: &'a FeedbackItem,
    pub overdue: Vec<DeadlineStatus<'a>>,
}

pub fn overdue<'a>(app: &'a App, items: &'a [FeedbackItem], now: DateTime<Utc>) -> Vec<Overdue<'a>> {
    items
        .iter()
        .filter_map(|item| {
            let overdue: Vec<_> =
                deadlines(&item.feedback, &app.feedback_limits, now).into_iter().filter(|d| d.is_overdue()).collect();
            (!overdue.is_empty()).then_some(Overdue { item, overdue })
        })
        .collect()
}
