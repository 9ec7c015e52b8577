//! The duty engine: duty list × records × unit × period × today → a status
//! with a reason for every duty. Pure and deterministic: no clock, no I/O.
//!
//! Each rule type lives in its own module and turns the records of one
//! subject (the unit, a branch or a channel) into [`Finding`]s, one per
//! sub-period or gap; [`evaluate`] folds them into a [`DutyStatus`].

mod actors;
mod count;
mod deadline;
mod event_filing;
mod every;
pub mod evidence;
mod feedback;
mod freshness;
mod news;
mod rectification;
mod rollup;

pub use rollup::{categories, combine, rollup, totals, CategoryCell, RollupRow};

use crate::duty::{AppliesTo, DutyItem, Rule};
use crate::org::{Person, PersonId, Role, Unit, UnitId};
use crate::period::{short_date, Period};
use crate::record::{Record, RecordId, RecordKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The status of a duty, ordered from least to most urgent, so that the
/// status of a duty with several findings is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing is due yet.
    Pending,
    Met,
    /// Done, but after the deadline: stays visible.
    Late,
    DueSoon,
    /// Done, but a counted record lacks the evidence the duty requires.
    MissingEvidence,
    Overdue,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Overdue, Status::MissingEvidence, Status::DueSoon, Status::Late, Status::Met, Status::Pending];

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "未到期",
            Status::Met => "已完成",
            Status::Late => "逾期完成",
            Status::DueSoon => "即将到期",
            Status::MissingEvidence => "缺少佐证",
            Status::Overdue => "已逾期",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Met => "met",
            Status::Late => "late",
            Status::DueSoon => "due_soon",
            Status::MissingEvidence => "missing_evidence",
            Status::Overdue => "overdue",
        }
    }

    /// Whether someone must act now.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Overdue | Status::DueSoon | Status::MissingEvidence)
    }

    /// Whether it is a problem to state in a report (open, or done late).
    pub fn is_problem(self) -> bool {
        self.is_open() || self == Status::Late
    }
}

/// A publishing channel of a unit (website column, WeChat account, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: i64,
    pub unit_id: UnitId,
    pub name: String,
    pub kind: String,
    pub owner: Option<PersonId>,
}

/// Everything the engine needs about one Party group.
#[derive(Debug, Clone, Copy)]
pub struct UnitContext<'a> {
    pub unit: &'a Unit,
    pub branches: &'a [Unit],
    pub departments: &'a [Unit],
    pub channels: &'a [Channel],
    pub people: &'a [Person],
    pub roles: &'a [Role],
    /// Records of the unit and of every unit below it.
    pub records: &'a [Record],
    /// Problems found by inspections, with their rectification.
    pub rectifications: &'a [crate::rectification::Rectification],
    /// 信息报送: submissions, quotas and information officers.
    pub news: &'a crate::news::NewsData,
    /// The public-feedback register (舆情与诉求) with its time limits.
    pub feedback: &'a crate::feedback::FeedbackData,
}

/// What a duty was evaluated for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: AppliesTo,
    pub id: i64,
    pub name: String,
}

/// A record the engine looked at, as shown in reasons and pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    pub id: RecordId,
    pub date: NaiveDate,
    pub title: String,
}

/// A person who must act on an open duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The role as people say it: 第一责任人, 分管领导（办公室）.
    pub role: String,
    pub person_id: Option<PersonId>,
    /// The person's name, or 未指定 when no one holds the role.
    pub name: String,
}

/// One observation about one sub-period or gap, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub status: Status,
    /// A complete Chinese sentence without final punctuation, usable as-is
    /// in reasons and reports: 2026年3月未召开支委会.
    pub text: String,
    pub period: Option<String>,
    pub records: Vec<RecordRef>,
    pub due: Option<NaiveDate>,
    /// Besides the duty's actors, the people this finding is about and who
    /// must act on it: a problem's 责任人, a department's information
    /// officers and its leader. Reminders go to them too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyStatus {
    pub item_id: String,
    pub title: String,
    pub category: String,
    pub points: u32,
    pub rule: String,
    pub basis: String,
    pub subject: Subject,
    pub status: Status,
    /// Why: the findings that set the status, and the records counted.
    pub reason: String,
    /// Records counted toward the duty in the period.
    pub records: Vec<RecordRef>,
    pub findings: Vec<Finding>,
    /// The nearest open deadline, if any.
    pub due: Option<NaiveDate>,
    /// Who must act (empty when nothing is open).
    pub actors: Vec<Actor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub period: Period,
    pub today: NaiveDate,
    pub duties: Vec<DutyStatus>,
}

impl Evaluation {
    /// Duties someone must act on now, most urgent first.
    pub fn open(&self) -> Vec<&DutyStatus> {
        let mut open: Vec<_> = self.duties.iter().filter(|d| d.status.is_open()).collect();
        open.sort_by(|a, b| b.status.cmp(&a.status).then(a.due.cmp(&b.due)));
        open
    }

    pub fn count(&self, status: Status) -> usize {
        self.duties.iter().filter(|d| d.status == status).count()
    }
}

/// Inputs shared by every rule evaluation for one subject.
pub(crate) struct Scope<'a> {
    pub item: &'a DutyItem,
    pub period: Period,
    pub today: NaiveDate,
    /// The subject's records of the rule's kind, sorted by date.
    pub records: Vec<&'a Record>,
    pub secretary: Option<&'a str>,
    pub subject_name: &'a str,
}

impl Scope<'_> {
    /// The subject's name before a sentence about a branch or a channel;
    /// nothing for the unit itself, which the reader already knows.
    pub fn prefix(&self) -> String {
        match self.item.applies_to {
            AppliesTo::Unit => String::new(),
            AppliesTo::Branch | AppliesTo::Channel => self.subject_name.to_string(),
        }
    }

    pub fn remind_days(&self) -> i64 {
        i64::from(self.item.remind_days.unwrap_or(7))
    }

    /// A finding about the whole period that counts no record and has no
    /// due date of its own: 本期没有需要整改的问题, 尚未设定信息报送定额.
    pub fn note(&self, status: Status, text: String) -> Finding {
        Finding { status, text, period: Some(self.period.code()), records: vec![], due: None, people: vec![] }
    }
}

pub(crate) fn record_ref(r: &Record) -> RecordRef {
    RecordRef { id: r.id, date: r.occurred_on, title: r.data.title() }
}

/// 3月5日、8月20日 — the dates of records, for reasons.
pub(crate) fn dates_of(records: &[RecordRef]) -> String {
    records.iter().map(|r| short_date(r.date)).collect::<Vec<_>>().join("、")
}

/// Evaluates every duty of `items` for one Party group.
pub fn evaluate(items: &[DutyItem], ctx: &UnitContext, period: Period, today: NaiveDate) -> Evaluation {
    let secretary = actors::secretary_of(ctx);
    let by_kind = index_by_kind(ctx.records);
    let mut duties = Vec::new();
    for item in items {
        let of_kind = item.rule.record_kind().and_then(|k| by_kind.get(&k)).map(Vec::as_slice).unwrap_or(&[]);
        for subject in subjects(item, ctx) {
            let records = records_for(of_kind, &subject);
            let scope = Scope {
                item,
                period,
                today,
                records,
                secretary: secretary.map(|p| p.name.as_str()),
                subject_name: &subject.name,
            };
            let (findings, counted) = match &item.rule {
                Rule::Count { .. } => count::evaluate(&scope),
                Rule::Deadline { .. } => deadline::evaluate(&scope),
                Rule::Freshness { .. } => freshness::evaluate(&scope),
                Rule::Every { .. } => every::evaluate(&scope),
                Rule::Rectification {} => rectification::evaluate(&scope, ctx.rectifications, ctx.people),
                Rule::NewsQuota {} => news::evaluate(&scope, ctx.news, ctx.departments, ctx.people, ctx.roles),
                Rule::EventFiling {} => event_filing::evaluate(&scope),
                Rule::Feedback {} => feedback::evaluate(&scope, ctx.feedback),
            };
            duties.push(fold(item, subject, findings, counted, ctx));
        }
    }
    Evaluation { unit_id: ctx.unit.id, unit_name: ctx.unit.name.clone(), period, today, duties }
}

/// Evaluates many Party groups, spread over the available cores. The
/// result is in the order of `contexts`, whatever the thread count.
pub fn evaluate_many(
    items: &[DutyItem],
    contexts: &[UnitContext],
    period: Period,
    today: NaiveDate,
) -> Vec<Evaluation> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1);
    let chunk = contexts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = contexts
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|c| evaluate(items, c, period, today)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("engine thread panicked")).collect()
    })
}

fn subjects(item: &DutyItem, ctx: &UnitContext) -> Vec<Subject> {
    let kind = item.applies_to;
    let unit = |u: &Unit| Subject { kind, id: u.id, name: u.name.clone() };
    match kind {
        AppliesTo::Unit => vec![unit(ctx.unit)],
        AppliesTo::Branch => ctx.branches.iter().map(unit).collect(),
        AppliesTo::Channel => ctx
            .channels
            .iter()
            .filter(|c| item.channel_kinds.is_empty() || item.channel_kinds.contains(&c.kind))
            .map(|c| Subject { kind, id: c.id, name: c.name.clone() })
            .collect(),
    }
}

/// The unit's records grouped by kind, each group sorted by date, so that
/// every duty scans only its own kind.
fn index_by_kind(records: &[Record]) -> HashMap<RecordKind, Vec<&Record>> {
    let mut map: HashMap<RecordKind, Vec<&Record>> = HashMap::new();
    for r in records {
        map.entry(r.kind()).or_default().push(r);
    }
    for list in map.values_mut() {
        list.sort_by_key(|r| (r.occurred_on, r.id));
    }
    map
}

/// The records a duty looks at for one subject: for a branch its own
/// records, for a channel the records about that channel.
fn records_for<'a>(of_kind: &[&'a Record], subject: &Subject) -> Vec<&'a Record> {
    of_kind
        .iter()
        .copied()
        .filter(|r| match (subject.kind, &r.data) {
            (AppliesTo::Unit, _) => true,
            (AppliesTo::Branch, _) => r.unit_id == subject.id,
            (AppliesTo::Channel, data) => data.channel_id() == Some(subject.id),
        })
        .collect()
}

fn fold(
    item: &DutyItem,
    subject: Subject,
    findings: Vec<Finding>,
    counted: Vec<RecordRef>,
    ctx: &UnitContext,
) -> DutyStatus {
    let status = findings.iter().map(|f| f.status).max().unwrap_or(Status::Pending);
    let due = findings.iter().filter(|f| f.status.is_open()).filter_map(|f| f.due).min();
    // Named for open items (who must act) and late ones (who answers for it).
    let actors = if status.is_problem() { actors::resolve(item, &subject, ctx) } else { Vec::new() };
    let reason = reason_text(status, &findings, &counted);
    DutyStatus {
        item_id: item.id.clone(),
        title: item.title.clone(),
        category: item.category.clone(),
        points: item.points,
        rule: item.rule.describe(),
        basis: item.basis.clone(),
        subject,
        status,
        reason,
        records: counted,
        findings,
        due,
        actors,
    }
}

/// The reason: the findings as bad as the status first, then the rest of
/// what is wrong, each once.
fn reason_text(status: Status, findings: &[Finding], counted: &[RecordRef]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.status));
    for f in ordered {
        let keep = f.status == status || f.status.is_problem();
        if keep && !parts.contains(&f.text.as_str()) {
            parts.push(&f.text);
        }
    }
    if parts.is_empty() && counted.is_empty() {
        return "本期尚无需要完成的事项".into();
    }
    if parts.is_empty() {
        return format!("已记录{}次（{}）", counted.len(), dates_of(counted));
    }
    // Many met periods say the same thing: summarise them in one sentence.
    if status == Status::Met && parts.len() > 2 {
        if counted.is_empty() {
            // Rules over other data than records (quotas, problems) count none.
            return format!("{}项均达到要求", parts.len());
        }
        let last = counted.iter().map(|r| r.date).max();
        let latest = last.map(|d| format!("，最近一次为{}", crate::period::chinese_date(d))).unwrap_or_default();
        return format!("{}个期间均达到要求，共计入{}条记录{latest}", parts.len(), counted.len());
    }
    parts.join("；")
}

#[cfg(test)]
pub(crate) mod tests;
