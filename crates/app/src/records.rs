//! Records of work (学习、会议、报告…): who may enter or change them and
//! where they may go. A record belongs to a Party group or one of its
//! branches; every write is one transaction with its audit entry.

use crate::attachments::{self, WithFiles};
use crate::view::View;
use crate::{App, Caller, Error, Result};
use chrono::NaiveDate;
use taizhang_core::import::{parse_sheet, ImportError, ImportRow};
use taizhang_core::org::{Unit, UnitKind, UnitTree};
use taizhang_core::record::{check_not_future, Record, RecordData};
use taizhang_store::{Actor, NewRecord, Void};

/// Whether records may be entered on a unit: only a Party group or a
/// Party branch keeps them (departments and superiors do not).
pub fn takes_records(unit: &Unit) -> bool {
    matches!(unit.kind, UnitKind::PartyGroup | UnitKind::Branch)
}

const NOT_A_RECORD_UNIT: &str = "记录只能录入党组（党委）或党支部";

/// Loads a record the caller may see (or, with `write`, change), with the
/// Party group it belongs to.
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64, write: bool) -> Result<(Record, i64)> {
    let record = app.store.record(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的记录")))?;
    view.access(caller).require(record.unit_id, write)?;
    let group = view.group_of(record.unit_id)?.id;
    Ok((record, group))
}

/// A record the caller may see, voided or not, as its page shows it.
pub struct Shown {
    pub record: Record,
    /// The record's Party group.
    pub group: i64,
    pub void: Option<Void>,
    /// Whether the caller may void it now.
    pub can_void: bool,
}

pub async fn load_with_void(app: &App, view: &View, caller: &Caller, id: i64) -> Result<Shown> {
    let (record, entered_by, void) =
        app.store.record_with_void(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的记录")))?;
    view.access(caller).require_view(record.unit_id)?;
    let group = view.group_of(record.unit_id)?.id;
    let can_void = void.is_none() && can_void(view, caller, &record, entered_by);
    Ok(Shown { record, group, void, can_void })
}

/// Whether the caller may void a record: a writer of its unit who is the
/// group's secretary or a leader, the person who entered it, or an
/// administrator.
pub fn can_void(view: &View, caller: &Caller, record: &Record, entered_by: Option<i64>) -> bool {
    let access = view.access(caller);
    access.can_write(record.unit_id)
        && (access.can_manage(record.unit_id) || entered_by == Some(caller.person.id) || access.is_administrator())
}

/// Voids (作废) a record with a reason: it stays visible as voided and
/// leaves every count, status, report and ledger; the audit chain keeps it.
/// Returns the record with its void.
pub async fn void(app: &App, view: &View, caller: &Caller, id: i64, reason: &str) -> Result<(Record, Void)> {
    let (record, entered_by, void) =
        app.store.record_with_void(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的记录")))?;
    view.access(caller).require_write(record.unit_id)?;
    // A writer of the unit who may not void this one is told who may.
    if !can_void(view, caller, &record, entered_by) {
        return Err(Error::Invalid("只有录入人、本单位书记或班子成员可以作废这条记录".into()));
    }
    if void.is_some() {
        return Err(Error::Conflict("该记录已作废".into()));
    }
    let mut w = app.store.begin_write().await?;
    let void = w.void_record(&caller.actor(), id, reason).await?;
    w.commit().await?;
    Ok((record, void))
}

pub async fn create(app: &App, view: &View, caller: &Caller, new: &NewRecord) -> Result<Record> {
    create_with_files(app, view, caller, new, None).await
}

/// Creates a record and attaches the files chosen with its form in the
/// same transaction: the record with all of them, or nothing.
pub async fn create_with_files(
    app: &App,
    view: &View,
    caller: &Caller,
    new: &NewRecord,
    files: Option<WithFiles>,
) -> Result<Record> {
    view.access(caller).require_write(new.unit_id)?;
    if !takes_records(view.unit(new.unit_id)?) {
        return Err(Error::Invalid(NOT_A_RECORD_UNIT.into()));
    }
    not_future(app, new.occurred_on, &new.data)?;
    if let Some(f) = &files {
        attachments::check_quota(app, new.unit_id, &f.files).await?;
    }
    let mut w = app.store.begin_write().await?;
    let record = w.create_record(&caller.actor(), new).await?;
    if let Some(f) = files {
        attachments::store_files(&mut w, caller, &attachments::Resolved::record(&record), f.kind, f.files).await?;
    }
    w.commit().await?;
    Ok(record)
}

/// A change to a record as entered: the revision the caller read (a
/// change made meanwhile is refused as a conflict), its new date and
/// content, and, when the form names one, the unit, which must be the
/// record's own: a record never moves unit.
pub struct Edit<'a> {
    pub revision: Option<i64>,
    pub unit_id: Option<i64>,
    pub occurred_on: NaiveDate,
    pub data: &'a RecordData,
}

pub async fn update(app: &App, view: &View, caller: &Caller, id: i64, edit: Edit<'_>) -> Result<Record> {
    let (record, _) = load(app, view, caller, id, true).await?;
    if edit.unit_id.is_some_and(|u| u != record.unit_id) {
        return Err(Error::Invalid("记录的所属单位不能修改；如录错单位，请在正确的单位下重新录入".into()));
    }
    not_future(app, edit.occurred_on, edit.data)?;
    let mut w = app.store.begin_write().await?;
    let updated = w.update_record(&caller.actor(), id, edit.revision, edit.occurred_on, edit.data).await?;
    w.commit().await?;
    Ok(updated)
}

/// Refuses work dated after the app's today (see [`check_not_future`]).
fn not_future(app: &App, occurred_on: NaiveDate, data: &RecordData) -> Result<()> {
    let errors = check_not_future(occurred_on, data, app.today());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Fields(errors))
    }
}

/// A unit column names a Party group or branch by id or by name.
fn resolve<'a>(tree: &'a UnitTree, text: &str) -> std::result::Result<&'a Unit, String> {
    let by_id = text.parse::<i64>().ok().and_then(|id| tree.get(id));
    let matches: Vec<&Unit> = match by_id {
        Some(u) => vec![u],
        None => tree.all().filter(|u| u.name == text).collect(),
    };
    match matches.as_slice() {
        [u] if takes_records(u) => Ok(u),
        [u] => Err(format!("“{}”不是党组（党委）或党支部，不能录入记录", u.name)),
        [] => Err(format!("没有名为“{text}”的单位")),
        _ => Err(format!("有多个名为“{text}”的单位，请改填单位编号")),
    }
}

/// Imports a whole file (CSV or .xlsx), all or nothing, as [`import`].
pub async fn import_file(
    app: &App,
    caller: Option<&Caller>,
    file: &[u8],
) -> Result<std::result::Result<usize, Vec<ImportError>>> {
    match taizhang_docs::import_file::read_sheet(file).and_then(|sheet| parse_sheet(&sheet)) {
        Ok(rows) => import(app, caller, rows).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Imports parsed spreadsheet rows, all or nothing: every row's unit is
/// resolved and, for a caller, checked against his or her rights before
/// anything is written. `None` imports as the system (the console's
/// administrator). Returns how many records were written, or every
/// problem with the file's line numbers.
pub async fn import(
    app: &App,
    caller: Option<&Caller>,
    rows: Vec<ImportRow>,
) -> Result<std::result::Result<usize, Vec<ImportError>>> {
    let view = View::load(app).await?;
    let mut errors = Vec::new();
    let mut records = Vec::new();
    let today = app.today();
    for row in rows {
        for e in check_not_future(row.occurred_on, &row.data, today) {
            errors.push(ImportError { line: row.line, message: e.message });
        }
        match resolve(&view.tree, &row.unit) {
            Ok(unit) if caller.is_some_and(|c| !view.access(c).can_write(unit.id)) => {
                let name = caller.map(|c| c.person.name.as_str()).unwrap_or_default();
                errors.push(ImportError {
                    line: row.line, message: format!("{name} 无权录入“{}”的记录", unit.name)
                });
            }
            Ok(unit) => records.push(NewRecord { unit_id: unit.id, occurred_on: row.occurred_on, data: row.data }),
            Err(message) => errors.push(ImportError { line: row.line, message }),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let actor = caller.map_or_else(|| Actor::system("CSV导入"), Caller::actor);
    let mut w = app.store.begin_write().await?;
    for r in &records {
        w.create_record(&actor, r).await?;
    }
    w.commit().await?;
    Ok(Ok(records.len()))
}
