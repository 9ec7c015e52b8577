//! Typed records of work. Each record says when the work happened
//! (`occurred_on`) and when it was entered (`entered_at`); edits bump the
//! revision and the store keeps every earlier revision.

use crate::org::UnitId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub type RecordId = i64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: RecordId,
    /// The unit the work belongs to: the Party group, or a branch for 三会一课.
    pub unit_id: UnitId,
    pub occurred_on: NaiveDate,
    pub entered_at: DateTime<Utc>,
    pub revision: i64,
    pub data: RecordData,
    /// The kinds of evidence file attached (not voided): what `files`
    /// evidence in a duty list is checked against.
    #[serde(default, skip_serializing_if = "crate::attachment::FileKinds::is_empty")]
    pub files: crate::attachment::FileKinds,
}

/// The kind of a record, as named in duty lists and URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Study,
    PartyGroupMeeting,
    BranchMeeting,
    LifeMeeting,
    Analysis,
    RiskReview,
    Report,
    ChannelUpdate,
    ChannelCheck,
    EventFiling,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Study,
        RecordKind::PartyGroupMeeting,
        RecordKind::BranchMeeting,
        RecordKind::LifeMeeting,
        RecordKind::Analysis,
        RecordKind::RiskReview,
        RecordKind::Report,
        RecordKind::ChannelUpdate,
        RecordKind::ChannelCheck,
        RecordKind::EventFiling,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Study => "study",
            RecordKind::PartyGroupMeeting => "party_group_meeting",
            RecordKind::BranchMeeting => "branch_meeting",
            RecordKind::LifeMeeting => "life_meeting",
            RecordKind::Analysis => "analysis",
            RecordKind::RiskReview => "risk_review",
            RecordKind::Report => "report",
            RecordKind::ChannelUpdate => "channel_update",
            RecordKind::ChannelCheck => "channel_check",
            RecordKind::EventFiling => "event_filing",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether a record of this kind may be about a channel of
    /// `channel_kind`: events are filed for event channels only; updates
    /// and checks are for publishing channels.
    pub fn suits_channel(self, channel_kind: &str) -> bool {
        match self {
            RecordKind::EventFiling => channel_kind == "event",
            RecordKind::ChannelUpdate | RecordKind::ChannelCheck => channel_kind != "event",
            _ => false,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Study => "中心组学习",
            RecordKind::PartyGroupMeeting => "党组（党委）会议",
            RecordKind::BranchMeeting => "三会一课及主题党日",
            RecordKind::LifeMeeting => "民主生活会",
            RecordKind::Analysis => "分析研判",
            RecordKind::RiskReview => "风险隐患台账复核",
            RecordKind::Report => "向上级报告",
            RecordKind::ChannelUpdate => "宣传阵地更新",
            RecordKind::ChannelCheck => "宣传阵地检查",
            RecordKind::EventFiling => "活动审核报备",
        }
    }
}

/// A named person who was absent, with the reason (请假事由).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Absence {
    pub name: String,
    pub reason: String,
}

/// 党委（党组）理论学习中心组学习.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StudySession {
    pub title: String,
    /// The item of the annual study plan this session carries out.
    pub plan_item: String,
    pub notice_date: Option<NaiveDate>,
    pub host: String,
    pub attendees: Vec<String>,
    pub absentees: Vec<Absence>,
    pub topics: Vec<String>,
    /// Whether the session was on 意识形态 (counts toward the ≥2 a year).
    pub on_ideology: bool,
    /// The 研讨 (discussion) record; empty when none was held.
    pub discussion: String,
    pub summary: String,
}

/// One item of a Party-group meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AgendaItem {
    pub title: String,
    /// 第一议题: studying the latest important speeches and instructions.
    pub first_topic: bool,
    /// 专题研究意识形态工作.
    pub ideology: bool,
}

/// 党组（党委）会议 with its agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PartyGroupMeeting {
    pub title: String,
    pub host: String,
    pub attendees: Vec<String>,
    pub absentees: Vec<Absence>,
    pub agenda: Vec<AgendaItem>,
    pub minutes: String,
}

/// The meetings of 三会一课, 主题党日 and the branch's yearly meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BranchMeetingType {
    /// 支部党员大会
    #[default]
    MembersMeeting,
    /// 支部委员会会议
    Committee,
    /// 党小组会
    Group,
    /// 党课
    Lecture,
    /// 主题党日
    ThemeDay,
    /// 组织生活会
    OrgLife,
    /// 民主评议党员
    MemberReview,
}

impl BranchMeetingType {
    pub const ALL: [BranchMeetingType; 7] = [
        BranchMeetingType::MembersMeeting,
        BranchMeetingType::Committee,
        BranchMeetingType::Group,
        BranchMeetingType::Lecture,
        BranchMeetingType::ThemeDay,
        BranchMeetingType::OrgLife,
        BranchMeetingType::MemberReview,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BranchMeetingType::MembersMeeting => "支部党员大会",
            BranchMeetingType::Committee => "支委会",
            BranchMeetingType::Group => "党小组会",
            BranchMeetingType::Lecture => "党课",
            BranchMeetingType::ThemeDay => "主题党日",
            BranchMeetingType::OrgLife => "组织生活会",
            BranchMeetingType::MemberReview => "民主评议党员",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            BranchMeetingType::MembersMeeting => "members_meeting",
            BranchMeetingType::Committee => "committee",
            BranchMeetingType::Group => "group",
            BranchMeetingType::Lecture => "lecture",
            BranchMeetingType::ThemeDay => "theme_day",
            BranchMeetingType::OrgLife => "org_life",
            BranchMeetingType::MemberReview => "member_review",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        BranchMeetingType::ALL.into_iter().find(|t| t.code() == code || t.label() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BranchMeeting {
    pub meeting_type: BranchMeetingType,
    pub topic: String,
    /// Who chaired, or for a 党课 who lectured.
    pub host: String,
    /// 应到 / 实到.
    pub due: u32,
    pub present: u32,
    pub absentees: Vec<Absence>,
    pub minutes: String,
}

/// 民主生活会.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LifeMeeting {
    pub topic: String,
    pub due: u32,
    pub present: u32,
    pub absentees: Vec<Absence>,
    pub minutes: String,
    /// When the 情况报告 went to the superior.
    pub reported_on: Option<NaiveDate>,
}

/// 意识形态领域情况分析研判.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Analysis {
    pub topic: String,
    pub host: String,
    pub attendees: Vec<String>,
    pub risks_reviewed: Vec<String>,
    pub conclusion: String,
    /// The 研判报告 text or its file name.
    pub report: String,
}

/// A review of the 风险隐患台账.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RiskReview {
    pub reviewer: String,
    pub risks_count: u32,
    pub conclusion: String,
    pub next_review: Option<NaiveDate>,
}

/// A report to the superior. `occurred_on` is the date it was drafted or
/// signed; what counts for deadlines is `submitted_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Report {
    /// Which duty it answers, e.g. `ideology` for the half-yearly 专题汇报.
    pub report_type: String,
    /// The period reported on, as a code: 2026H1, 2026.
    pub period: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    /// 回执: who at the superior received it, or a receipt number.
    pub receipt: String,
}

/// An update published on one of the unit's own channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ChannelUpdate {
    pub channel_id: i64,
    pub title: String,
    pub url: String,
}

/// A check of one channel (阵地检查, done quarterly): is it updated, are
/// the 三审三校 records kept, is anything published that should not be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ChannelCheck {
    pub channel_id: i64,
    pub checker: String,
    /// 检查结果: what was looked at and found.
    pub result: String,
    /// Problems found; empty when none.
    pub problems: String,
    /// What was done about them (整改情况).
    pub measures: String,
}

/// The 审核报备 of one event held on an event channel (报告会, 研讨会, 讲座,
/// 论坛). `occurred_on` is the day the event is held; the review and the
/// filing must come before it (先审后办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct EventFiling {
    pub channel_id: i64,
    pub topic: String,
    /// 主讲人, with 单位 and 职务 as people write it.
    pub speaker: String,
    pub reviewer: String,
    pub reviewed_on: Option<NaiveDate>,
    /// 报备对象: the superior the event was filed with.
    pub filed_to: String,
    pub filed_on: Option<NaiveDate>,
}

/// Where an event's 审核报备 stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilingState {
    /// Reviewed and filed on or before the day it was held.
    InTime,
    /// Completed this many days after the event.
    After(i64),
    /// Held without being reviewed and filed.
    Missing,
    /// Not yet held, not yet complete: this many days left (0 = today).
    Ahead(i64),
}

impl FilingState {
    pub fn label(self) -> String {
        match self {
            FilingState::InTime => "已事先审核报备".into(),
            FilingState::After(days) => format!("举办后{days}天才审核报备"),
            FilingState::Missing => "未审核报备".into(),
            FilingState::Ahead(0) => "活动今天举办，尚未完成审核报备".into(),
            FilingState::Ahead(days) => format!("待审核报备（距活动{days}天）"),
        }
    }
}

impl EventFiling {
    /// The day by which the event was both reviewed and filed, if it was.
    pub fn approved_on(&self) -> Option<NaiveDate> {
        Some(self.reviewed_on?.max(self.filed_on?))
    }

    /// Whether the event held on `held` was reviewed and filed by that day.
    pub fn filed_in_time(&self, held: NaiveDate) -> bool {
        self.approved_on().is_some_and(|done| done <= held)
    }

    /// The state of an event held on `held`, as of `today`.
    pub fn state(&self, held: NaiveDate, today: NaiveDate) -> FilingState {
        match self.approved_on() {
            Some(_) if self.filed_in_time(held) => FilingState::InTime,
            Some(done) => FilingState::After((done - held).num_days()),
            None if held < today => FilingState::Missing,
            None => FilingState::Ahead((held - today).num_days()),
        }
    }

    /// What is still missing, in words: 审核, 报备 or both.
    pub fn missing_steps(&self) -> &'static str {
        match (self.reviewed_on.is_some(), self.filed_on.is_some()) {
            (false, false) => "审核报备",
            (false, true) => "审核",
            _ => "报备",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordData {
    Study(StudySession),
    PartyGroupMeeting(PartyGroupMeeting),
    BranchMeeting(BranchMeeting),
    LifeMeeting(LifeMeeting),
    Analysis(Analysis),
    RiskReview(RiskReview),
    Report(Report),
    ChannelUpdate(ChannelUpdate),
    ChannelCheck(ChannelCheck),
    EventFiling(EventFiling),
}

impl RecordData {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordData::Study(_) => RecordKind::Study,
            RecordData::PartyGroupMeeting(_) => RecordKind::PartyGroupMeeting,
            RecordData::BranchMeeting(_) => RecordKind::BranchMeeting,
            RecordData::LifeMeeting(_) => RecordKind::LifeMeeting,
            RecordData::Analysis(_) => RecordKind::Analysis,
            RecordData::RiskReview(_) => RecordKind::RiskReview,
            RecordData::Report(_) => RecordKind::Report,
            RecordData::ChannelUpdate(_) => RecordKind::ChannelUpdate,
            RecordData::ChannelCheck(_) => RecordKind::ChannelCheck,
            RecordData::EventFiling(_) => RecordKind::EventFiling,
        }
    }

    /// A short title for lists and reasons.
    pub fn title(&self) -> String {
        // `concat`, not `format!`: a title is made for every record an
        // evaluation counts, two million in a province's roll-up.
        match self {
            RecordData::Study(s) => s.title.clone(),
            RecordData::PartyGroupMeeting(m) => m.title.clone(),
            RecordData::BranchMeeting(m) => [m.meeting_type.label(), "：", &m.topic].concat(),
            RecordData::LifeMeeting(m) => m.topic.clone(),
            RecordData::Analysis(a) => a.topic.clone(),
            RecordData::RiskReview(r) => ["风险隐患台账复核（", &r.reviewer, "）"].concat(),
            RecordData::Report(r) => r.title.clone(),
            RecordData::ChannelUpdate(c) => c.title.clone(),
            RecordData::ChannelCheck(c) => ["宣传阵地检查（", &c.checker, "）"].concat(),
            RecordData::EventFiling(e) => e.topic.clone(),
        }
    }

    /// Reads a record's data as stored (JSON with its `kind` tag) when the
    /// kind is known beforehand, as it is from the `kind` column: straight
    /// into the kind's fields. Reading through the tag buffers every field
    /// first, which costs twice as much over a province's records.
    pub fn from_json_of_kind(kind: RecordKind, json: &str) -> serde_json::Result<RecordData> {
        use serde_json::from_str;
        Ok(match kind {
            RecordKind::Study => RecordData::Study(from_str(json)?),
            RecordKind::PartyGroupMeeting => RecordData::PartyGroupMeeting(from_str(json)?),
            RecordKind::BranchMeeting => RecordData::BranchMeeting(from_str(json)?),
            RecordKind::LifeMeeting => RecordData::LifeMeeting(from_str(json)?),
            RecordKind::Analysis => RecordData::Analysis(from_str(json)?),
            RecordKind::RiskReview => RecordData::RiskReview(from_str(json)?),
            RecordKind::Report => RecordData::Report(from_str(json)?),
            RecordKind::ChannelUpdate => RecordData::ChannelUpdate(from_str(json)?),
            RecordKind::ChannelCheck => RecordData::ChannelCheck(from_str(json)?),
            RecordKind::EventFiling => RecordData::EventFiling(from_str(json)?),
        })
    }

    /// The channel a record is about, for records that belong to one.
    pub fn channel_id(&self) -> Option<i64> {
        match self {
            RecordData::ChannelUpdate(c) => Some(c.channel_id),
            RecordData::ChannelCheck(c) => Some(c.channel_id),
            RecordData::EventFiling(e) => Some(e.channel_id),
            _ => None,
        }
    }
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        self.data.kind()
    }
}

/// A problem with one field of a record, in words for the person entering it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn require(errors: &mut Vec<FieldError>, field: &'static str, value: &str, label: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError { field, message: format!("请填写{label}") });
    }
}

/// Work is recorded once it has happened: no record may be dated after
/// `today`, except an event filing, which is entered before the event it
/// files; its review and filing dates have happened and may not be later.
pub fn check_not_future(occurred_on: NaiveDate, data: &RecordData, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let late = |date: NaiveDate| date > today;
    let message = |what: &str| format!("{what}不能晚于今天（{}）：尚未发生的工作不能登记", today.format("%Y-%m-%d"));
    match data {
        RecordData::EventFiling(e) => {
            if e.reviewed_on.is_some_and(late) {
                errors.push(FieldError { field: "reviewed_on", message: message("审核日期") });
            }
            if e.filed_on.is_some_and(late) {
                errors.push(FieldError { field: "filed_on", message: message("报备日期") });
            }
        }
        _ if late(occurred_on) => errors.push(FieldError { field: "occurred_on", message: message("日期") }),
        _ => {}
    }
    errors
}

fn require_channel(errors: &mut Vec<FieldError>, channel_id: i64) {
    if channel_id <= 0 {
        errors.push(FieldError { field: "channel_id", message: "请选择宣传阵地".into() });
    }
}

fn check_absences(errors: &mut Vec<FieldError>, absentees: &[Absence]) {
    for a in absentees {
        if a.name.trim().is_empty() || a.reason.trim().is_empty() {
            errors
                .push(FieldError { field: "absentees", message: "缺席人员须写明姓名和缺席原因".into() });
            return;
        }
    }
}

fn check_counts(errors: &mut Vec<FieldError>, due: u32, present: u32) {
    if present > due {
        errors
            .push(FieldError {
                field: "present", message: format!("实到人数（{present}）不能多于应到人数（{due}）")
            });
    }
}

impl RecordData {
    /// Checks what a record must have to be stored. Evidence that a duty
    /// needs but the record may lack (a 研讨 record, say) is not checked
    /// here: the engine reports it as missing evidence instead.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        match self {
            RecordData::Study(s) => {
                require(&mut e, "title", &s.title, "学习主题");
                check_absences(&mut e, &s.absentees);
            }
            RecordData::PartyGroupMeeting(m) => {
                require(&mut e, "title", &m.title, "会议名称");
                if m.agenda.iter().all(|a| a.title.trim().is_empty()) {
                    e.push(FieldError { field: "agenda", message: "请至少填写一项议题".into() });
                }
                check_absences(&mut e, &m.absentees);
            }
            RecordData::BranchMeeting(m) => {
                require(&mut e, "topic", &m.topic, "会议主题");
                check_counts(&mut e, m.due, m.present);
                check_absences(&mut e, &m.absentees);
            }
            RecordData::LifeMeeting(m) => {
                require(&mut e, "topic", &m.topic, "会议主题");
                check_counts(&mut e, m.due, m.present);
                check_absences(&mut e, &m.absentees);
            }
            RecordData::Analysis(a) => require(&mut e, "topic", &a.topic, "研判主题"),
            RecordData::RiskReview(r) => require(&mut e, "reviewer", &r.reviewer, "复核人"),
            RecordData::Report(r) => {
                require(&mut e, "title", &r.title, "报告标题");
                require(&mut e, "report_type", &r.report_type, "报告类别");
                require(&mut e, "period", &r.period, "报告期间");
                if !r.period.is_empty() && crate::period::Period::parse(&r.period).is_err() {
                    e.push(FieldError {
                        field: "period",
                        message: format!("报告期间“{}”格式不对，应如 2026H1", r.period),
                    });
                }
            }
            RecordData::ChannelUpdate(c) => {
                require(&mut e, "title", &c.title, "更新内容标题");
                require_channel(&mut e, c.channel_id);
                // Only web links: a `javascript:` link must never reach a page.
                if !c.url.trim().is_empty() && !crate::drafts::is_web_address(&c.url) {
                    e.push(FieldError { field: "url", message: "链接应以 http:// 或 https:// 开头".into() });
                }
            }
            RecordData::ChannelCheck(c) => {
                require_channel(&mut e, c.channel_id);
                require(&mut e, "checker", &c.checker, "检查人");
                require(&mut e, "result", &c.result, "检查结果");
            }
            RecordData::EventFiling(f) => {
                require_channel(&mut e, f.channel_id);
                require(&mut e, "topic", &f.topic, "活动主题");
                require(&mut e, "speaker", &f.speaker, "主讲人");
                if f.reviewed_on.is_some() && f.reviewer.trim().is_empty() {
                    e.push(FieldError {
                        field: "reviewer", message: "填写了审核日期，请同时填写审核人".into()
                    });
                }
                if f.filed_on.is_some() && f.filed_to.trim().is_empty() {
                    e.push(FieldError {
                        field: "filed_to", message: "填写了报备日期，请同时填写报备对象".into()
                    });
                }
            }
        }
        self.check_lengths(&mut e);
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }

    /// Every text within bounds, whichever way the record came in: short
    /// fields (titles, names) and long ones (纪要, 研讨记录) by the field
    /// schema, anything else as a long text.
    fn check_lengths(&self, e: &mut Vec<FieldError>) {
        use crate::fields::{fields, FieldType};
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) else { return };
        for (key, value) in &map {
            let spec = fields(self.kind()).iter().find(|s| s.name == key);
            let (field, label) = spec.map_or(("data", "内容"), |s| (s.name, s.label));
            let max = match spec.map(|s| s.ty) {
                // A name, or one item of a list (学习内容), is as short as a title.
                Some(FieldType::Text | FieldType::Names) => SHORT_TEXT_MAX_CHARS,
                _ => LONG_TEXT_MAX_CHARS,
            };
            if longest_text(value) > max {
                e.push(FieldError { field, message: format!("{label}过长（每项不超过{max}字）") });
            }
        }
    }
}

/// Longest text accepted in a record's short fields (titles, places, one
/// name or item of a list) and in its long texts (纪要, 研讨记录).
pub const SHORT_TEXT_MAX_CHARS: usize = 200;
pub const LONG_TEXT_MAX_CHARS: usize = 20_000;

/// The longest string anywhere in a JSON value, in characters.
fn longest_text(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::String(s) => s.chars().count(),
        serde_json::Value::Array(items) => items.iter().map(longest_text).max().unwrap_or(0),
        serde_json::Value::Object(map) => map.values().map(longest_text).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_of_a_known_kind_reads_as_through_its_tag() {
        let samples = [
            RecordData::Study(StudySession {
                title: "学习".into(),
                attendees: vec!["甲".into()],
                absentees: vec![Absence { name: "乙".into(), reason: "出差".into() }],
                ..Default::default()
            }),
            RecordData::PartyGroupMeeting(PartyGroupMeeting {
                agenda: vec![AgendaItem { title: "议题".into(), first_topic: true, ideology: true }],
                ..Default::default()
            }),
            RecordData::BranchMeeting(BranchMeeting { due: 9, present: 8, ..Default::default() }),
            RecordData::LifeMeeting(LifeMeeting::default()),
            RecordData::Analysis(Analysis { report: "报告\n\"引号\"".into(), ..Default::default() }),
            RecordData::RiskReview(RiskReview::default()),
            RecordData::Report(Report::default()),
            RecordData::ChannelUpdate(ChannelUpdate { channel_id: 7, ..Default::default() }),
            RecordData::ChannelCheck(ChannelCheck::default()),
            RecordData::EventFiling(EventFiling::default()),
        ];
        let kinds: std::collections::BTreeSet<RecordKind> = samples.iter().map(RecordData::kind).collect();
        assert_eq!(kinds.len(), RecordKind::ALL.len(), "a sample of every kind");
        for data in samples {
            let json = serde_json::to_string(&data).unwrap();
            assert_eq!(RecordData::from_json_of_kind(data.kind(), &json).unwrap(), data, "{json}");
        }
        assert!(RecordData::from_json_of_kind(RecordKind::Study, "{\"title\": 3}").is_err());
    }

    #[test]
    fn work_cannot_be_dated_after_today_but_an_event_can_be_filed_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let next = today.succ_opt().unwrap();
        let analysis = RecordData::Analysis(Analysis { topic: "研判".into(), ..Default::default() });
        assert!(check_not_future(today, &analysis, today).is_empty());
        let errors = check_not_future(next, &analysis, today);
        assert_eq!(errors[0].field, "occurred_on");
        assert!(errors[0].message.contains("不能晚于今天（2026-11-23）"), "{errors:?}");
        let filing = |reviewed_on| {
            RecordData::EventFiling(EventFiling { reviewed_on, topic: "讲座".into(), ..Default::default() })
        };
        assert!(check_not_future(next, &filing(Some(today)), today).is_empty(), "filed before the event");
        assert_eq!(check_not_future(next, &filing(Some(next)), today)[0].field, "reviewed_on");
    }

    #[test]
    fn kind_codes_round_trip_and_match_serde_tags() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.code()), Some(k));
        }
        let data = RecordData::BranchMeeting(BranchMeeting { topic: "学习".into(), ..Default::default() });
        let json = serde_json::to_value(&data).unwrap();
        assert_eq!(json["kind"], "branch_meeting");
        assert_eq!(json["meeting_type"], "members_meeting");
    }

    #[test]
    fn validation_names_the_fields() {
        let bad = RecordData::BranchMeeting(BranchMeeting {
            topic: " ".into(),
            due: 5,
            present: 7,
            absentees: vec![Absence { name: "张三".into(), reason: String::new() }],
            ..Default::default()
        });
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["topic", "present", "absentees"]);
        let report = RecordData::Report(Report {
            report_type: "ideology".into(),
            period: "2026H3".into(),
            title: "报告".into(),
            ..Default::default()
        });
        assert_eq!(report.validate().unwrap_err()[0].field, "period");
    }

    #[test]
    fn texts_are_bounded_whichever_way_a_record_comes_in() {
        let study = |title: String, summary: String, attendees: Vec<String>| {
            RecordData::Study(StudySession { title, summary, attendees, ..Default::default() }).validate()
        };
        assert!(study("学习".into(), "小结".repeat(10_000), vec!["张三".into()]).is_ok());
        let long_title = study("学".repeat(201), String::new(), vec![]).unwrap_err();
        assert_eq!((long_title[0].field, long_title[0].message.as_str()), ("title", "学习主题过长（每项不超过200字）"));
        let long_summary = study("学习".into(), "小".repeat(20_001), vec![]).unwrap_err();
        assert_eq!(long_summary[0].field, "summary");
        let long_name = study("学习".into(), String::new(), vec!["张".repeat(201)]).unwrap_err();
        assert_eq!(long_name[0].field, "attendees");
    }

    #[test]
    fn a_channel_update_links_only_to_the_web() {
        let update = |url: &str| {
            RecordData::ChannelUpdate(ChannelUpdate { channel_id: 1, title: "更新".into(), url: url.into() }).validate()
        };
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x", "//x.cn"] {
            let errors = update(bad).unwrap_err();
            assert_eq!(errors[0].field, "url", "{bad}");
        }
        for good in ["", "https://mzj.example.gov.cn/a.html", "HTTP://x.cn"] {
            assert!(update(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn meeting_type_parses_code_or_chinese_label() {
        assert_eq!(BranchMeetingType::parse("committee"), Some(BranchMeetingType::Committee));
        assert_eq!(BranchMeetingType::parse("支委会"), Some(BranchMeetingType::Committee));
        assert_eq!(BranchMeetingType::parse("茶话会"), None);
    }
}
