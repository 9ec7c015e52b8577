//! 信息报送 (news submissions): what a unit's departments send to the
//! information desks of Party committees and governments, newspapers and
//! platforms, and what those adopt (录用). Each department has information
//! officers (信息员); quotas (定额) say how many submissions or adoptions a
//! department, or the whole unit, owes per month, quarter or year.
//!
//! Pure: the store keeps the rows; [`progress`] judges one quota over one
//! period (the engine's `news_quota` rule and the statistics page both use
//! it); [`stats`] counts a period by level and department and words the
//! sentence offices report; [`import`] reads a CSV of submissions.

pub mod import;
pub mod stats;

use crate::coded::Coded;
use crate::engine::Status;
use crate::org::{PersonId, UnitId};
use crate::period::{short_date, Cadence, Period};
use crate::register::{field, FieldKind::*, Reader, Register, RegisterField, Writer};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// The level of the outlet that adopted (or is sent) a submission;
    /// 国家/省/市/县 without 级 parse too.
    pub enum Level {
        National = "national", "国家级" | "国家";
        Provincial = "provincial", "省级" | "省";
        Municipal = "municipal", "市级" | "市";
        County = "county", "县级" | "县";
    }
);

impl Level {
    /// The position in [`Level::ALL`], for per-level counts.
    pub fn index(self) -> usize {
        self as usize
    }
}

crate::coded_enum!(
    /// What a quota counts: 报送 / 录用.
    pub enum Measure {
        /// Submissions sent (报送), by the date sent.
        Submitted = "submitted", "报送";
        /// Submissions adopted (录用), by the date adopted.
        Adopted = "adopted", "录用";
    }
);

/// One piece of information sent to an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: i64,
    /// The Party group the submission belongs to.
    pub unit_id: UnitId,
    /// The department that wrote it (or the Party group itself).
    pub department_id: UnitId,
    pub title: String,
    /// Staff of the unit who wrote it.
    pub authors: Vec<PersonId>,
    /// Where it was sent: 刊物、媒体或平台, e.g. 县委办《每日要情》.
    pub outlet: String,
    pub level: Level,
    pub submitted_on: NaiveDate,
    /// The date the outlet adopted (published) it.
    pub adopted_on: Option<NaiveDate>,
    /// 期号 or link of the adoption.
    pub issue: String,
}

/// Longest title and outlet accepted, in characters.
const TITLE_MAX: usize = 200;
const OUTLET_MAX: usize = 100;

/// A submission's plain fields as entered. The authors are not a plain
/// field: they keep their own column (a list of people) and their own
/// import column (names separated by 、).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionInput {
    pub title: String,
    pub department_id: UnitId,
    pub outlet: String,
    pub level: Level,
    pub submitted_on: NaiveDate,
    pub adopted_on: Option<NaiveDate>,
    #[serde(default)]
    pub issue: String,
}

/// The plain fields of a submission; the labels are the import's headers.
pub const FIELDS: &[RegisterField] = &[
    field("title", "标题", Text).required().max(TITLE_MAX).prompt("信息标题"),
    field("department_id", "科室", Number).required().prompt("报送科室"),
    field("outlet", "刊物", Text).required().max(OUTLET_MAX).prompt("报送刊物（媒体/平台）"),
    field("level", "级别", Choice(Level::choices)).required(),
    field("submitted_on", "报送日期", Date).required(),
    field("adopted_on", "录用日期", Date).prompt("录用日期（未录用留空）"),
    field("issue", "期号或链接", Text).prompt("期号或链接（录用后填写）"),
];

impl Register for SubmissionInput {
    const NAME: &'static str = "NewsSubmissionInput";
    const FIELDS: &'static [RegisterField] = FIELDS;

    fn read(r: &mut Reader) -> Self {
        SubmissionInput {
            title: r.get("title"),
            department_id: r.get("department_id"),
            outlet: r.get("outlet"),
            level: r.get("level"),
            submitted_on: r.get("submitted_on"),
            adopted_on: r.get("adopted_on"),
            issue: r.get("issue"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.put("title", &self.title);
        w.put("department_id", &self.department_id);
        w.put("outlet", &self.outlet);
        w.put("level", &self.level);
        w.put("submitted_on", &self.submitted_on);
        w.put("adopted_on", &self.adopted_on);
        w.put("issue", &self.issue);
    }
}

impl Default for SubmissionInput {
    fn default() -> Self {
        SubmissionInput::blank()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewsError {
    #[error("请填写信息标题")]
    NoTitle,
    #[error("信息标题不能超过200字")]
    TitleTooLong,
    #[error("请填写报送的刊物、媒体或平台")]
    NoOutlet,
    #[error("刊物、媒体或平台名称不能超过100字")]
    OutletTooLong,
    #[error("报送日期不能晚于今天")]
    SubmittedInFuture,
    #[error("录用日期不能早于报送日期，也不能晚于今天")]
    BadAdoptedDate,
    #[error("尚未录用的信息不能填写刊发期号或链接")]
    IssueWithoutAdoption,
    #[error("定额须为1至1000篇")]
    BadTarget,
}

impl Submission {
    /// A new submission of the Party group `unit_id` by `authors`.
    pub fn new(unit_id: UnitId, authors: Vec<PersonId>, input: SubmissionInput) -> Submission {
        Submission {
            id: 0,
            unit_id,
            department_id: input.department_id,
            title: input.title,
            authors,
            outlet: input.outlet,
            level: input.level,
            submitted_on: input.submitted_on,
            adopted_on: input.adopted_on,
            issue: input.issue,
        }
    }

    /// The submission's plain fields, as the schema has them.
    pub fn input(&self) -> SubmissionInput {
        SubmissionInput {
            title: self.title.clone(),
            department_id: self.department_id,
            outlet: self.outlet.clone(),
            level: self.level,
            submitted_on: self.submitted_on,
            adopted_on: self.adopted_on,
            issue: self.issue.clone(),
        }
    }

    /// Checks a new or edited submission as of `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<(), NewsError> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(NewsError::NoTitle);
        }
        if title.chars().count() > TITLE_MAX {
            return Err(NewsError::TitleTooLong);
        }
        let outlet = self.outlet.trim();
        if outlet.is_empty() {
            return Err(NewsError::NoOutlet);
        }
        if outlet.chars().count() > OUTLET_MAX {
            return Err(NewsError::OutletTooLong);
        }
        if self.submitted_on > today {
            return Err(NewsError::SubmittedInFuture);
        }
        match self.adopted_on {
            Some(on) if on < self.submitted_on || on > today => Err(NewsError::BadAdoptedDate),
            None if !self.issue.trim().is_empty() => Err(NewsError::IssueWithoutAdoption),
            _ => Ok(()),
        }
    }

    /// Records the adoption (录用) on `on`, with the 期号 or link.
    pub fn adopt(&mut self, on: NaiveDate, issue: &str, today: NaiveDate) -> Result<(), NewsError> {
        self.adopted_on = Some(on);
        self.issue = issue.trim().to_string();
        self.validate(today)
    }

    /// The date that counts for a measure, if any.
    pub fn date_of(&self, measure: Measure) -> Option<NaiveDate> {
        match measure {
            Measure::Submitted => Some(self.submitted_on),
            Measure::Adopted => self.adopted_on,
        }
    }

    /// 已录用 / 未录用.
    pub fn state_label(&self) -> &'static str {
        if self.adopted_on.is_some() {
            "已录用"
        } else {
            "未录用"
        }
    }
}

/// How many submissions or adoptions a department (or the whole unit)
/// owes per period of a cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub id: i64,
    /// The Party group.
    pub unit_id: UnitId,
    /// `None`: the whole unit.
    pub department_id: Option<UnitId>,
    pub cadence: Cadence,
    pub measure: Measure,
    pub target: u32,
}

/// Fewest and most submissions a quota may ask for.
const TARGET_MIN: i64 = 1;
const TARGET_MAX: i64 = 1000;

/// A quota as entered: its department (none for the whole unit), cadence,
/// measure and target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaInput {
    /// `None`: the whole unit.
    pub department_id: Option<UnitId>,
    pub cadence: Cadence,
    pub measure: Measure,
    pub target: u32,
}

/// The fields of a quota, in the order of the form.
pub const QUOTA_FIELDS: &[RegisterField] = &[
    field("department_id", "科室", Number),
    field("cadence", "周期", Choice(Cadence::choices)).required(),
    field("measure", "口径", Choice(Measure::choices)).required(),
    field("target", "定额", Number).required().range(TARGET_MIN, TARGET_MAX).prompt("定额（篇）"),
];

impl Register for QuotaInput {
    const NAME: &'static str = "NewsQuotaInput";
    const FIELDS: &'static [RegisterField] = QUOTA_FIELDS;

    fn read(r: &mut Reader) -> Self {
        QuotaInput {
            department_id: r.get("department_id"),
            cadence: r.get("cadence"),
            measure: r.get("measure"),
            target: r.get("target"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.put("department_id", &self.department_id);
        w.put("cadence", &self.cadence);
        w.put("measure", &self.measure);
        w.put("target", &self.target);
    }
}

impl Default for QuotaInput {
    fn default() -> Self {
        QuotaInput::blank()
    }
}

impl Quota {
    /// A new quota of the Party group `unit_id`.
    pub fn new(unit_id: UnitId, input: QuotaInput) -> Quota {
        let QuotaInput { department_id, cadence, measure, target } = input;
        Quota { id: 0, unit_id, department_id, cadence, measure, target }
    }

    /// The quota's fields, as the schema has them.
    pub fn input(&self) -> QuotaInput {
        QuotaInput {
            department_id: self.department_id,
            cadence: self.cadence,
            measure: self.measure,
            target: self.target,
        }
    }

    pub fn validate(&self) -> Result<(), NewsError> {
        if (TARGET_MIN..=TARGET_MAX).contains(&i64::from(self.target)) {
            Ok(())
        } else {
            Err(NewsError::BadTarget)
        }
    }

    /// Whether a submission counts for this quota's department.
    pub fn covers(&self, s: &Submission) -> bool {
        self.department_id.is_none_or(|d| d == s.department_id)
    }

    /// 每季度录用信息不少于2篇.
    pub fn describe(&self) -> String {
        format!("{}{}信息不少于{}篇", self.cadence.label(), self.measure.label(), self.target)
    }
}

/// An information officer (信息员) of a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub department_id: UnitId,
    pub person_id: PersonId,
}

/// A Party group's news data, as the engine and the pages take it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsData {
    pub submissions: Vec<Submission>,
    pub quotas: Vec<Quota>,
    pub officers: Vec<Officer>,
}

/// How many submissions count for `quota` in `period`, as things stood on
/// `as_of`.
pub fn count(quota: &Quota, submissions: &[Submission], period: Period, as_of: NaiveDate) -> u32 {
    let counts =
        |s: &&Submission| quota.covers(s) && s.date_of(quota.measure).is_some_and(|d| period.contains(d) && d <= as_of);
    submissions.iter().filter(counts).count() as u32
}

/// Where one quota stands for one period on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub period: Period,
    pub done: u32,
    pub target: u32,
    pub status: Status,
    /// A sentence without final punctuation, naming `subject`, the count
    /// and the quota: 办公室2026年第3季度录用信息2篇，少于定额5篇.
    pub text: String,
    /// The period's last day while the quota is still open.
    pub due: Option<NaiveDate>,
}

impl Progress {
    /// How many are still missing.
    pub fn shortfall(&self) -> u32 {
        self.target.saturating_sub(self.done)
    }
}

/// Judges `quota` for `period` on `as_of`: met once the count reaches the
/// quota; overdue when the period ended short; due soon when it is short
/// with `remind_days` or fewer left; otherwise pending. `subject` names
/// the department (or 全单位) in the sentence.
pub fn progress(
    quota: &Quota,
    subject: &str,
    submissions: &[Submission],
    period: Period,
    as_of: NaiveDate,
    remind_days: i64,
) -> Progress {
    let done = count(quota, submissions, period, as_of);
    let target = quota.target;
    let (label, verb, end) = (period.label(), quota.measure.label(), period.last_day());
    let (status, text, due) = if done >= target {
        (Status::Met, format!("{subject}{label}{verb}信息{done}篇，达到定额{target}篇"), None)
    } else if as_of > end {
        // Overdue since the period's end: the date reminders count from.
        (Status::Overdue, format!("{subject}{label}{verb}信息{done}篇，少于定额{target}篇"), Some(end))
    } else if as_of < period.first_day() {
        (Status::Pending, format!("{subject}{label}{verb}信息定额{target}篇，尚未开始"), Some(end))
    } else {
        let left = (end - as_of).num_days();
        let missing = target - done;
        if left <= remind_days {
            let text = format!(
                "{subject}{label}已{verb}信息{done}篇，距定额{target}篇还差{missing}篇，{}前完成（剩{left}天）",
                short_date(end)
            );
            (Status::DueSoon, text, Some(end))
        } else {
            let text = format!("{subject}{label}已{verb}信息{done}篇，定额{target}篇，{}前完成", short_date(end));
            (Status::Pending, text, Some(end))
        }
    };
    Progress { period, done, target, status, text, due }
}

/// The name of a quota's subject: the department's, or 全单位.
pub fn subject_name(department: Option<&str>) -> String {
    department.map(str::to_string).unwrap_or_else(|| "全单位".into())
}

/// One quota in one period, with its subject's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaLine<'a> {
    pub subject: String,
    pub quota: &'a Quota,
    pub progress: Progress,
}

/// Every quota of `news` in every period of its cadence that overlaps
/// `period`, judged on `today`. A cadence longer than the period (a yearly
/// quota in a half-year) is judged as it stood at the period's end, as the
/// engine's counts are. `department` names a department by id.
pub fn progress_over<'a>(
    news: &'a NewsData,
    department: impl Fn(UnitId) -> Option<String>,
    period: Period,
    today: NaiveDate,
    remind_days: i64,
) -> Vec<QuotaLine<'a>> {
    let end = period.last_day();
    let mut lines = Vec::new();
    for quota in &news.quotas {
        let subject = subject_name(quota.department_id.and_then(&department).as_deref());
        for sub in period.split(quota.cadence) {
            let as_of = if sub.last_day() > end { today.min(end) } else { today };
            let progress = progress(quota, &subject, &news.submissions, sub, as_of, remind_days);
            lines.push(QuotaLine { subject: subject.clone(), quota, progress });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    pub(crate) fn submission(id: i64, dept: UnitId, on: NaiveDate, adopted: Option<NaiveDate>) -> Submission {
        Submission {
            id,
            unit_id: 1,
            department_id: dept,
            title: format!("信息{id}"),
            authors: vec![],
            outlet: "县委办《每日要情》".into(),
            level: Level::County,
            submitted_on: on,
            adopted_on: adopted,
            issue: String::new(),
        }
    }

    fn quota(dept: Option<UnitId>, cadence: Cadence, measure: Measure, target: u32) -> Quota {
        Quota { id: 1, unit_id: 1, department_id: dept, cadence, measure, target }
    }

    #[test]
    fn validation_checks_dates_and_text() {
        let today = d(11, 23);
        let ok = submission(1, 3, d(11, 1), Some(d(11, 5)));
        assert_eq!(ok.validate(today), Ok(()));
        let cases = [
            (Submission { title: " ".into(), ..ok.clone() }, NewsError::NoTitle),
            (Submission { title: "长".repeat(201), ..ok.clone() }, NewsError::TitleTooLong),
            (Submission { outlet: String::new(), ..ok.clone() }, NewsError::NoOutlet),
            (Submission { submitted_on: d(11, 24), adopted_on: None, ..ok.clone() }, NewsError::SubmittedInFuture),
            (Submission { adopted_on: Some(d(10, 31)), ..ok.clone() }, NewsError::BadAdoptedDate),
            (Submission { adopted_on: Some(d(11, 24)), ..ok.clone() }, NewsError::BadAdoptedDate),
            (Submission { adopted_on: None, issue: "第12期".into(), ..ok.clone() }, NewsError::IssueWithoutAdoption),
        ];
        for (s, err) in cases {
            assert_eq!(s.validate(today), Err(err));
        }
        let mut s = submission(2, 3, d(11, 1), None);
        assert_eq!(s.adopt(d(10, 1), "", today), Err(NewsError::BadAdoptedDate));
        s.adopt(d(11, 20), " 第45期 ", today).unwrap();
        assert_eq!((s.adopted_on, s.issue.as_str(), s.state_label()), (Some(d(11, 20)), "第45期", "已录用"));
    }

    #[test]
    fn an_entry_round_trips_through_its_values() {
        let s =
            Submission { authors: vec![101], issue: "第45期".into(), ..submission(7, 3, d(11, 1), Some(d(11, 5))) };
        let input = s.input();
        assert_eq!(SubmissionInput::from_values(&input.to_values(), None), Ok(input.clone()));
        assert_eq!(input.to_values().get("level"), "county");
        assert_eq!(Submission { id: 7, ..Submission::new(1, vec![101], input) }, s);
    }

    #[test]
    fn a_bad_value_names_its_field() {
        let mut values = submission(1, 3, d(11, 1), None).input().to_values();
        values.set("level", "乡级");
        values.set("adopted_on", "十一月");
        values.set("outlet", "");
        let errors = SubmissionInput::from_values(&values, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["level", "adopted_on", "outlet"]);
        assert_eq!(errors[0].message, "级别“乡级”无法识别，应填国家级、省级、市级或县级");
        assert_eq!(errors[2].message, "请填写刊物");
    }

    #[test]
    fn a_quota_round_trips_and_names_its_fields() {
        let q = quota(None, Cadence::Quarter, Measure::Adopted, 3);
        let input = q.input();
        assert_eq!(QuotaInput::from_values(&input.to_values(), None), Ok(input.clone()));
        assert_eq!(input.to_values().get("department_id"), "");
        assert_eq!(Quota { id: 1, ..Quota::new(1, input) }, q);
        let mut values = quota(Some(3), Cadence::Month, Measure::Submitted, 2).input().to_values();
        values.set("cadence", "每周");
        values.set("target", "0");
        let errors = QuotaInput::from_values(&values, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["cadence", "target"]);
        assert_eq!(errors[1].message, "定额应为1至1000");
    }

    #[test]
    fn levels_and_measures_parse_codes_and_labels() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
            assert_eq!(Level::parse(l.label()), Some(l));
        }
        assert_eq!(Level::parse("省"), Some(Level::Provincial));
        assert_eq!(Level::parse("乡级"), None);
        assert_eq!(Measure::parse("录用"), Some(Measure::Adopted));
        assert_eq!(quota(None, Cadence::Quarter, Measure::Adopted, 2).describe(), "每季度录用信息不少于2篇");
    }

    /// The quota's status over a quarter at its boundaries.
    #[test]
    fn progress_through_a_quarter() {
        let q3 = Period::parse("2026Q3").unwrap();
        let q = quota(Some(3), Cadence::Quarter, Measure::Adopted, 3);
        let subs = vec![
            submission(1, 3, d(6, 25), Some(d(7, 2))),
            submission(2, 3, d(8, 1), Some(d(8, 10))),
            // Another department's, and an adoption after the quarter.
            submission(3, 4, d(8, 1), Some(d(8, 11))),
            submission(4, 3, d(9, 20), Some(d(10, 8))),
        ];
        let at = |as_of| progress(&q, "办公室", &subs, q3, as_of, 15);
        let cases = [
            (d(6, 30), Status::Pending, 0, "办公室2026年第3季度录用信息定额3篇，尚未开始"),
            (d(8, 31), Status::Pending, 2, "办公室2026年第3季度已录用信息2篇，定额3篇，9月30日前完成"),
            (
                d(9, 15),
                Status::DueSoon,
                2,
                "办公室2026年第3季度已录用信息2篇，距定额3篇还差1篇，9月30日前完成（剩15天）",
            ),
            (
                d(9, 30),
                Status::DueSoon,
                2,
                "办公室2026年第3季度已录用信息2篇，距定额3篇还差1篇，9月30日前完成（剩0天）",
            ),
            (d(10, 1), Status::Overdue, 2, "办公室2026年第3季度录用信息2篇，少于定额3篇"),
        ];
        for (as_of, status, done, text) in cases {
            let p = at(as_of);
            assert_eq!((p.status, p.done, p.text.as_str()), (status, done, text), "{as_of}");
            assert_eq!(p.shortfall(), 3 - done);
        }
        assert_eq!(at(d(10, 1)).due, Some(d(9, 30)), "an overdue quota is overdue since the period's end");
        // Submitted counts by the date sent: 2 of 办公室's 3 were sent in Q3.
        let sent = Quota { measure: Measure::Submitted, ..q.clone() };
        let p = progress(&sent, "办公室", &subs, q3, d(10, 1), 15);
        assert_eq!((p.status, p.text.as_str()), (Status::Overdue, "办公室2026年第3季度报送信息2篇，少于定额3篇"));
        let all = Quota { department_id: None, target: 3, ..sent };
        let p = progress(&all, &subject_name(None), &subs, q3, d(10, 1), 15);
        assert_eq!((p.status, p.text.as_str()), (Status::Met, "全单位2026年第3季度报送信息3篇，达到定额3篇"));
    }
}
