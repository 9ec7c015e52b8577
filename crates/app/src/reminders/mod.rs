//! Reminders (提醒): a scan runs the engine for every Party group over the
//! current year, records the reminders [`taizhang_core::reminder::plan`]
//! calls for (each once: the store keeps their keys), and delivers the
//! outbox. The scheduler runs the scan every few minutes on every app
//! server; the job claim in the database lets only one of them run it per
//! interval, and the unique keys make even an overlapping run harmless.

pub mod deliver;
pub mod egress;
pub mod settings;

use crate::App;
use chrono::Datelike;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use taizhang_core::assessment::Assessment;
use taizhang_core::drafts::Reviewers;
use taizhang_core::engine::evaluate;
use taizhang_core::org::UnitKind;
use taizhang_core::period::Period;
use taizhang_core::reminder::{plan, plan_assessment, plan_draft_review, plan_feedback, Reminder, Settings};
use taizhang_store::{GroupReminders, StoreError};

pub const JOB: &str = "reminders";

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub groups: usize,
    pub new_reminders: usize,
    pub sent: usize,
}

/// Party groups evaluated together: the inputs of a chunk (a year of their
/// records) are held in memory at once, and its reminders are written in
/// one transaction. At province scale (10,000 groups) this bounds the
/// scan's memory and its number of write transactions alike; 150 groups
/// (about 1,500 units) still let the store read only their rows.
const CHUNK: usize = 150;

/// What every group's reminders are planned from besides its own inputs,
/// loaded once per scan and looked up by group.
struct Shared {
    today: chrono::NaiveDate,
    period: Period,
    settings: HashMap<i64, Settings>,
    secretaries: HashMap<i64, Vec<i64>>,
    open_feedback: HashMap<i64, Vec<taizhang_store::FeedbackItem>>,
    waiting: HashMap<i64, Vec<(taizhang_store::Draft, Reviewers)>>,
    /// Last year's and this year's assessments, by group.
    assessments: Vec<(i32, AssessmentsOfYear)>,
    rules: HashMap<i64, taizhang_core::assessment::Rules>,
}

/// A year's self-assessments by Party group, each with its row id.
type AssessmentsOfYear = HashMap<i64, (Assessment, i64)>;

/// Scans every Party group once and delivers what is pending.
pub async fn scan(app: &App) -> Result<ScanReport, StoreError> {
    scan_in_chunks(app, CHUNK).await
}

/// [`scan`] with `chunk` Party groups evaluated and written together; any
/// chunk size records the same reminders (tests compare them).
pub async fn scan_in_chunks(app: &App, chunk: usize) -> Result<ScanReport, StoreError> {
    let mut phases = Phases::default();
    let mut clock = Instant::now();
    // The organisation is read once for the whole scan, not once per chunk.
    let org = Arc::new(app.store.org().await?);
    let tree = Arc::new(org.tree());
    let groups: Vec<i64> = org.units.iter().filter(|u| u.kind == UnitKind::PartyGroup).map(|u| u.id).collect();
    let chunks: Vec<&[i64]> = groups.chunks(chunk.max(1)).collect();
    // The next chunk's inputs are read while this one is planned and
    // written: reading is the database's and the decoder's work, planning
    // the engine's, so on two cores they overlap. Two chunks are in
    // memory at most.
    let today = app.today();
    let period = Period::year(today.year());
    let prefetch = |ids: &[i64]| {
        let (store, org, tree, ids) = (app.store.clone(), org.clone(), tree.clone(), ids.to_vec());
        tokio::spawn(async move { store.evaluation_inputs_in(org, &tree, &ids, period).await })
    };
    let mut next = chunks.first().map(|ids| prefetch(ids));
    let shared = load_shared(app, today, &org, &groups).await?;
    phases.shared += lap(&mut clock);
    let mut report = ScanReport::default();
    let mut rest = chunks.iter().skip(1);
    while let Some(reading) = next.take() {
        let inputs = taizhang_store::joined(reading.await)?;
        next = rest.next().map(|ids| prefetch(ids));
        let inputs = crate::view::with_clock(app, inputs);
        phases.inputs += lap(&mut clock);
        report.groups += inputs.groups.len();
        let planned: Vec<_> = inputs.groups.iter().map(|g| (g, plan_group(app, g, &shared))).collect();
        phases.planning += lap(&mut clock);
        let batch: Vec<GroupReminders<'_>> = planned
            .iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(g, reminders)| GroupReminders { unit_id: g.unit.id, unit_name: &g.unit.name, reminders })
            .collect();
        let mut w = app.store.begin_write().await?;
        let fresh = w.record_reminders_of_groups(shared.today, &batch).await?;
        w.commit().await?;
        report.new_reminders += fresh.iter().map(Vec::len).sum::<usize>();
        phases.writing += lap(&mut clock);
    }
    report.sent = deliver::deliver_pending(app).await?;
    phases.delivery += lap(&mut clock);
    tracing::debug!(
        shared_ms = phases.shared.as_millis(),
        inputs_ms = phases.inputs.as_millis(),
        planning_ms = phases.planning.as_millis(),
        writing_ms = phases.writing.as_millis(),
        delivery_ms = phases.delivery.as_millis(),
        groups = report.groups,
        new = report.new_reminders,
        "reminder scan phases"
    );
    Ok(report)
}

/// Where a scan's time went (logged at debug level, `TAIZHANG_LOG=taizhang_app=debug`).
#[derive(Default)]
struct Phases {
    shared: Duration,
    inputs: Duration,
    planning: Duration,
    writing: Duration,
    delivery: Duration,
}

/// The time since `clock`, which is reset to now.
fn lap(clock: &mut Instant) -> Duration {
    let now = Instant::now();
    let elapsed = now - *clock;
    *clock = now;
    elapsed
}

async fn load_shared(
    app: &App,
    today: chrono::NaiveDate,
    org: &taizhang_store::Org,
    groups: &[i64],
) -> Result<Shared, StoreError> {
    let settings = app.store.all_reminder_settings().await?;
    let settings = settings
        .iter()
        .map(|s| (s.unit_id, Settings { before_days: s.before_days, repeat_days: s.repeat_days }))
        .collect();
    let mut open_feedback: HashMap<i64, Vec<_>> = HashMap::new();
    for f in app.store.open_feedback_items(groups).await? {
        open_feedback.entry(f.unit_id).or_default().push(f);
    }
    let mut waiting: HashMap<i64, Vec<_>> = HashMap::new();
    for (d, reviewers) in drafts_waiting(app).await? {
        waiting.entry(d.unit_id).or_default().push((d, reviewers));
    }
    // Last year's self-assessment is due in January; this year's from December.
    let mut assessments = Vec::new();
    for year in [today.year() - 1, today.year()] {
        assessments.push((year, app.store.assessment_states_of_year(year).await?));
    }
    Ok(Shared {
        today,
        period: Period::year(today.year()),
        settings,
        secretaries: secretaries_by_group(org),
        open_feedback,
        waiting,
        assessments,
        rules: app.store.assessment_rules_for(groups).await?,
    })
}

/// What one group is to be reminded of today (before the store drops the
/// reminders it has already recorded).
fn plan_group(app: &App, group: &taizhang_store::GroupInputs, shared: &Shared) -> Vec<Reminder> {
    let id = group.unit.id;
    let mut evaluation = evaluate(&group.items, &group.context(), shared.period, shared.today);
    // The register's limits run in hours: its entries are reminded one by
    // one below, ahead of each limit, rather than as a duty.
    evaluation.duties.retain(|d| !is_feedback_duty(&group.items, &d.item_id));
    let unit_settings = shared.settings.get(&id).copied().unwrap_or_default();
    let mut reminders = plan(&evaluation, unit_settings, shared.today);
    let secretaries = shared.secretaries.get(&id).map(Vec::as_slice).unwrap_or_default();
    let open = shared.open_feedback.get(&id).map(Vec::as_slice).unwrap_or_default();
    reminders.extend(feedback_reminders(app, secretaries, group, unit_settings, open));
    if let Some(waiting) = shared.waiting.get(&id) {
        reminders.extend(
            waiting
                .iter()
                .filter_map(|(d, reviewers)| plan_draft_review(&group.unit.name, d.id, &d.title, &d.review, reviewers)),
        );
    }
    let rules = shared.rules.get(&id).cloned().unwrap_or_default();
    for (year, of_year) in &shared.assessments {
        let assessment = of_year.get(&id).map_or_else(|| Assessment::new(id, *year), |(a, _)| a.clone());
        reminders.extend(plan_assessment(
            &group.unit.name,
            &assessment,
            &rules,
            secretaries,
            unit_settings,
            shared.today,
        ));
    }
    reminders
}

/// Each Party group's secretaries (第一责任人).
fn secretaries_by_group(org: &taizhang_store::Org) -> HashMap<i64, Vec<i64>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in org.roles.iter().filter(|r| r.kind == taizhang_core::org::RoleKind::Secretary) {
        out.entry(r.scope).or_default().push(r.person_id);
    }
    out
}

/// The drafts waiting for a stage of 三审三校, each with its channel's reviewers.
async fn drafts_waiting(app: &App) -> Result<Vec<(taizhang_store::Draft, Reviewers)>, StoreError> {
    let drafts = app.store.drafts_awaiting_review().await?;
    let mut reviewers: HashMap<i64, Reviewers> = HashMap::new();
    let mut out = Vec::with_capacity(drafts.len());
    for d in drafts {
        let of_channel = match reviewers.entry(d.channel_id) {
            Entry::Occupied(known) => known.get().clone(),
            Entry::Vacant(slot) => slot.insert(app.store.channel_reviewers(d.channel_id).await?).clone(),
        };
        out.push((d, of_channel));
    }
    Ok(out)
}

fn is_feedback_duty(items: &[taizhang_core::duty::DutyItem], item_id: &str) -> bool {
    items.iter().any(|i| i.id == item_id && matches!(i.rule, taizhang_core::duty::Rule::Feedback {}))
}

/// Reminders for the time limits of a group's open feedback entries.
fn feedback_reminders(
    app: &App,
    secretaries: &[i64],
    group: &taizhang_store::GroupInputs,
    settings: Settings,
    open: &[taizhang_store::FeedbackItem],
) -> Vec<Reminder> {
    let now = app.now();
    let name = &group.unit.name;
    open.iter()
        .flat_map(|f| plan_feedback(name, f.id, &f.feedback, &app.feedback_limits, secretaries, settings, now))
        .collect()
}

/// Claims the job and scans, unless another server has it or ran it less
/// than `every` ago. `None` when this server did not run it.
pub async fn run_once(app: &App, every: Duration) -> Result<Option<ScanReport>, StoreError> {
    crate::schedule::claimed(app, JOB, every, scan(app)).await
}

/// Runs [`run_once`] every `every`, for as long as the server runs. The
/// first run comes shortly after start, so a restarted server catches up.
pub fn spawn_scheduler(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    crate::schedule::repeat(every, move || {
        let app = app.clone();
        async move {
            match run_once(&app, crate::schedule::claim_for(every)).await {
                Ok(Some(r)) => {
                    tracing::info!(groups = r.groups, new = r.new_reminders, sent = r.sent, "reminder scan finished")
                }
                Ok(None) => tracing::debug!("reminder scan skipped: run elsewhere or recently"),
                Err(e) => tracing::warn!(error = %e, "reminder scan failed"),
            }
        }
    })
}
