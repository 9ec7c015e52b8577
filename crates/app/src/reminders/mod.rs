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
use std::time::Duration;
use taizhang_core::assessment::Assessment;
use taizhang_core::drafts::Reviewers;
use taizhang_core::engine::evaluate;
use taizhang_core::org::UnitKind;
use taizhang_core::period::Period;
use taizhang_core::reminder::{plan, plan_assessment, plan_draft_review, plan_feedback, Reminder, Settings};
use taizhang_store::StoreError;

pub const JOB: &str = "reminders";

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub groups: usize,
    pub new_reminders: usize,
    pub sent: usize,
}

/// Scans every Party group once and delivers what is pending.
pub async fn scan(app: &App) -> Result<ScanReport, StoreError> {
    let today = app.today();
    let period = Period::year(today.year());
    let org = app.store.org().await?;
    let groups: Vec<i64> = org.units.iter().filter(|u| u.kind == UnitKind::PartyGroup).map(|u| u.id).collect();
    let inputs = crate::view::load_inputs(app, &groups, period).await?;
    let settings = app.store.all_reminder_settings().await?;
    let open_feedback = app.store.open_feedback_items(&groups).await?;
    let waiting = drafts_waiting(app).await?;
    // Last year's self-assessment is due in January; this year's from December.
    let mut assessments = Vec::new();
    for year in [today.year() - 1, today.year()] {
        assessments.push((year, app.store.assessments_of_year(year).await?));
    }
    let rules = app.store.assessment_rules_for(&groups).await?;
    let mut report = ScanReport { groups: inputs.groups.len(), ..ScanReport::default() };
    for group in &inputs.groups {
        let mut evaluation = evaluate(&group.items, &group.context(&inputs.org), period, today);
        // The register's limits run in hours: its entries are reminded one by
        // one below, ahead of each limit, rather than as a duty.
        evaluation.duties.retain(|d| !is_feedback_duty(&group.items, &d.item_id));
        let unit_settings = settings
            .iter()
            .find(|s| s.unit_id == group.unit.id)
            .map_or_else(Settings::default, |s| Settings { before_days: s.before_days, repeat_days: s.repeat_days });
        let mut reminders = plan(&evaluation, unit_settings, today);
        let secretaries = secretaries_of(&inputs.org, group.unit.id);
        reminders.extend(feedback_reminders(app, &secretaries, group, unit_settings, &open_feedback));
        reminders.extend(
            waiting
                .iter()
                .filter(|(d, _)| d.unit_id == group.unit.id)
                .filter_map(|(d, reviewers)| plan_draft_review(&group.unit.name, d.id, &d.title, &d.review, reviewers)),
        );
        for (year, of_year) in &assessments {
            let assessment =
                of_year.get(&group.unit.id).map_or_else(|| Assessment::new(group.unit.id, *year), |(a, _)| a.clone());
            let rules = rules.get(&group.unit.id).cloned().unwrap_or_default();
            reminders.extend(plan_assessment(
                &group.unit.name,
                &assessment,
                &rules,
                &secretaries,
                unit_settings,
                today,
            ));
        }
        if reminders.is_empty() {
            continue;
        }
        let mut w = app.store.begin_write().await?;
        let fresh = w.record_reminders(group.unit.id, &group.unit.name, today, &reminders).await?;
        w.commit().await?;
        report.new_reminders += fresh.len();
    }
    report.sent = deliver::deliver_pending(app).await?;
    Ok(report)
}

/// The group's secretaries (第一责任人).
fn secretaries_of(org: &taizhang_store::Org, group: i64) -> Vec<i64> {
    org.roles
        .iter()
        .filter(|r| r.kind == taizhang_core::org::RoleKind::Secretary && r.scope == group)
        .map(|r| r.person_id)
        .collect()
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
        .filter(|f| f.unit_id == group.unit.id)
        .flat_map(|f| plan_feedback(name, f.id, &f.feedback, &app.feedback_limits, secretaries, settings, now))
        .collect()
}

/// Claims the job and scans, unless another server has it or ran it less
/// than `every` ago. `None` when this server did not run it.
pub async fn run_once(app: &App, every: Duration) -> Result<Option<ScanReport>, StoreError> {
    let Some(claim) = app.store.claim_job(JOB, every).await? else { return Ok(None) };
    let result = scan(app).await;
    let error = result.as_ref().err().map(ToString::to_string);
    app.store.finish_job(claim, error).await?;
    result.map(Some)
}

/// Runs [`run_once`] every `every`, for as long as the server runs. The
/// first run comes shortly after start, so a restarted server catches up.
pub fn spawn_scheduler(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every.max(Duration::from_secs(1)));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // A claim a little shorter than the tick, so this server's own
            // next tick is never refused by its previous run's timestamp.
            let claim_every = every.mul_f64(0.9);
            match run_once(&app, claim_every).await {
                Ok(Some(r)) => {
                    tracing::info!(groups = r.groups, new = r.new_reminders, sent = r.sent, "reminder scan finished")
                }
                Ok(None) => tracing::debug!("reminder scan skipped: run elsewhere or recently"),
                Err(e) => tracing::warn!(error = %e, "reminder scan failed"),
            }
        }
    })
}
