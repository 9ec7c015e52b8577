//! Shared steps of the rectification pages and API: loading a problem with
//! the caller's access checked, adding problems (one or a whole CSV or .xlsx file) and
//! applying a step. The rules are `taizhang_core::rectification`.

use crate::attachments::{self, WithFiles};
use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use chrono::NaiveDate;
use taizhang_core::import::ImportError;
use taizhang_core::rectification::{parse_sheet_lines, FindingSource, Rectification};
use taizhang_docs::import_file::read_sheet;

/// One change to a problem, by whoever may make it.
#[derive(Debug, Clone)]
pub enum Step {
    /// The unit updates its measures and the person responsible.
    Update { measures: String, owner: Option<i64> },
    /// The unit reports it rectified (申请销号).
    Report { on: NaiveDate, evidence: String },
    /// The superior closes it (销号).
    Close { opinion: String },
    /// The superior returns the report.
    SendBack { opinion: String },
}

impl Step {
    /// Closing and returning are the superior's; the rest the unit's.
    fn by_superior(&self) -> bool {
        matches!(self, Step::Close { .. } | Step::SendBack { .. })
    }
}

/// A problem and its revision, if the caller may see it.
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64) -> Result<(Rectification, i64), Error> {
    let found =
        app.store.rectification(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的整改问题")))?;
    view.access(caller).require_view(found.0.unit_id)?;
    Ok(found)
}

/// Whether the caller may add problems to a unit: its own people, or the
/// superior's inspector recording what an inspection found.
pub fn may_add(view: &View, caller: &Caller, unit: i64) -> bool {
    let access = view.access(caller);
    access.can_write(unit) || access.can_inspect(unit)
}

/// A person of the unit's Party group, by id.
fn check_owner(view: &View, group: i64, owner: Option<i64>) -> Result<(), Error> {
    match owner.map(|id| view.org.person(id)) {
        None => Ok(()),
        Some(Some(p)) if view.tree.is_within(p.unit_id, group) => Ok(()),
        Some(_) => Err(Error::Invalid("责任人须为本单位人员".into())),
    }
}

pub async fn add(app: &App, view: &View, caller: &Caller, new: Rectification) -> Result<Rectification, Error> {
    let group = view.group_of(new.unit_id)?.id;
    if !may_add(view, caller, group) {
        return Err(Error::Forbidden);
    }
    check_owner(view, group, new.owner)?;
    let new = Rectification { unit_id: group, ..new };
    let mut w = app.store.begin_write().await?;
    let saved = w.create_rectification(&caller.actor(), &new).await?;
    w.commit().await?;
    Ok(saved)
}

/// Imports a whole file (CSV or .xlsx) into a unit: every line is checked (owners by name
/// among the unit's people) before one transaction writes them all.
pub async fn import(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    file: &[u8],
) -> Result<Result<usize, Vec<ImportError>>, Error> {
    let group = view.group_of(unit)?.id;
    if !may_add(view, caller, group) {
        return Err(Error::Forbidden);
    }
    let sheet = match read_sheet(file) {
        Ok(sheet) => sheet,
        Err(errors) => return Ok(Err(errors)),
    };
    let (rows, mut errors) = parse_sheet_lines(&sheet);
    let people = view.people_of(group);
    let mut problems = Vec::new();
    for row in rows {
        let owner = match row.owner.as_str() {
            "" => None,
            name => match people.iter().filter(|p| p.name == name).collect::<Vec<_>>().as_slice() {
                [p] => Some(p.id),
                [] => {
                    errors.push(ImportError {
                        line: row.line, message: format!("本单位没有名为“{name}”的人员")
                    });
                    continue;
                }
                _ => {
                    errors.push(ImportError {
                        line: row.line,
                        message: format!("本单位有多名“{name}”，请在页面上逐条录入"),
                    });
                    continue;
                }
            },
        };
        problems.push(Rectification {
            id: 0,
            unit_id: group,
            source: row.source,
            found_on: row.found_on,
            problem: row.problem,
            measures: row.measures,
            owner,
            deadline: row.deadline,
            evidence: String::new(),
            rectified_on: None,
            closed_on: None,
            opinion: String::new(),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    let mut w = app.store.begin_write().await?;
    for p in &problems {
        w.create_rectification(&caller.actor(), p).await?;
    }
    w.commit().await?;
    Ok(Ok(problems.len()))
}

/// Applies a step after checking who may take it.
pub async fn apply(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    revision: Option<i64>,
    step: Step,
) -> Result<Rectification, Error> {
    apply_with_files(app, view, caller, id, revision, step, None).await
}

/// Applies a step with the files chosen with it (the proof of a 销号
/// request), attached in the same transaction: the step with all of
/// them, or nothing.
pub async fn apply_with_files(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    revision: Option<i64>,
    step: Step,
    files: Option<WithFiles>,
) -> Result<Rectification, Error> {
    let (current, _) = load(app, view, caller, id).await?;
    let access = view.access(caller);
    let allowed =
        if step.by_superior() { access.can_inspect(current.unit_id) } else { access.can_write(current.unit_id) };
    if !allowed {
        return Err(Error::Forbidden);
    }
    if let Step::Update { owner, .. } = &step {
        check_owner(view, view.group_of(current.unit_id)?.id, *owner)?;
    }
    if let Some(f) = &files {
        attachments::check_quota(app, current.unit_id, &f.files).await?;
    }
    let today = app.today();
    let mut w = app.store.begin_write().await?;
    let changed = w
        .change_rectification(&caller.actor(), id, revision, |r| match step {
            Step::Update { measures, owner } => r.revise(&measures, owner),
            Step::Report { on, evidence } => r.report_rectified(on, today, &evidence),
            Step::Close { opinion } => r.close(today, &opinion),
            Step::SendBack { opinion } => r.send_back(&opinion),
        })
        .await?;
    if let Some(f) = files {
        let to = attachments::Resolved::rectification(id, changed.unit_id);
        attachments::store_files(&mut w, caller, &to, f.kind, f.files).await?;
    }
    w.commit().await?;
    Ok(changed)
}

/// A source from a form or JSON: code or Chinese label.
pub fn source(text: &str) -> Result<FindingSource, Error> {
    FindingSource::parse(text.trim()).ok_or_else(|| Error::Invalid(format!("未知的问题来源：{text}")))
}
