//! The public-feedback register (舆情与诉求处置台账): public opinion and
//! requests about the unit's own work, typed or imported by staff. Pure:
//! the store keeps a [`Feedback`] as JSON; pages and API call these methods.
//!
//! Boundaries: nothing is crawled or monitored; of the people who posted,
//! only the public link is kept.
//!
//! Rules (../shared/reference/duty-rules.md §1D, rows 22–24):
//! - steps happen in order: 发现 → 核实 → 处置 → 回应 → 办结, each at or
//!   after the one before and never in the future; 报告 (to whom) may be
//!   recorded any time after 核实 and before 办结; 回应 and 报告 may repeat
//!   ("keep publishing as work progresses"), the others happen once;
//! - time limits run from discovery ([`Limits`], defaults in
//!   [`DEFAULT_DEADLINES`]): respond within 48 hours; for 重大 and 特别重大
//!   also authoritative information within 5 hours and a press conference
//!   within 24 hours.

use crate::drafts::Person;
use crate::period::{chinese_date, shanghai_date, shanghai_day_start, shanghai_minute, shanghai_offset};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Longest summary and note accepted: a register line, not a report.
const TEXT_MAX_CHARS: usize = 2000;
const SHORT_MAX_CHARS: usize = 200;

crate::coded_enum!(
    /// Where the item came from. An online post is kept only as its public link.
    pub enum SourceKind {
        Online = "online", "网络平台";
        Hotline = "hotline", "热线电话";
        Letter = "letter", "来信";
        Visit = "visit", "来访";
        Media = "media", "媒体报道";
        Other = "other", "其他";
    }
);

crate::coded_enum!(
    /// 一般 / 较大 / 重大 / 特别重大, least to most serious.
    pub enum Level {
        General = "general", "一般";
        Larger = "larger", "较大";
        Major = "major", "重大";
        Grave = "grave", "特别重大";
    }
);

crate::coded_enum!(
    pub enum StepKind {
        Discover = "discover", "发现";
        Verify = "verify", "核实";
        Report = "report", "报告";
        Handle = "handle", "处置";
        Respond = "respond", "回应";
        Close = "close", "办结";
    }
);

crate::coded_enum!(
    /// How a response was made; the 5-hour and 24-hour limits need particular forms.
    pub enum ResponseForm {
        Authoritative = "authoritative", "发布权威信息";
        PressConference = "press_conference", "召开新闻发布会";
        Reply = "reply", "答复诉求人";
        Statement = "statement", "发布情况说明";
    }
);

/// The main chain; 报告 sits beside it.
const CHAIN: [StepKind; 5] =
    [StepKind::Discover, StepKind::Verify, StepKind::Handle, StepKind::Respond, StepKind::Close];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The platform (微博, 12345热线, 人民网留言板…) or other description.
    pub detail: String,
    /// The public link, for online sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One step, with the member of staff who did it (not necessarily the one
/// who typed it in: the audit chain records that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub at: DateTime<Utc>,
    pub by: Person,
    /// 核实结果, 处置措施, 回应内容, 办结评估…
    #[serde(default)]
    pub note: String,
    /// 报告: to whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// 回应: how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<ResponseForm>,
}

impl Step {
    pub fn new(kind: StepKind, at: DateTime<Utc>, by: Person, note: impl Into<String>) -> Step {
        Step { kind, at, by, note: note.into(), to: None, form: None }
    }
}

/// A register entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub source: Source,
    pub summary: String,
    pub category: String,
    pub level: Level,
    /// 责任人: the member of staff who must see it through.
    pub owner: Person,
    /// In the order recorded; the first is always 发现.
    pub steps: Vec<Step>,
}

/// What the duty engine needs of a Party group's register: its entries,
/// the time limits in force and the instant to judge them at (`None`: the
/// end of the evaluation's day, for evaluations of a past day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackData {
    pub entries: Vec<RegisterEntry>,
    pub limits: Limits,
    pub now: Option<DateTime<Utc>>,
}

/// One entry of the register with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEntry {
    pub id: i64,
    pub feedback: Feedback,
}

/// What a new entry needs; `discovered` is its 发现 step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub source: Source,
    pub summary: String,
    pub category: String,
    pub level: Level,
    pub owner: Person,
    pub discovered: Step,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    #[error("请填写{0}")]
    Missing(&'static str),
    #[error("{0}过长（不超过{1}字）")]
    TooLong(&'static str, usize),
    #[error("链接应以 http:// 或 https:// 开头")]
    BadUrl,
    #[error("网络平台来源须填写公开链接")]
    NoUrl,
    #[error("应先完成“{expected}”，才能登记“{step}”")]
    OutOfOrder { step: &'static str, expected: &'static str },
    #[error("“{0}”已登记，不能重复登记")]
    Repeated(&'static str),
    #[error("该事项已办结，不能再登记")]
    Closed,
    #[error("“{step}”的时间不能早于“{before}”的时间（{at}）")]
    BeforePrevious { step: &'static str, before: &'static str, at: String },
    #[error("“{0}”的时间晚于当前时间")]
    InFuture(&'static str),
    #[error("“发现”在新建事项时登记")]
    Discover,
}

/// "Now" for a server whose today is pinned (tests, demos): the pinned
/// date at the real clock's Beijing time of day, so that `now` and
/// `today` always agree. Unpinned, the real instant.
pub fn now_on(today: Option<NaiveDate>, real_now: DateTime<Utc>) -> DateTime<Utc> {
    match today {
        None => real_now,
        Some(date) => {
            let time = real_now.with_timezone(&shanghai_offset()).time();
            shanghai_offset()
                .from_local_datetime(&date.and_time(time))
                .single()
                .expect("fixed offset")
                .with_timezone(&Utc)
        }
    }
}

/// A Beijing time as people write it: "2026-11-20 09:30", "2026-11-20T09:30"
/// (a browser's datetime-local), "2026/11/20 9:30", "2026年11月20日 9:30";
/// seconds are accepted and kept.
pub fn parse_beijing_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    let (date, time) = t.split_once(['T', ' '])?;
    let date = crate::fields::parse_date(date)?;
    let time = time.trim();
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    shanghai_offset().from_local_datetime(&date.and_time(time)).single().map(|d| d.with_timezone(&Utc))
}

/// The form value of an instant for a datetime-local input.
pub fn local_input_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai_offset()).format("%Y-%m-%dT%H:%M").to_string()
}

fn required(text: &str, what: &'static str, max: usize) -> Result<String, FeedbackError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FeedbackError::Missing(what));
    }
    if t.chars().count() > max {
        return Err(FeedbackError::TooLong(what, max));
    }
    Ok(t.to_string())
}

fn optional(text: &str, what: &'static str, max: usize) -> Result<String, FeedbackError> {
    if text.trim().is_empty() {
        Ok(String::new())
    } else {
        required(text, what, max)
    }
}

impl Source {
    /// Trims the text and checks the link: required for online sources.
    pub fn checked(kind: SourceKind, detail: &str, url: Option<&str>) -> Result<Source, FeedbackError> {
        let detail = optional(detail, "来源说明", SHORT_MAX_CHARS)?;
        let url = url.map(str::trim).filter(|u| !u.is_empty());
        if let Some(u) = url {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return Err(FeedbackError::BadUrl);
            }
            optional(u, "链接", TEXT_MAX_CHARS)?;
        }
        if kind == SourceKind::Online && url.is_none() {
            return Err(FeedbackError::NoUrl);
        }
        Ok(Source { kind, detail, url: url.map(Into::into) })
    }

    /// "网络平台（微博）" or "热线电话".
    pub fn label(&self) -> String {
        if self.detail.is_empty() {
            self.kind.label().to_string()
        } else {
            format!("{}（{}）", self.kind.label(), self.detail)
        }
    }
}

/// Where an entry stands: the next step of the main chain, or 已办结.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedbackStatus {
    Awaiting(StepKind),
    Closed,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 5] = [
        FeedbackStatus::Awaiting(StepKind::Verify),
        FeedbackStatus::Awaiting(StepKind::Handle),
        FeedbackStatus::Awaiting(StepKind::Respond),
        FeedbackStatus::Awaiting(StepKind::Close),
        FeedbackStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FeedbackStatus::Awaiting(k) => k.code(),
            FeedbackStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedbackStatus::Awaiting(StepKind::Verify) => "待核实",
            FeedbackStatus::Awaiting(StepKind::Handle) => "待处置",
            FeedbackStatus::Awaiting(StepKind::Respond) => "待回应",
            FeedbackStatus::Awaiting(_) => "待办结",
            FeedbackStatus::Closed => "已办结",
        }
    }
}

impl Feedback {
    pub fn new(new: NewFeedback, now: DateTime<Utc>) -> Result<Feedback, FeedbackError> {
        let mut discovered = new.discovered;
        discovered.kind = StepKind::Discover;
        discovered.note = optional(&discovered.note, "发现情况", TEXT_MAX_CHARS)?;
        if discovered.at > now {
            return Err(FeedbackError::InFuture(StepKind::Discover.label()));
        }
        Ok(Feedback {
            source: new.source,
            summary: required(&new.summary, "内容摘要", TEXT_MAX_CHARS)?,
            category: required(&new.category, "类别", SHORT_MAX_CHARS)?,
            level: new.level,
            owner: new.owner,
            steps: vec![discovered],
        })
    }

    pub fn discovered_at(&self) -> DateTime<Utc> {
        self.steps.first().map(|s| s.at).unwrap_or_default()
    }

    pub fn discoverer(&self) -> Option<&Person> {
        self.steps.first().map(|s| &s.by)
    }

    /// Every recorded step of a kind, in order.
    pub fn steps_of(&self, kind: StepKind) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.kind == kind)
    }

    pub fn first(&self, kind: StepKind) -> Option<&Step> {
        self.steps_of(kind).next()
    }

    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.first(StepKind::Close).map(|s| s.at)
    }

    pub fn status(&self) -> FeedbackStatus {
        match CHAIN.iter().find(|k| self.first(**k).is_none()) {
            Some(k) => FeedbackStatus::Awaiting(*k),
            None => FeedbackStatus::Closed,
        }
    }

    /// The steps that may be recorded now, main chain first.
    pub fn allowed_next(&self) -> Vec<StepKind> {
        let FeedbackStatus::Awaiting(next) = self.status() else { return Vec::new() };
        let mut out = vec![next];
        if next == StepKind::Close {
            out.insert(0, StepKind::Respond);
        }
        if self.first(StepKind::Verify).is_some() {
            out.push(StepKind::Report);
        }
        out
    }

    /// The recorded step a new step of `kind` must not precede in time.
    fn earliest(&self, kind: StepKind) -> Option<&Step> {
        match kind {
            StepKind::Report => self.first(StepKind::Verify),
            StepKind::Close => self.steps.iter().max_by_key(|s| s.at),
            _ => self.steps.iter().filter(|s| s.kind != StepKind::Report).max_by_key(|s| s.at),
        }
    }

    /// Records a step after checking its order, time and text.
    pub fn record(&mut self, mut step: Step, now: DateTime<Utc>) -> Result<(), FeedbackError> {
        let kind = step.kind;
        let status = self.status();
        if status == FeedbackStatus::Closed {
            return Err(FeedbackError::Closed);
        }
        if kind == StepKind::Discover {
            return Err(FeedbackError::Discover);
        }
        if !self.allowed_next().contains(&kind) {
            if self.first(kind).is_some() {
                return Err(FeedbackError::Repeated(kind.label()));
            }
            let expected = match (kind, status) {
                (StepKind::Report, _) => StepKind::Verify,
                (_, FeedbackStatus::Awaiting(next)) => next,
                (_, FeedbackStatus::Closed) => unreachable!("closed is refused above"),
            };
            return Err(FeedbackError::OutOfOrder { step: kind.label(), expected: expected.label() });
        }
        if step.at > now {
            return Err(FeedbackError::InFuture(kind.label()));
        }
        if let Some(before) = self.earliest(kind).filter(|b| b.at > step.at) {
            return Err(FeedbackError::BeforePrevious {
                step: kind.label(),
                before: before.kind.label(),
                at: shanghai_minute(before.at),
            });
        }
        step.note = match kind {
            StepKind::Verify => required(&step.note, "核实情况", TEXT_MAX_CHARS)?,
            StepKind::Handle => required(&step.note, "处置措施", TEXT_MAX_CHARS)?,
            StepKind::Respond => required(&step.note, "回应内容", TEXT_MAX_CHARS)?,
            _ => optional(&step.note, "说明", TEXT_MAX_CHARS)?,
        };
        step.to = match kind {
            StepKind::Report => Some(required(step.to.as_deref().unwrap_or(""), "报告对象", SHORT_MAX_CHARS)?),
            _ => None,
        };
        step.form = match kind {
            StepKind::Respond => Some(step.form.ok_or(FeedbackError::Missing("回应方式"))?),
            _ => None,
        };
        self.steps.push(step);
        Ok(())
    }
}

/// A time limit counted from discovery, for the levels it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub code: &'static str,
    /// What must be done, for sentences: "回应", "发布权威信息".
    pub action: &'static str,
    pub levels: &'static [Level],
    pub hours: i64,
    /// The response forms that meet it; empty = any 回应.
    pub met_by: &'static [ResponseForm],
}

/// The national limits (国办发〔2016〕61号 and its 实施细则).
pub const DEFAULT_DEADLINES: &[Deadline] = &[
    Deadline {
        code: "authoritative",
        action: "发布权威信息",
        levels: &[Level::Major, Level::Grave],
        hours: 5,
        met_by: &[ResponseForm::Authoritative, ResponseForm::PressConference],
    },
    Deadline {
        code: "press_conference",
        action: "召开新闻发布会",
        levels: &[Level::Major, Level::Grave],
        hours: 24,
        met_by: &[ResponseForm::PressConference],
    },
    Deadline { code: "respond", action: "回应", levels: &Level::ALL, hours: 48, met_by: &[] },
];

/// The time limits in force: the defaults unless a deployment sets others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub deadlines: Vec<Deadline>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { deadlines: DEFAULT_DEADLINES.to_vec() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeadlineState {
    /// Done; `late_by` is zero when on time.
    Met { at: DateTime<Utc>, late_minutes: i64 },
    /// Open and not yet due.
    Due { left_minutes: i64 },
    /// Open and past due.
    Overdue { by_minutes: i64 },
    /// Closed without it.
    Missed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineStatus<'a> {
    pub deadline: &'a Deadline,
    pub due_at: DateTime<Utc>,
    #[serde(flatten)]
    pub state: DeadlineState,
}

impl DeadlineStatus<'_> {
    pub fn is_overdue(&self) -> bool {
        matches!(self.state, DeadlineState::Overdue { .. })
    }

    /// Short words for a table cell: 已回应, 逾期6小时回应, 剩余3小时, 已逾期1天6小时, 未发布权威信息.
    pub fn label(&self) -> String {
        let action = self.deadline.action;
        match self.state {
            DeadlineState::Met { late_minutes: 0, .. } => format!("已按时{action}"),
            DeadlineState::Met { late_minutes, .. } => format!("逾期{}{action}", duration_text(late_minutes)),
            DeadlineState::Due { left_minutes } => format!("{action}剩余{}", duration_text(left_minutes)),
            DeadlineState::Overdue { by_minutes } => {
                format!("超过{}小时未{action}（已逾期{}）", self.deadline.hours, duration_text(by_minutes))
            }
            DeadlineState::Missed => format!("未{action}"),
        }
    }

    /// CSS class shared with the duty statuses.
    pub fn class(&self) -> &'static str {
        match self.state {
            DeadlineState::Met { late_minutes: 0, .. } => "s-met",
            DeadlineState::Met { .. } => "s-late",
            DeadlineState::Due { .. } => "s-due_soon",
            DeadlineState::Overdue { .. } | DeadlineState::Missed => "s-overdue",
        }
    }
}

/// "45分钟", "6小时", "1天6小时", "3天".
pub fn duration_text(minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (days, hours) = (minutes / (24 * 60), minutes % (24 * 60) / 60);
    match (days, hours) {
        (0, 0) => format!("{}分钟", minutes),
        (0, h) => format!("{h}小时"),
        (d, 0) => format!("{d}天"),
        (d, h) => format!("{d}天{h}小时"),
    }
}

fn whole_minutes(d: Duration) -> i64 {
    d.num_minutes()
}

/// The deadlines that apply to an entry and where each stands at `now`.
/// At the due instant itself a deadline is still due, not overdue; a step
/// at the due instant is on time.
pub fn deadlines<'a>(item: &Feedback, limits: &'a Limits, now: DateTime<Utc>) -> Vec<DeadlineStatus<'a>> {
    let discovered = item.discovered_at();
    let closed = item.closed_at();
    limits
        .deadlines
        .iter()
        .filter(|d| d.levels.contains(&item.level))
        .map(|d| {
            let due_at = discovered + Duration::hours(d.hours);
            let met = item
                .steps_of(StepKind::Respond)
                .find(|s| d.met_by.is_empty() || s.form.is_some_and(|f| d.met_by.contains(&f)));
            let state = match (met, closed) {
                (Some(s), _) => DeadlineState::Met { at: s.at, late_minutes: whole_minutes(s.at - due_at).max(0) },
                (None, Some(_)) => DeadlineState::Missed,
                (None, None) if now <= due_at => DeadlineState::Due { left_minutes: whole_minutes(due_at - now) },
                (None, None) => DeadlineState::Overdue { by_minutes: whole_minutes(now - due_at) },
            };
            DeadlineStatus { deadline: d, due_at, state }
        })
        .collect()
}

/// A summary short enough for a sentence.
pub fn short_summary(summary: &str) -> String {
    const MAX: usize = 24;
    let chars: Vec<char> = summary.chars().collect();
    if chars.len() <= MAX {
        summary.to_string()
    } else {
        format!("{}…", chars[..MAX].iter().collect::<String>())
    }
}

/// "“某某”2026年11月20日发现，超过48小时未回应（已逾期6小时）".
pub fn overdue_reason(item: &Feedback, status: &DeadlineStatus) -> String {
    format!(
        "“{}”{}发现，{}",
        short_summary(&item.summary),
        chinese_date(shanghai_date(item.discovered_at())),
        status.label()
    )
}

/// Whether a deadline of the entry was past due and unmet at some moment
/// in `[from, to)` (and before `now`).
pub fn overdue_during(
    item: &Feedback,
    limits: &Limits,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let end = to.min(now);
    deadlines(item, limits, now).iter().any(|d| {
        let resolved = match d.state {
            DeadlineState::Met { at, .. } => Some(at),
            DeadlineState::Missed => item.closed_at(),
            _ => None,
        };
        d.due_at < end && resolved.is_none_or(|at| at > d.due_at && at > from)
    })
}

/// The Monday of an ISO week written "2026-W47".
pub fn parse_week(text: &str) -> Option<NaiveDate> {
    let (year, week) = text.trim().split_once("-W").or_else(|| text.trim().split_once("-w"))?;
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, chrono::Weekday::Mon)
}

/// "2026-W47" for the week containing `date`.
pub fn week_code(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// A week's numbers. An entry belongs to the week when it was open at some
/// time in it: discovered before the week ended and not closed before it began.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Weekly {
    /// Indexes into the entries given, in their order.
    pub items: Vec<usize>,
    pub new: usize,
    pub closed: usize,
    pub overdue: usize,
    pub by_level: Vec<(Level, usize)>,
    pub by_category: Vec<(String, usize)>,
}

pub fn weekly(items: &[&Feedback], limits: &Limits, monday: NaiveDate, now: DateTime<Utc>) -> Weekly {
    let (from, to) = (shanghai_day_start(monday), shanghai_day_start(monday + Duration::days(7)));
    let within = |at: DateTime<Utc>| at >= from && at < to;
    let mut w = Weekly::default();
    for (i, item) in items.iter().enumerate() {
        if item.discovered_at() >= to || item.closed_at().is_some_and(|c| c < from) {
            continue;
        }
        w.items.push(i);
        w.new += usize::from(within(item.discovered_at()));
        w.closed += usize::from(item.closed_at().is_some_and(within));
        w.overdue += usize::from(overdue_during(item, limits, from, to, now));
        match w.by_category.iter_mut().find(|(c, _)| *c == item.category) {
            Some((_, n)) => *n += 1,
            None => w.by_category.push((item.category.clone(), 1)),
        }
    }
    w.by_level = Level::ALL.iter().map(|l| (*l, w.items.iter().filter(|i| items[**i].level == *l).count())).collect();
    w.by_category.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    w
}

mod entry;
pub mod import;

pub use entry::{FeedbackInput, FIELDS};

#[cfg(test)]
mod tests;
