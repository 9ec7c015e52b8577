//! Shared steps of the risk ledger pages and API: loading a ledger or a
//! risk with the caller's access checked, checking owners, proposing the
//! next review date from the unit's duty list, and the import.

use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use chrono::NaiveDate;
use taizhang_core::import::ImportError;
use taizhang_core::org::Unit;
use taizhang_core::record::{Record, RecordKind};
use taizhang_core::risk::{parse_risks, ReviewSchedule, ReviewState, RiskInput, RiskStatus};
use taizhang_docs::import_file::read_sheet;
use taizhang_store::{LedgerReview, Risk, RiskReviewRow};

/// A risk with its review state on the server's today.
pub struct Listed {
    pub risk: Risk,
    pub state: ReviewState,
}

/// The Party group whose ledger a unit's page shows.
pub fn ledger_unit<'a>(view: &'a View, caller: &Caller, id: i64, write: bool) -> Result<&'a Unit, Error> {
    let access = view.access(caller);
    if write {
        access.require_write(id)?;
    } else {
        access.require_view(id)?;
    }
    view.group_of(id)
}

/// The review schedule of a group: the default day, capped by its list.
pub async fn schedule(app: &App, group: i64) -> Result<ReviewSchedule, Error> {
    Ok(ReviewSchedule::for_items(&app.store.duty_items_for(group).await?))
}

/// A group's ledger, most serious first: 在控 before 已化解, then by level.
pub async fn ledger(app: &App, group: i64) -> Result<Vec<Listed>, Error> {
    let schedule = schedule(app, group).await?;
    let today = app.today();
    let mut listed: Vec<Listed> = app
        .store
        .risks(group)
        .await?
        .into_iter()
        .map(|risk| Listed { state: review_state(&schedule, &risk, today), risk })
        .collect();
    listed.sort_by_key(|l| (l.risk.entry.status, l.risk.entry.level, l.risk.id));
    Ok(listed)
}

/// Loads a risk the caller may see (or, with `write`, change).
pub async fn load(app: &App, view: &View, caller: &Caller, id: i64, write: bool) -> Result<Risk, Error> {
    let risk = app.store.risk(id).await?.ok_or_else(|| Error::NotFound(format!("没有编号为{id}的风险点")))?;
    ledger_unit(view, caller, risk.unit_id, write)?;
    Ok(risk)
}

/// Whether a risk needs reviewing on `today`, by its group's schedule.
pub fn review_state(schedule: &ReviewSchedule, risk: &Risk, today: NaiveDate) -> ReviewState {
    ReviewState::of(risk.entry.status, schedule.due(risk.entry.identified_on, risk.last_review), today)
}

/// The review state of one risk today.
pub async fn state_of(app: &App, risk: &Risk) -> Result<ReviewState, Error> {
    Ok(review_state(&schedule(app, risk.unit_id).await?, risk, app.today()))
}

fn check_owner(view: &View, group: i64, input: &RiskInput) -> Result<(), Error> {
    match input.owner_id {
        Some(id) if !view.people_of(group).iter().any(|p| p.id == id) => {
            Err(Error::Invalid("所选人员不属于本单位，不能担任责任人".into()))
        }
        _ => Ok(()),
    }
}

pub async fn create(app: &App, view: &View, caller: &Caller, unit: i64, input: &RiskInput) -> Result<Risk, Error> {
    let group = ledger_unit(view, caller, unit, true)?.id;
    check_owner(view, group, input)?;
    let mut w = app.store.begin_write().await?;
    let risk = w.create_risk(&caller.actor(), group, input).await?;
    w.commit().await?;
    Ok(risk)
}

pub async fn update(
    app: &App,
    view: &View,
    caller: &Caller,
    id: i64,
    revision: Option<i64>,
    input: &RiskInput,
) -> Result<Risk, Error> {
    let risk = load(app, view, caller, id, true).await?;
    check_owner(view, risk.unit_id, input)?;
    let mut w = app.store.begin_write().await?;
    let risk = w.update_risk(&caller.actor(), id, revision, input).await?;
    w.commit().await?;
    Ok(risk)
}

/// A review as entered; missing values take the defaults (today, the
/// caller's name, the scheduled next date).
pub struct ReviewIn {
    pub reviewed_on: Option<NaiveDate>,
    pub reviewer: Option<String>,
    pub conclusion: String,
    pub next_review: Option<NaiveDate>,
    pub outcomes: Vec<(i64, RiskStatus)>,
}

/// Records a review of some risks of a group's ledger.
pub async fn review(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    input: ReviewIn,
) -> Result<(Record, Vec<RiskReviewRow>), Error> {
    let group = ledger_unit(view, caller, unit, true)?.id;
    let reviewed_on = input.reviewed_on.unwrap_or_else(|| app.today());
    if reviewed_on > app.today() {
        return Err(Error::Invalid("复核日期不能晚于今天".into()));
    }
    if input.conclusion.trim().is_empty() {
        return Err(Error::Invalid("请填写复核结论".into()));
    }
    let next_review = match input.next_review {
        Some(d) => d,
        None => schedule(app, group).await?.next_after(reviewed_on),
    };
    let reviewer = input.reviewer.filter(|r| !r.trim().is_empty()).unwrap_or_else(|| caller.person.name.clone());
    let review =
        LedgerReview { reviewed_on, reviewer, conclusion: input.conclusion, next_review, outcomes: input.outcomes };
    let mut w = app.store.begin_write().await?;
    let done = w.review_risks(&caller.actor(), group, &review).await?;
    w.commit().await?;
    Ok(done)
}

/// The 研判 records of a group that name a risk among those they reviewed.
pub async fn analyses_of(app: &App, view: &View, risk: &Risk) -> Result<Vec<Record>, Error> {
    let units: Vec<i64> = view.tree.subtree(risk.unit_id).iter().map(|u| u.id).collect();
    let (from, to) = (NaiveDate::from_ymd_opt(1949, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2999, 12, 31).unwrap());
    let records = app.store.records(&units, Some(RecordKind::Analysis), from, to).await?;
    Ok(records
        .into_iter()
        .filter(|r| match &r.data {
            taizhang_core::record::RecordData::Analysis(a) => a.risks_reviewed.iter().any(|t| t == &risk.entry.title),
            _ => false,
        })
        .collect())
}

/// Imports a file (CSV or .xlsx) of risks into a group's ledger: the whole file is
/// checked first (owners by name, titles new to the ledger), then every
/// row is written in one transaction. Returns how many were added.
pub async fn import(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    file: &[u8],
) -> Result<Result<usize, Vec<ImportError>>, Error> {
    let group = ledger_unit(view, caller, unit, true)?.id;
    let rows = match read_sheet(file).and_then(|sheet| parse_risks(&sheet, app.today())) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Err(errors)),
    };
    let existing = app.store.risks(group).await?;
    let people = view.people_of(group);
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    for mut row in rows {
        let named: Vec<_> = people.iter().filter(|p| p.name == row.owner).collect();
        match named.as_slice() {
            [p] => row.input.owner_id = Some(p.id),
            [] => errors.push(ImportError {
                line: row.line, message: format!("责任人“{}”不是本单位人员", row.owner)
            }),
            _ => errors.push(ImportError {
                line: row.line,
                message: format!("本单位有多名“{}”，请在页面上逐条录入", row.owner),
            }),
        }
        if existing.iter().any(|r| r.entry.title == row.input.title) {
            errors.push(ImportError {
                line: row.line, message: format!("风险点“{}”已在台账中", row.input.title)
            });
        }
        inputs.push(row.input);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut w = app.store.begin_write().await?;
    for input in &inputs {
        w.create_risk(&caller.actor(), group, input).await?;
    }
    w.commit().await?;
    Ok(Ok(inputs.len()))
}
