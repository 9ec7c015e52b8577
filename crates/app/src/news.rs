//! Shared steps of the 信息报送 pages and API: loading with the caller's
//! access checked, adding and changing submissions (one or a whole CSV or .xlsx file),
//! setting officers and quotas, and a period's figures. The rules are
//! `taizhang_core::news`.
//!
//! Access: the unit's people (not the inspector) record submissions; the
//! secretary, a leader or an administrator sets officers and quotas; the
//! superior and its inspector read.

use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use chrono::NaiveDate;
use taizhang_core::duty::Rule;
use taizhang_core::import::ImportError;
use taizhang_core::news::import::{parse_sheet, Target};
use taizhang_core::news::stats::{statistics, Statistics};
use taizhang_core::news::{progress_over, NewsData, Quota, QuotaLine, Submission};
use taizhang_core::org::{Person, UnitKind};
use taizhang_core::period::Period;
use taizhang_docs::import_file::read_sheet;

/// Days before a period's end a short quota is due soon, when the unit's
/// duty list does not say (the engine's default).
const REMIND_DAYS: i64 = 7;

/// The departments a submission may come from: the group's departments,
/// then the group itself (for a unit without departments, or the 局 as a
/// whole), as (id, name).
pub fn departments(view: &View, group: i64) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = view
        .tree
        .subtree(group)
        .into_iter()
        .filter(|u| u.kind == UnitKind::Department)
        .map(|u| (u.id, u.name.clone()))
        .collect();
    if let Some(g) = view.tree.get(group) {
        out.push((g.id, g.name.clone()));
    }
    out
}

/// A department's name (or a unit's); empty for an unknown id.
pub fn department_name(view: &View, id: i64) -> String {
    view.tree.get(id).map(|u| u.name.clone()).unwrap_or_default()
}

/// The people of the group, owned, for name look-ups in core.
pub fn people(view: &View, group: i64) -> Vec<Person> {
    view.people_of(group).into_iter().cloned().collect()
}

/// Authors as the pages show them: 刘晓雯、陈静.
pub fn author_names(view: &View, s: &Submission) -> String {
    s.authors.iter().map(|id| view.person_name(Some(*id))).collect::<Vec<_>>().join("、")
}

/// Whether the caller may set officers and quotas: the same people who
/// name a channel's reviewers (secretary, leaders, administrators).
pub fn may_configure(view: &View, caller: &Caller, group: i64) -> bool {
    view.access(caller).can_assign_reviewers(group)
}

/// A submission and its revision, if the caller may see it.
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64) -> Result<(Submission, i64), Error> {
    let found = app.store.news_submission(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的信息")))?;
    view.access(caller).require_view(found.0.unit_id)?;
    Ok(found)
}

/// The department and authors must be the group's own.
fn check_refs(view: &View, group: i64, s: &Submission) -> Result<(), Error> {
    if !departments(view, group).iter().any(|(id, _)| *id == s.department_id) {
        return Err(Error::Invalid("报送科室须为本单位的科室".into()));
    }
    let people = view.people_of(group);
    if s.authors.iter().any(|a| !people.iter().any(|p| p.id == *a)) {
        return Err(Error::Invalid("作者须为本单位人员".into()));
    }
    Ok(())
}

/// Adds a submission to the group of `unit`.
pub async fn add(app: &App, view: &View, caller: &Caller, unit: i64, new: Submission) -> Result<Submission, Error> {
    let group = view.group_of(unit)?.id;
    view.access(caller).require_write(group)?;
    let new = Submission { unit_id: group, ..new };
    check_refs(view, group, &new)?;
    let mut w = app.store.begin_write().await?;
    let saved = w.create_news(&caller.actor(), &new, app.today()).await?;
    w.commit().await?;
    Ok(saved)
}

/// What a change does to a submission.
pub enum Change {
    /// Every field as edited (id and unit are kept).
    Edit(Submission),
    /// 录用 on a date, with the 期号 or link.
    Adopt { on: NaiveDate, issue: String },
}

/// Changes a submission after checking who may, at the revision read.
pub async fn change(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    revision: Option<i64>,
    change: Change,
) -> Result<Submission, Error> {
    let (current, _) = load(app, view, caller, id).await?;
    let group = current.unit_id;
    view.access(caller).require_write(group)?;
    if let Change::Edit(edited) = &change {
        check_refs(view, group, edited)?;
    }
    let today = app.today();
    let mut w = app.store.begin_write().await?;
    let changed = w
        .change_news(&caller.actor(), id, revision, today, |s| match change {
            Change::Edit(edited) => {
                *s = Submission { id: s.id, unit_id: s.unit_id, ..edited };
                Ok(())
            }
            Change::Adopt { on, issue } => s.adopt(on, &issue, today),
        })
        .await?;
    w.commit().await?;
    Ok(changed)
}

/// Imports a whole file (CSV or .xlsx) into the group of `unit`: every line is checked
/// before one transaction writes them all.
pub async fn import(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    file: &[u8],
) -> Result<Result<usize, Vec<ImportError>>, Error> {
    let group = view.group_of(unit)?.id;
    view.access(caller).require_write(group)?;
    let departments = departments(view, group);
    let people = people(view, group);
    let today = app.today();
    let target = Target { unit_id: group, departments: &departments, people: &people, today };
    let rows = match read_sheet(file).and_then(|sheet| parse_sheet(&sheet, &target)) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut w = app.store.begin_write().await?;
    for row in &rows {
        w.create_news(&caller.actor(), &row.submission, today).await?;
    }
    w.commit().await?;
    Ok(Ok(rows.len()))
}

/// Makes the people named in `names` (separated by 、) the officers of a
/// department of the group.
pub async fn set_officers(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    department: i64,
    names: &str,
) -> Result<(), Error> {
    let group = view.group_of(unit)?.id;
    if !may_configure(view, caller, group) {
        return Err(Error::Forbidden);
    }
    if department == group || !departments(view, group).iter().any(|(id, _)| *id == department) {
        return Err(Error::Invalid("只能为本单位的科室指定信息员".into()));
    }
    let ids = taizhang_core::news::import::authors(&people(view, group), names)
        .map_err(|m| Error::Invalid(m.replace("作者", "信息员")))?;
    let mut w = app.store.begin_write().await?;
    w.set_news_officers(&caller.actor(), group, department, &ids).await?;
    w.commit().await?;
    Ok(())
}

/// Sets a quota of the group (a department's, or the whole unit's).
pub async fn set_quota(app: &App, view: &View, caller: &Caller, unit: i64, quota: Quota) -> Result<Quota, Error> {
    let group = view.group_of(unit)?.id;
    if !may_configure(view, caller, group) {
        return Err(Error::Forbidden);
    }
    if let Some(d) = quota.department_id {
        if !departments(view, group).iter().any(|(id, _)| *id == d) || d == group {
            return Err(Error::Invalid("定额只能设给本单位的科室或全单位".into()));
        }
    }
    let mut w = app.store.begin_write().await?;
    let saved = w.set_news_quota(&caller.actor(), &Quota { unit_id: group, ..quota }).await?;
    w.commit().await?;
    Ok(saved)
}

pub async fn delete_quota(app: &App, view: &View, caller: &Caller, unit: i64, id: i64) -> Result<(), Error> {
    let group = view.group_of(unit)?.id;
    if !may_configure(view, caller, group) {
        return Err(Error::Forbidden);
    }
    let mut w = app.store.begin_write().await?;
    w.delete_news_quota(&caller.actor(), group, id).await?;
    w.commit().await?;
    Ok(())
}

/// A group's figures for a period: the data (submissions sent or adopted
/// in the period), the statistics and the reminder days for quotas.
pub struct Overview {
    pub period: Period,
    pub today: NaiveDate,
    pub data: NewsData,
    /// Revisions of `data.submissions`, in the same order.
    pub revisions: Vec<i64>,
    pub stats: Statistics,
    pub remind_days: i64,
}

impl Overview {
    /// Each quota's progress in the periods that have begun.
    pub fn progress(&self, view: &View) -> Vec<QuotaLine<'_>> {
        let name = |id| view.tree.get(id).map(|u| u.name.clone());
        progress_over(&self.data, name, self.period, self.today, self.remind_days)
            .into_iter()
            .filter(|l| l.progress.period.first_day() <= self.today)
            .collect()
    }
}

pub async fn overview(app: &App, view: &View, group: i64, period: Period) -> Result<Overview, Error> {
    let between = Some((period.first_day(), period.last_day()));
    let (submissions, revisions): (Vec<Submission>, Vec<i64>) =
        app.store.news_submissions(&[group], between).await?.into_iter().unzip();
    let data = NewsData {
        submissions,
        quotas: app.store.news_quotas(&[group]).await?,
        officers: app.store.news_officers(&[group]).await?.into_iter().map(|(_, o)| o).collect(),
    };
    let today = app.today();
    // The group itself gets a line only when something is filed under it.
    let mut lines = departments(view, group);
    lines.retain(|(id, _)| *id != group);
    let stats = statistics(&data.submissions, &lines, period, today, |id| department_name(view, id));
    let remind_days = app
        .store
        .duty_items_for(group)
        .await?
        .iter()
        .find(|i| matches!(i.rule, Rule::NewsQuota {}))
        .and_then(|i| i.remind_days)
        .map_or(REMIND_DAYS, i64::from);
    Ok(Overview { period, today, data, revisions, stats, remind_days })
}
