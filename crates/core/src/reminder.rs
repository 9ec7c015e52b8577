//! Reminders: which open findings of an evaluation deserve a message
//! today, and the words of that message. Pure: the scheduler (web crate)
//! runs the engine, asks [`plan`] what to remind, and the store keeps each
//! reminder's [`Reminder::key`] so that a rescan never repeats one.
//!
//! A finding is reminded once per kind: some days before its due date
//! ([`Settings::before_days`]), on the day, and once overdue; while it stays
//! overdue it is reminded again every [`Settings::repeat_days`] (a new
//! "round" of the overdue kind, so rescans still never repeat one). A
//! finding that lacks evidence (no due date of its own) is reminded once.

use crate::duty::AppliesTo;
use crate::engine::{DutyStatus, Evaluation, Finding, Status};
use crate::org::PersonId;
use crate::period::chinese_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// When a reminder is sent, relative to the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Some days before the due date.
    Before,
    /// On the due date.
    OnDay,
    /// After the due date, once.
    Overdue,
    /// Done, but the evidence the duty requires is missing.
    Evidence,
    /// A draft waits for the recipient's stage of 三审三校.
    Waiting,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::Before => "before",
            ReminderKind::OnDay => "on_day",
            ReminderKind::Overdue => "overdue",
            ReminderKind::Evidence => "evidence",
            ReminderKind::Waiting => "waiting",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            ReminderKind::Before,
            ReminderKind::OnDay,
            ReminderKind::Overdue,
            ReminderKind::Evidence,
            ReminderKind::Waiting,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::Before => "即将到期",
            ReminderKind::OnDay => "今日到期",
            ReminderKind::Overdue => "已逾期",
            ReminderKind::Evidence => "缺少佐证",
            ReminderKind::Waiting => "待审核",
        }
    }
}

/// A unit's reminder settings that the planner needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// How many days before the due date the first reminder goes out. The
    /// engine marks a duty "due soon" only within the item's `remind_days`
    /// (default 7), so the effective lead is the smaller of the two.
    pub before_days: u32,
    /// Every how many days an overdue item is reminded again until it is
    /// done; 0 reminds it once.
    pub repeat_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { before_days: 3, repeat_days: 7 }
    }
}

impl Settings {
    /// The round of the overdue reminder `days_overdue` days after the due
    /// date: 0 in the first `repeat_days`, then 1, 2, … (always 0 when
    /// repeating is off).
    pub fn overdue_round(&self, days_overdue: i64) -> u32 {
        if self.repeat_days == 0 || days_overdue <= 0 {
            return 0;
        }
        u32::try_from(days_overdue / i64::from(self.repeat_days)).unwrap_or(u32::MAX)
    }
}

/// What identifies a reminder, so that it is sent once: the duty, its
/// subject, the sub-period, the due date, the kind, and the finding's place
/// among findings sharing all of these (several problems of one
/// rectification duty may fall due on the same day).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReminderKey {
    pub item_id: String,
    pub subject_kind: String,
    pub subject_id: i64,
    /// The sub-period code (2026Q3), or empty.
    pub period: String,
    /// The due date; `None` for evidence reminders.
    pub due: Option<NaiveDate>,
    pub kind: ReminderKind,
    pub seq: u32,
    /// For overdue reminders: how many times it was reminded again (see
    /// [`Settings::overdue_round`]); 0 otherwise.
    #[serde(default)]
    pub round: u32,
}

impl ReminderKey {
    /// The kind as stored: `overdue` for the first overdue reminder,
    /// `overdue#2` for its second repetition.
    pub fn stored_kind(&self) -> String {
        match self.round {
            0 => self.kind.code().to_string(),
            n => format!("{}#{n}", self.kind.code()),
        }
    }

    /// Reads [`ReminderKey::stored_kind`] back into a kind and a round.
    pub fn parse_stored_kind(text: &str) -> Option<(ReminderKind, u32)> {
        match text.split_once('#') {
            Some((kind, round)) => Some((ReminderKind::parse(kind)?, round.parse().ok()?)),
            None => Some((ReminderKind::parse(text)?, 0)),
        }
    }
}

/// One reminder to record and deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub key: ReminderKey,
    /// The duty's title, with the subject for branches and channels.
    pub title: String,
    /// A complete sentence: what is due, since or until when, and why.
    pub message: String,
    /// Who must act (the engine's actors that name a person).
    pub recipients: Vec<PersonId>,
}

pub fn subject_kind_code(kind: AppliesTo) -> &'static str {
    match kind {
        AppliesTo::Unit => "unit",
        AppliesTo::Branch => "branch",
        AppliesTo::Channel => "channel",
    }
}

/// The reminders an evaluation calls for on `today`. Deterministic: the
/// same evaluation gives the same reminders with the same keys, which is
/// what makes rescans harmless.
pub fn plan(evaluation: &Evaluation, settings: Settings, today: NaiveDate) -> Vec<Reminder> {
    let mut out = Vec::new();
    for duty in &evaluation.duties {
        let mut seen: Vec<(String, Option<NaiveDate>, ReminderKind)> = Vec::new();
        for finding in &duty.findings {
            let Some((kind, due)) = classify(finding, settings, today) else { continue };
            let period = finding.period.clone().unwrap_or_default();
            let seq = seen.iter().filter(|s| **s == (period.clone(), due, kind)).count() as u32;
            seen.push((period.clone(), due, kind));
            let round = match (kind, due) {
                (ReminderKind::Overdue, Some(due)) => settings.overdue_round((today - due).num_days()),
                _ => 0,
            };
            let key = ReminderKey {
                item_id: duty.item_id.clone(),
                subject_kind: subject_kind_code(duty.subject.kind).to_string(),
                subject_id: duty.subject.id,
                period,
                due,
                kind,
                seq,
                round,
            };
            out.push(reminder(evaluation, duty, finding, key, today));
        }
    }
    out
}

/// Which kind of reminder a finding calls for today, if any, and the due
/// date that goes into its key.
fn classify(finding: &Finding, settings: Settings, today: NaiveDate) -> Option<(ReminderKind, Option<NaiveDate>)> {
    match finding.status {
        Status::MissingEvidence => Some((ReminderKind::Evidence, None)),
        Status::Overdue | Status::DueSoon => {
            let due = finding.due?;
            let days_left = (due - today).num_days();
            let kind = match days_left {
                d if d < 0 => ReminderKind::Overdue,
                0 => ReminderKind::OnDay,
                d if d <= i64::from(settings.before_days) => ReminderKind::Before,
                _ => return None,
            };
            Some((kind, Some(due)))
        }
        Status::Pending | Status::Met | Status::Late => None,
    }
}

fn reminder(
    evaluation: &Evaluation,
    duty: &DutyStatus,
    finding: &Finding,
    key: ReminderKey,
    today: NaiveDate,
) -> Reminder {
    let title = match duty.subject.kind {
        AppliesTo::Unit => duty.title.clone(),
        AppliesTo::Branch | AppliesTo::Channel => format!("{}（{}）", duty.title, duty.subject.name),
    };
    let when = match (key.kind, key.due) {
        (ReminderKind::Before, Some(due)) => {
            format!("将于{}到期，还有{}天", chinese_date(due), (due - today).num_days())
        }
        (ReminderKind::OnDay, Some(due)) => format!("今日（{}）到期", chinese_date(due)),
        (ReminderKind::Overdue, Some(due)) => {
            format!("已于{}到期，逾期{}天", chinese_date(due), (today - due).num_days())
        }
        _ => "缺少要求的佐证材料".to_string(),
    };
    let mut recipients: Vec<PersonId> = duty.actors.iter().filter_map(|a| a.person_id).collect();
    recipients.extend_from_slice(&finding.people);
    recipients.sort_unstable();
    recipients.dedup();
    let actors: Vec<String> = duty.actors.iter().map(|a| format!("{}{}", a.role, a.name)).collect();
    let who = if actors.is_empty() { String::new() } else { format!("责任人：{}。", actors.join("、")) };
    let again = if key.round > 0 { "（仍未办结）" } else { "" };
    let message = format!("【{}】{again}{}：{}。{}。{}", evaluation.unit_name, title, when, finding.text, who);
    Reminder { key, title, message: message.trim_end().to_string(), recipients }
}

/// The `item_id` of reminders about the feedback register's time limits.
pub const FEEDBACK_ITEM: &str = "feedback";

/// The `item_id` of reminders that a draft waits for a stage of 三审三校.
pub const DRAFT_ITEM: &str = "draft";

/// The page a reminder opens: the feedback entry, the draft, the
/// assessment, or the duty's own page (for the year of its due date).
pub fn page_of(unit_id: i64, item_id: &str, subject_id: i64, due: Option<chrono::NaiveDate>) -> String {
    use chrono::Datelike;
    match item_id {
        FEEDBACK_ITEM => format!("/feedback/{subject_id}"),
        DRAFT_ITEM => format!("/drafts/{subject_id}"),
        ASSESSMENT_ITEM => format!("/units/{unit_id}/assessment"),
        item => match due {
            Some(d) => format!("/units/{unit_id}/duties/{item}?period={}", d.year()),
            None => format!("/units/{unit_id}/duties/{item}"),
        },
    }
}

/// How long before a feedback time limit the reminder goes out: a quarter
/// of the limit, at least an hour (12 hours before 48, 6 before 24, 1¼ before 5).
fn feedback_lead_minutes(hours: i64) -> i64 {
    (hours * 60 / 4).max(60)
}

/// Reminders for the time limits of one open entry of the public-feedback
/// register (舆情与诉求处置台账): before each limit and once it is passed.
/// `id` is the entry's id; `secretaries` are told of 重大 and 特别重大
/// entries besides the entry's 责任人. Keys work as for duties: the limit's
/// code is the period and the due day is the Beijing date of the limit.
pub fn plan_feedback(
    unit_name: &str,
    id: i64,
    item: &crate::feedback::Feedback,
    limits: &crate::feedback::Limits,
    secretaries: &[PersonId],
    settings: Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Reminder> {
    use crate::feedback::{deadlines, short_summary, DeadlineState, Level};
    let mut recipients = vec![item.owner.id];
    if item.level >= Level::Major {
        recipients.extend_from_slice(secretaries);
    }
    recipients.sort_unstable();
    recipients.dedup();
    let title = format!("舆情与诉求处置（{}）", short_summary(&item.summary));
    deadlines(item, limits, now)
        .into_iter()
        .filter_map(|d| {
            let (kind, round) = match d.state {
                DeadlineState::Due { left_minutes } if left_minutes <= feedback_lead_minutes(d.deadline.hours) => {
                    (ReminderKind::Before, 0)
                }
                DeadlineState::Overdue { by_minutes } => {
                    (ReminderKind::Overdue, settings.overdue_round(by_minutes / (24 * 60)))
                }
                _ => return None,
            };
            let when = match kind {
                ReminderKind::Before => {
                    format!("须于{}前{}", crate::period::shanghai_minute(d.due_at), d.deadline.action)
                }
                _ => format!("发现后{}", d.label()),
            };
            let again = if round > 0 { "（仍未办结）" } else { "" };
            let message = format!(
                "【{unit_name}】{again}{title}：{when}（{}，{}）。责任人：{}。",
                item.level.label(),
                d.label(),
                item.owner.name
            );
            let key = ReminderKey {
                item_id: FEEDBACK_ITEM.into(),
                subject_kind: FEEDBACK_ITEM.into(),
                subject_id: id,
                period: d.deadline.code.into(),
                due: Some(crate::period::shanghai_date(d.due_at)),
                kind,
                seq: 0,
                round,
            };
            Some(Reminder { key, title: title.clone(), message, recipients: recipients.clone() })
        })
        .collect()
}

/// The reminder that a draft waits for its next stage of 三审三校, to the
/// reviewers who may sign that stage now (not those who held another
/// stage of it). Keyed by the draft, the stage and the version, so an edit
/// that clears the sign-offs tells the reviewers again; `None` when the
/// draft waits for no one (approved, published, or stuck).
pub fn plan_draft_review(
    unit_name: &str,
    draft_id: i64,
    title: &str,
    review: &crate::drafts::Review,
    reviewers: &crate::drafts::Reviewers,
) -> Option<Reminder> {
    use crate::drafts::Person;
    if review.published.is_some() {
        return None;
    }
    let stage = review.next_stage()?;
    let mut recipients: Vec<PersonId> = reviewers
        .for_stage(stage)
        .iter()
        .copied()
        .filter(|id| review.may_sign(stage, &Person { id: *id, name: String::new() }, reviewers))
        .collect();
    recipients.sort_unstable();
    recipients.dedup();
    if recipients.is_empty() {
        return None;
    }
    let key = ReminderKey {
        item_id: DRAFT_ITEM.into(),
        subject_kind: DRAFT_ITEM.into(),
        subject_id: draft_id,
        period: stage.code().into(),
        due: None,
        kind: ReminderKind::Waiting,
        seq: review.version,
        round: 0,
    };
    let short = crate::feedback::short_summary(title);
    let message = format!("【{unit_name}】稿件“{short}”（第{}稿）等待{}，请及时审核。", review.version, stage.label());
    Some(Reminder { key, title: format!("稿件待{}（{short}）", stage.label()), message, recipients })
}

/// The `item_id` of reminders about the annual assessment's submission.
pub const ASSESSMENT_ITEM: &str = "assessment";

/// The reminder a unit's self-assessment calls for on `today`, if any: when
/// [`Assessment::gap`](crate::assessment::Assessment::gap) reports that it
/// must be submitted soon, today, or is overdue, or that the superior sent
/// it back. Goes to the group's secretaries (第一责任人), once per kind.
pub fn plan_assessment(
    unit_name: &str,
    assessment: &crate::assessment::Assessment,
    rules: &crate::assessment::Rules,
    secretaries: &[PersonId],
    settings: Settings,
    today: NaiveDate,
) -> Option<Reminder> {
    let (_, text) = assessment.gap(rules, today)?;
    let due = rules.deadline(assessment.year);
    let kind = match (due - today).num_days() {
        d if d < 0 => ReminderKind::Overdue,
        0 => ReminderKind::OnDay,
        _ => ReminderKind::Before,
    };
    let round = if kind == ReminderKind::Overdue { settings.overdue_round((today - due).num_days()) } else { 0 };
    let key = ReminderKey {
        item_id: ASSESSMENT_ITEM.into(),
        subject_kind: subject_kind_code(AppliesTo::Unit).into(),
        subject_id: assessment.unit_id,
        period: assessment.year.to_string(),
        due: Some(due),
        kind,
        seq: 0,
        round,
    };
    let title = format!("{}年度考核自评", assessment.year);
    let mut recipients = secretaries.to_vec();
    recipients.sort_unstable();
    recipients.dedup();
    Some(Reminder { key, title, message: format!("【{unit_name}】{text}。"), recipients })
}

/// At most this many reminders are spelled out in one digest; robots
/// and mail clients cut long messages, and the rest is one click away.
pub const DIGEST_LINES: usize = 20;

/// One message for a unit's robot or mailbox with the reminders of one
/// scan, numbered, the most urgent kinds first.
pub fn digest(unit_name: &str, today: NaiveDate, reminders: &[&Reminder]) -> String {
    let mut sorted: Vec<&&Reminder> = reminders.iter().collect();
    sorted.sort_by_key(|r| (std::cmp::Reverse(r.key.kind), r.key.due));
    let mut text = format!("【台账提醒】{unit_name}（{}）新增提醒{}条：", chinese_date(today), reminders.len());
    for (i, r) in sorted.iter().take(DIGEST_LINES).enumerate() {
        text.push_str(&format!("\n{}. [{}] {}", i + 1, r.key.kind.label(), r.message));
    }
    if reminders.len() > DIGEST_LINES {
        text.push_str(&format!("\n另有{}条，请登录台账系统查看。", reminders.len() - DIGEST_LINES));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Actor, Subject};
    use crate::period::Period;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn finding(status: Status, due: Option<&str>, period: &str, text: &str) -> Finding {
        Finding {
            status,
            text: text.into(),
            period: Some(period.into()),
            records: vec![],
            due: due.map(d),
            people: vec![],
        }
    }

    fn evaluation(findings: Vec<Finding>) -> Evaluation {
        let status = findings.iter().map(|f| f.status).max().unwrap_or(Status::Pending);
        Evaluation {
            unit_id: 2,
            unit_name: "县民政局党组".into(),
            period: Period::year(2026),
            today: d("2026-11-23"),
            duties: vec![DutyStatus {
                item_id: "study".into(),
                title: "中心组学习".into(),
                category: "理论学习".into(),
                points: 10,
                rule: String::new(),
                basis: String::new(),
                subject: Subject { kind: AppliesTo::Unit, id: 2, name: "县民政局党组".into() },
                status,
                reason: String::new(),
                records: vec![],
                findings,
                due: None,
                actors: vec![
                    Actor { role: "第一责任人".into(), person_id: Some(7), name: "王强".into() },
                    Actor { role: "分管领导".into(), person_id: None, name: "未指定".into() },
                    Actor { role: "具体负责".into(), person_id: Some(7), name: "王强".into() },
                ],
            }],
        }
    }

    fn kinds(e: &Evaluation, today: &str, before_days: u32) -> Vec<ReminderKind> {
        plan(e, Settings { before_days, repeat_days: 0 }, d(today)).into_iter().map(|r| r.key.kind).collect()
    }

    #[test]
    fn a_due_soon_finding_is_reminded_only_within_the_lead_days() {
        let e = evaluation(vec![finding(Status::DueSoon, Some("2026-11-30"), "2026Q4", "本季度尚未开展")]);
        assert_eq!(kinds(&e, "2026-11-23", 3), vec![]);
        assert_eq!(kinds(&e, "2026-11-27", 3), vec![ReminderKind::Before]);
        assert_eq!(kinds(&e, "2026-11-23", 7), vec![ReminderKind::Before]);
        assert_eq!(kinds(&e, "2026-11-30", 3), vec![ReminderKind::OnDay]);
    }

    #[test]
    fn without_repeating_an_overdue_finding_gives_one_reminder_whose_key_does_not_change_with_the_day() {
        let e = evaluation(vec![finding(Status::Overdue, Some("2026-09-30"), "2026Q3", "第三季度未开展")]);
        let once = Settings { repeat_days: 0, ..Settings::default() };
        let first = plan(&e, once, d("2026-10-01"));
        let later = plan(&e, once, d("2026-11-23"));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].key.kind, ReminderKind::Overdue);
        assert_eq!(first[0].key, later[0].key, "a rescan on a later day must find the same key");
        assert!(later[0].message.contains("逾期54天"), "{}", later[0].message);
    }

    #[test]
    fn an_overdue_finding_is_reminded_again_each_week_and_rescans_within_a_week_repeat_nothing() {
        let e = evaluation(vec![finding(Status::Overdue, Some("2026-09-30"), "2026Q3", "第三季度未开展")]);
        let weekly = Settings::default();
        assert_eq!(weekly.repeat_days, 7, "weekly unless the unit sets otherwise");
        let key_on = |day: &str| plan(&e, weekly, d(day)).remove(0).key;
        assert_eq!(key_on("2026-10-01"), key_on("2026-10-06"), "days 1–6 overdue: the first reminder");
        assert_eq!(key_on("2026-10-01").round, 0);
        assert_eq!(key_on("2026-10-07").round, 1, "a week overdue: reminded again");
        assert_eq!(key_on("2026-10-07"), key_on("2026-10-13"));
        assert_eq!(key_on("2026-10-14").round, 2);
        let again = plan(&e, weekly, d("2026-10-07")).remove(0);
        assert!(again.message.contains("（仍未办结）"), "{}", again.message);
        assert_eq!(again.key.stored_kind(), "overdue#1");
        assert_eq!(ReminderKey::parse_stored_kind("overdue#1"), Some((ReminderKind::Overdue, 1)));
        assert_eq!(ReminderKey::parse_stored_kind("before"), Some((ReminderKind::Before, 0)));
        assert_eq!(ReminderKey::parse_stored_kind("overdue#x"), None);
    }

    #[test]
    fn met_late_and_pending_findings_are_not_reminded() {
        let e = evaluation(vec![
            finding(Status::Met, Some("2026-11-24"), "2026Q4", "已开展"),
            finding(Status::Late, Some("2026-06-30"), "2026Q2", "逾期完成"),
            finding(Status::Pending, Some("2026-11-24"), "2026Q4", "未到期"),
        ]);
        assert!(plan(&e, Settings::default(), d("2026-11-23")).is_empty());
    }

    #[test]
    fn missing_evidence_is_reminded_once_whatever_its_due_date() {
        let mut e = evaluation(vec![finding(Status::MissingEvidence, Some("2026-11-23"), "2026", "缺少研讨记录")]);
        let a = plan(&e, Settings::default(), d("2026-11-23"));
        e.duties[0].findings[0].due = Some(d("2026-11-24"));
        let b = plan(&e, Settings::default(), d("2026-11-24"));
        assert_eq!(a[0].key.kind, ReminderKind::Evidence);
        assert_eq!(a[0].key, b[0].key);
    }

    #[test]
    fn findings_that_share_a_due_date_get_distinct_keys() {
        let e = evaluation(vec![
            finding(Status::Overdue, Some("2026-10-31"), "2026", "问题一未整改"),
            finding(Status::Overdue, Some("2026-10-31"), "2026", "问题二未整改"),
        ]);
        let r = plan(&e, Settings::default(), d("2026-11-23"));
        assert_eq!(r.len(), 2);
        assert_ne!(r[0].key, r[1].key);
    }

    #[test]
    fn the_message_names_the_unit_duty_reason_and_people_and_recipients_are_distinct_persons() {
        let e = evaluation(vec![finding(Status::DueSoon, Some("2026-11-25"), "2026Q4", "本季度尚未开展")]);
        let r = &plan(&e, Settings::default(), d("2026-11-23"))[0];
        assert_eq!(r.recipients, vec![7]);
        assert_eq!(
            r.message,
            "【县民政局党组】中心组学习：将于2026年11月25日到期，还有2天。本季度尚未开展。\
             责任人：第一责任人王强、分管领导未指定、具体负责王强。"
        );
    }

    #[test]
    fn a_digest_lists_overdue_first_and_cuts_long_lists() {
        let e = evaluation(vec![
            finding(Status::DueSoon, Some("2026-11-25"), "2026Q4", "本季度尚未开展"),
            finding(Status::Overdue, Some("2026-09-30"), "2026Q3", "第三季度未开展"),
        ]);
        let r = plan(&e, Settings::default(), d("2026-11-23"));
        let text = digest("县民政局党组", d("2026-11-23"), &r.iter().collect::<Vec<_>>());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "【台账提醒】县民政局党组（2026年11月23日）新增提醒2条：");
        assert!(lines[1].starts_with("1. [已逾期]"), "{text}");
        assert!(lines[2].starts_with("2. [即将到期]"), "{text}");
        let many: Vec<&Reminder> = std::iter::repeat_n(&r[0], DIGEST_LINES + 3).collect();
        let long = digest("县民政局党组", d("2026-11-23"), &many);
        assert_eq!(long.lines().count(), DIGEST_LINES + 2);
        assert!(long.ends_with("另有3条，请登录台账系统查看。"));
    }

    #[test]
    fn kind_codes_round_trip() {
        for k in [ReminderKind::Before, ReminderKind::OnDay, ReminderKind::Overdue, ReminderKind::Evidence] {
            assert_eq!(ReminderKind::parse(k.code()), Some(k));
        }
        assert_eq!(ReminderKind::parse("weekly"), None);
    }

    mod feedback {
        use super::super::*;
        use crate::drafts::Person;
        use crate::feedback::*;
        use chrono::{DateTime, Duration, TimeZone, Utc};

        /// 2026-11-20 09:30 Beijing plus `minutes`.
        fn t(minutes: i64) -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 11, 20, 1, 30, 0).unwrap() + Duration::minutes(minutes)
        }

        fn entry(level: Level) -> Feedback {
            let staff = |id, name: &str| Person { id, name: name.into() };
            let new = NewFeedback {
                source: Source::checked(SourceKind::Hotline, "12345热线", None).unwrap(),
                summary: "群众反映养老服务补贴发放不及时".into(),
                category: "民生诉求".into(),
                level,
                owner: staff(2, "李红梅"),
                discovered: Step::new(StepKind::Discover, t(0), staff(1, "刘晓雯"), ""),
            };
            Feedback::new(new, t(0)).unwrap()
        }

        fn kinds(item: &Feedback, minutes: i64) -> Vec<(String, ReminderKind)> {
            plan_feedback("县民政局党组", 7, item, &Limits::default(), &[9], Settings::default(), t(minutes))
                .into_iter()
                .map(|r| (r.key.period, r.key.kind))
                .collect()
        }

        #[test]
        fn the_48_hour_limit_is_reminded_12_hours_ahead_and_once_overdue() {
            let item = entry(Level::General);
            assert!(kinds(&item, 35 * 60).is_empty(), "13 hours left: too early");
            assert_eq!(kinds(&item, 36 * 60), [("respond".to_string(), ReminderKind::Before)]);
            let overdue =
                plan_feedback("县民政局党组", 7, &item, &Limits::default(), &[9], Settings::default(), t(50 * 60));
            assert_eq!(overdue.len(), 1);
            assert_eq!(overdue[0].key.kind, ReminderKind::Overdue);
            assert_eq!(overdue[0].recipients, [2], "an ordinary entry goes to its 责任人 only");
            assert!(overdue[0].message.contains("超过48小时未回应（已逾期2小时）"), "{}", overdue[0].message);
            let later =
                plan_feedback("县民政局党组", 7, &item, &Limits::default(), &[9], Settings::default(), t(70 * 60));
            assert_eq!(overdue[0].key, later[0].key, "a rescan finds the same key");
        }

        #[test]
        fn a_major_entry_tells_the_secretary_of_the_5_hour_limit() {
            let item = entry(Level::Major);
            let r = plan_feedback("县民政局党组", 7, &item, &Limits::default(), &[9], Settings::default(), t(4 * 60));
            let codes: Vec<&str> = r.iter().map(|r| r.key.period.as_str()).collect();
            assert_eq!(codes, ["authoritative"], "1¼ hours ahead of the 5-hour limit only");
            assert_eq!(r[0].recipients, [2, 9]);
            assert!(r[0].message.contains("须于2026-11-20 14:30前发布权威信息"), "{}", r[0].message);
        }

        #[test]
        fn a_closed_or_answered_entry_is_not_reminded() {
            let mut item = entry(Level::General);
            let by = Person { id: 2, name: "李红梅".into() };
            item.record(Step::new(StepKind::Verify, t(60), by.clone(), "属实"), t(60)).unwrap();
            item.record(Step::new(StepKind::Handle, t(120), by.clone(), "已发放"), t(120)).unwrap();
            let mut answer = Step::new(StepKind::Respond, t(180), by, "已答复");
            answer.form = Some(ResponseForm::Reply);
            item.record(answer, t(180)).unwrap();
            assert!(kinds(&item, 50 * 60).is_empty());
        }
    }

    mod assessment {
        use super::super::*;
        use crate::assessment::{Assessment, Rules};

        fn d(s: &str) -> NaiveDate {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
        }

        #[test]
        fn a_draft_is_reminded_within_the_window_and_once_overdue() {
            let a = Assessment::new(3, 2026);
            let rules = Rules::default();
            assert_eq!(
                plan_assessment("县残联党组", &a, &rules, &[5], Settings::default(), d("2026-11-23")),
                None,
                "far from 15 January"
            );
            let soon = plan_assessment("县残联党组", &a, &rules, &[5], Settings::default(), d("2027-01-05")).unwrap();
            assert_eq!((soon.key.kind, soon.key.due), (ReminderKind::Before, Some(d("2027-01-15"))));
            assert_eq!(soon.recipients, [5]);
            assert!(
                soon.message.starts_with("【县残联党组】2026年度意识形态工作责任制考核自评须于"),
                "{}",
                soon.message
            );
            let once = Settings { repeat_days: 0, ..Settings::default() };
            let late = plan_assessment("县残联党组", &a, &rules, &[5], once, d("2027-01-20")).unwrap();
            let later = plan_assessment("县残联党组", &a, &rules, &[5], once, d("2027-02-20")).unwrap();
            assert_eq!(late.key.kind, ReminderKind::Overdue);
            assert_eq!(late.key, later.key, "one overdue reminder, whatever the day, when repeating is off");
            let weekly = plan_assessment("县残联党组", &a, &rules, &[5], Settings::default(), d("2027-02-20")).unwrap();
            assert_eq!(weekly.key.round, 5, "36 days overdue: the fifth weekly repetition");
        }
    }
}
