//! Table-driven tests of the engine at month, quarter and year boundaries.

use super::*;
use crate::duty::{load_duty_list, DEFAULT_LIST_TOML};
use crate::org::{Role, RoleKind, UnitKind};
use crate::record::*;
use chrono::{TimeZone, Utc};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A Party group with one branch, one department and one channel; shared
/// with other tests of the crate that need real engine findings.
pub(crate) struct Fixture {
    pub(crate) unit: Unit,
    pub(crate) branches: Vec<Unit>,
    pub(crate) departments: Vec<Unit>,
    pub(crate) channels: Vec<Channel>,
    pub(crate) people: Vec<Person>,
    pub(crate) roles: Vec<Role>,
    pub(crate) records: Vec<Record>,
    pub(crate) rectifications: Vec<crate::rectification::Rectification>,
    pub(crate) news: crate::news::NewsData,
    pub(crate) feedback: crate::feedback::FeedbackData,
}

pub(crate) const UNIT: UnitId = 1;
pub(crate) const BRANCH: UnitId = 2;
const OFFICE: UnitId = 3;
pub(crate) const CHANNEL: i64 = 10;

impl Fixture {
    pub(crate) fn new() -> Self {
        let u = |id, parent, name: &str, kind| Unit { id, name: name.into(), parent_id: parent, kind };
        let p = |id, name: &str| Person { id, unit_id: UNIT, name: name.into(), title: String::new() };
        let role = |person_id, kind, scope, in_charge_of: Vec<UnitId>| Role { person_id, kind, scope, in_charge_of };
        Fixture {
            unit: u(UNIT, None, "县测试局党组", UnitKind::PartyGroup),
            branches: vec![u(BRANCH, Some(UNIT), "机关第一党支部", UnitKind::Branch)],
            departments: vec![u(OFFICE, Some(UNIT), "办公室", UnitKind::Department)],
            channels: vec![Channel {
                id: CHANNEL,
                unit_id: UNIT,
                name: "政务微信公众号".into(),
                kind: "wechat".into(),
                owner: Some(104),
            }],
            people: vec![p(101, "王书记"), p(102, "李副局长"), p(103, "赵支书"), p(104, "钱编辑")],
            roles: vec![
                role(101, RoleKind::Secretary, UNIT, vec![]),
                role(102, RoleKind::Leader, UNIT, vec![OFFICE]),
                role(103, RoleKind::Secretary, BRANCH, vec![]),
                role(104, RoleKind::Staff, UNIT, vec![]),
            ],
            rectifications: vec![],
            news: Default::default(),
            feedback: Default::default(),
            records: vec![],
        }
    }

    pub(crate) fn add(&mut self, unit_id: UnitId, on: NaiveDate, data: RecordData) -> &mut Self {
        let id = self.records.len() as i64 + 1;
        let entered_at = Utc.from_utc_datetime(&on.and_hms_opt(2, 0, 0).unwrap());
        self.records.push(Record {
            id,
            unit_id,
            occurred_on: on,
            entered_at,
            revision: 1,
            data,
            files: Default::default(),
        });
        self
    }

    /// Adds a record with every kind of evidence file attached, for tests
    /// about other evidence (files are tested on their own).
    pub(crate) fn add_filed(&mut self, unit_id: UnitId, on: NaiveDate, data: RecordData) -> &mut Self {
        self.add(unit_id, on, data).with_files(&crate::attachment::FileKind::ALL)
    }

    /// Attaches files of these kinds to the last record added.
    pub(crate) fn with_files(&mut self, kinds: &[crate::attachment::FileKind]) -> &mut Self {
        let last = self.records.last_mut().expect("a record to attach to");
        for k in kinds {
            last.files.insert(*k);
        }
        self
    }

    pub(crate) fn ctx(&self) -> UnitContext<'_> {
        UnitContext {
            unit: &self.unit,
            branches: &self.branches,
            departments: &self.departments,
            channels: &self.channels,
            people: &self.people,
            roles: &self.roles,
            records: &self.records,
            rectifications: &self.rectifications,
            news: &self.news,
            feedback: &self.feedback,
        }
    }

    fn status(&self, item_id: &str, period: &str, today: NaiveDate) -> DutyStatus {
        let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        let eval = evaluate(&list.items, &self.ctx(), Period::parse(period).unwrap(), today);
        eval.duties.into_iter().find(|s| s.item_id == item_id).expect("item evaluated")
    }
}

pub(crate) fn branch_meeting(t: BranchMeetingType) -> RecordData {
    RecordData::BranchMeeting(BranchMeeting {
        meeting_type: t,
        topic: "学习".into(),
        host: "赵支书".into(),
        due: 5,
        present: 5,
        minutes: "记录".into(),
        ..Default::default()
    })
}

pub(crate) fn report(period: &str, submitted: Option<NaiveDate>) -> RecordData {
    RecordData::Report(Report {
        report_type: "ideology".into(),
        period: period.into(),
        title: "意识形态工作专题报告".into(),
        due_on: None,
        submitted_on: submitted,
        receipt: "县委宣传部 张某".into(),
    })
}

pub(crate) fn study(ideology: bool, discussion: &str) -> RecordData {
    RecordData::Study(StudySession {
        title: "中心组学习".into(),
        attendees: vec!["王书记".into()],
        on_ideology: ideology,
        discussion: discussion.into(),
        ..Default::default()
    })
}

#[test]
fn monthly_committee_meetings_at_month_edges() {
    use BranchMeetingType::Committee;
    // (meeting dates, period, today, expected status, text that must appear)
    let cases: &[(&[NaiveDate], &str, NaiveDate, Status, &str)] = &[
        (&[d(2026, 1, 10), d(2026, 2, 10), d(2026, 3, 31)], "2026Q1", d(2026, 4, 5), Status::Met, ""),
        // The last day of March counts for March; the first of April does not.
        (
            &[d(2026, 1, 10), d(2026, 2, 10), d(2026, 4, 1)],
            "2026Q1",
            d(2026, 4, 5),
            Status::Overdue,
            "2026年3月未召开支部委员会会议",
        ),
        // Due soon: 5 days left in March, the reminder window is 7.
        (&[d(2026, 1, 10), d(2026, 2, 10)], "2026Q1", d(2026, 3, 26), Status::DueSoon, "剩5天"),
        // Still early in March: nothing to say yet.
        (&[d(2026, 1, 10), d(2026, 2, 10)], "2026Q1", d(2026, 3, 20), Status::Met, ""),
        // February in a leap year ends on the 29th.
        (&[d(2024, 1, 5), d(2024, 2, 29), d(2024, 3, 5)], "2024Q1", d(2024, 4, 1), Status::Met, ""),
        // December meetings belong to the old year only.
        (&[d(2025, 12, 31)], "2026-01", d(2026, 2, 1), Status::Overdue, "2026年1月未召开"),
    ];
    for (i, (dates, period, today, want, text)) in cases.iter().enumerate() {
        let mut f = Fixture::new();
        for on in *dates {
            f.add(BRANCH, *on, branch_meeting(Committee));
        }
        let s = f.status("branch-committee", period, *today);
        assert_eq!(s.status, *want, "case {i}: {}", s.reason);
        assert!(s.reason.contains(text), "case {i}: {}", s.reason);
        assert!(
            s.reason.contains("机关第一党支部") || s.status == Status::Met,
            "case {i}: subject named: {}",
            s.reason
        );
    }
}

#[test]
fn quarterly_analysis_across_the_year_end() {
    let analysis = || {
        RecordData::Analysis(Analysis { topic: "研判".into(), report: "研判报告".into(), ..Default::default() })
    };
    let cases = [
        (d(2025, 12, 31), "2026Q1", d(2026, 4, 1), Status::Overdue),
        (d(2026, 1, 1), "2026Q1", d(2026, 4, 1), Status::Met),
        (d(2026, 3, 31), "2026Q1", d(2026, 4, 1), Status::Met),
        (d(2025, 12, 31), "2025Q4", d(2026, 1, 2), Status::Met),
    ];
    for (on, period, today, want) in cases {
        let mut f = Fixture::new();
        f.add(UNIT, on, analysis());
        assert_eq!(f.status("quarterly-analysis", period, today).status, want, "{on} in {period}");
    }
    // Without a 研判报告 the analysis counts but lacks evidence.
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 2, 1), RecordData::Analysis(Analysis { topic: "研判".into(), ..Default::default() }));
    let s = f.status("quarterly-analysis", "2026Q1", d(2026, 4, 1));
    assert_eq!(s.status, Status::MissingEvidence);
    assert!(s.reason.contains("缺少研判报告（2月1日）"), "{}", s.reason);
}

#[test]
fn half_year_report_deadlines() {
    let cases = [
        (Some(d(2026, 6, 20)), d(2026, 7, 1), Status::Met, "按时报送"),
        (Some(d(2026, 7, 2)), d(2026, 7, 3), Status::Late, "逾期12天报送"),
        (None, d(2026, 6, 21), Status::Overdue, "已逾期1天"),
        (None, d(2026, 6, 12), Status::DueSoon, "剩8天"),
        (None, d(2026, 5, 1), Status::Pending, "须于2026年6月20日前报送"),
    ];
    for (submitted, today, want, text) in cases {
        let mut f = Fixture::new();
        f.add_filed(UNIT, d(2026, 6, 1), report("2026H1", submitted));
        let s = f.status("half-year-report", "2026H1", today);
        assert_eq!(s.status, want, "{submitted:?} on {today}: {}", s.reason);
        assert!(s.reason.contains(text), "{}", s.reason);
    }
    // A late first half stays visible in the year's evaluation.
    let mut f = Fixture::new();
    f.add_filed(UNIT, d(2026, 7, 2), report("2026H1", Some(d(2026, 7, 2))));
    f.add_filed(UNIT, d(2026, 12, 10), report("2026H2", Some(d(2026, 12, 10))));
    let s = f.status("half-year-report", "2026", d(2027, 1, 5));
    assert_eq!(s.status, Status::Late);
    assert!(s.reason.contains("2026年上半年意识形态工作专题报告逾期12天报送"), "{}", s.reason);
    // The report of another period does not count.
    let mut f = Fixture::new();
    f.add_filed(UNIT, d(2026, 6, 1), report("2025H2", Some(d(2026, 6, 1))));
    assert_eq!(f.status("half-year-report", "2026H1", d(2026, 6, 25)).status, Status::Overdue);
}

#[test]
fn risk_ledger_freshness() {
    let review = || RecordData::RiskReview(RiskReview { reviewer: "李副局长".into(), ..Default::default() });
    // Reviewed late in 2025, then not again: overdue in November 2026.
    let mut f = Fixture::new();
    f.add(UNIT, d(2025, 12, 20), review());
    let s = f.status("risk-ledger", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::Overdue, "{}", s.reason);
    assert!(s.reason.contains("风险隐患台账自2025年12月20日以来338天未复核"), "{}", s.reason);
    assert_eq!(s.actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["李副局长"]);
    // A gap closed later is reported as late, and the ledger is fresh again.
    f.add(UNIT, d(2026, 6, 30), review());
    f.add(UNIT, d(2026, 9, 25), review());
    let s = f.status("risk-ledger", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::Late, "{}", s.reason);
    assert!(s.reason.contains("间隔192天"), "{}", s.reason);
    // Due soon near the 92-day limit.
    let s = f.status("risk-ledger", "2026", d(2026, 12, 20));
    assert_eq!(s.status, Status::DueSoon, "{}", s.reason);
    // Never reviewed at all.
    let f = Fixture::new();
    assert_eq!(f.status("risk-ledger", "2026", d(2026, 2, 1)).status, Status::Overdue);
}

#[test]
fn channel_freshness_is_per_channel_and_names_its_owner() {
    let update = |channel_id| {
        RecordData::ChannelUpdate(ChannelUpdate { channel_id, title: "动态".into(), url: String::new() })
    };
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 11, 1), update(CHANNEL));
    f.add(UNIT, d(2026, 11, 20), update(999));
    let s = f.status("channel-freshness", "2026-11", d(2026, 11, 23));
    assert_eq!(s.status, Status::Overdue, "{}", s.reason);
    assert!(s.reason.starts_with("政务微信公众号"), "{}", s.reason);
    assert_eq!(s.actors[0].name, "钱编辑");
}

const FORUM: i64 = 11;

fn with_forum() -> Fixture {
    let mut f = Fixture::new();
    f.channels.push(Channel {
        id: FORUM,
        unit_id: UNIT,
        name: "机关大讲堂".into(),
        kind: "event".into(),
        owner: Some(102),
    });
    f
}

fn event(topic: &str, reviewed: Option<NaiveDate>, filed: Option<NaiveDate>) -> RecordData {
    RecordData::EventFiling(EventFiling {
        channel_id: FORUM,
        topic: topic.into(),
        speaker: "县委党校 某教授".into(),
        reviewer: if reviewed.is_some() { "王书记".into() } else { String::new() },
        reviewed_on: reviewed,
        filed_to: if filed.is_some() { "县委宣传部".into() } else { String::new() },
        filed_on: filed,
    })
}

impl Fixture {
    fn statuses(&self, item_id: &str, period: &str, today: NaiveDate) -> Vec<DutyStatus> {
        let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        let eval = evaluate(&list.items, &self.ctx(), Period::parse(period).unwrap(), today);
        eval.duties.into_iter().filter(|s| s.item_id == item_id).collect()
    }
}

#[test]
fn channel_kinds_choose_the_channels_a_duty_covers() {
    let f = with_forum();
    let today = d(2026, 11, 23);
    let subjects = |item: &str| -> Vec<i64> { f.statuses(item, "2026", today).iter().map(|s| s.subject.id).collect() };
    assert_eq!(subjects("channel-freshness"), [CHANNEL], "an event channel is not updated fortnightly");
    assert_eq!(subjects("channel-check"), [CHANNEL]);
    assert_eq!(subjects("event-filing"), [FORUM]);
}

#[test]
fn events_are_reviewed_and_filed_before_they_are_held() {
    let today = d(2026, 11, 23);
    let status = |data: RecordData, held: NaiveDate| {
        let mut f = with_forum();
        f.add(UNIT, held, data);
        f.statuses("event-filing", "2026Q4", today).remove(0)
    };
    let held = d(2026, 10, 20);
    let met = status(event("宣讲", Some(d(2026, 10, 10)), Some(d(2026, 10, 12))), held);
    assert_eq!(met.status, Status::Met, "{}", met.reason);
    assert!(met.reason.contains("已于活动前审核并报备县委宣传部"), "{}", met.reason);

    let late = status(event("宣讲", Some(d(2026, 10, 10)), Some(d(2026, 10, 23))), held);
    assert_eq!(late.status, Status::Late, "{}", late.reason);
    assert!(late.reason.contains("举办后3天才完成审核报备，未做到先审后办"), "{}", late.reason);
    assert_eq!(late.actors[0].name, "李副局长", "the channel's owner answers for it");

    let missed = status(event("宣讲", Some(d(2026, 10, 10)), None), held);
    assert_eq!(missed.status, Status::Overdue, "{}", missed.reason);
    assert!(missed.reason.contains("机关大讲堂“宣讲”（2026年10月20日）已举办，未报备"), "{}", missed.reason);

    let soon = status(event("读书分享", None, None), d(2026, 11, 27));
    assert_eq!((soon.status, soon.due), (Status::DueSoon, Some(d(2026, 11, 27))), "{}", soon.reason);
    assert!(soon.reason.contains("尚未审核报备，须在活动前完成（剩4天）"), "{}", soon.reason);

    let later = status(event("读书分享", None, None), d(2026, 12, 20));
    assert_eq!(later.status, Status::Pending, "{}", later.reason);

    let none = with_forum().statuses("event-filing", "2026Q4", today).remove(0);
    assert_eq!(none.status, Status::Pending, "{}", none.reason);
}

#[test]
fn channels_are_checked_every_quarter() {
    let check = || {
        RecordData::ChannelCheck(ChannelCheck {
            channel_id: CHANNEL,
            checker: "李副局长".into(),
            result: "更新及时，三审三校记录齐全".into(),
            ..Default::default()
        })
    };
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 3, 20), check()).add(UNIT, d(2026, 9, 18), check());
    let s = f.status("channel-check", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::Overdue, "{}", s.reason);
    assert!(s.reason.contains("政务微信公众号2026年第2季度未开展宣传阵地季度检查"), "{}", s.reason);
    assert_eq!(s.records.len(), 2);
}

#[test]
fn study_sessions_count_evidence_and_pace() {
    let mut f = Fixture::new();
    for (m, disc) in [(2, ""), (4, "研讨"), (5, ""), (7, "研讨"), (9, ""), (10, "研讨")] {
        f.add_filed(UNIT, d(2026, m, 10), study(m == 4 || m == 9, disc));
    }
    let s = f.status("study-sessions", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert!(s.reason.contains("3次缺少研讨记录（2月10日、5月10日、9月10日）"), "{}", s.reason);
    assert_eq!(s.actors[0].name, "王书记");
    let s = f.status("study-ideology", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::MissingEvidence, "two on ideology, one without 研讨: {}", s.reason);

    // Behind pace: 3 of 6 by late October.
    let mut f = Fixture::new();
    for m in [2, 4, 6] {
        f.add_filed(UNIT, d(2026, m, 10), study(false, "研讨"));
    }
    let s = f.status("study-sessions", "2026", d(2026, 10, 20));
    assert_eq!(s.status, Status::DueSoon, "{}", s.reason);
    assert!(s.reason.contains("进度滞后"), "{}", s.reason);
    let s = f.status("study-sessions", "2026", d(2026, 3, 1));
    assert_eq!(s.status, Status::Pending, "{}", s.reason);
    // A year closed short is overdue.
    let s = f.status("study-sessions", "2026", d(2027, 1, 1));
    assert_eq!(s.status, Status::Overdue, "{}", s.reason);
    assert!(s.reason.contains("仅开展3次"), "{}", s.reason);
}

#[test]
fn evidence_files_required_by_the_default_list_are_named_when_missing() {
    use crate::attachment::FileKind::{Courseware, Photo, ReportFile, SignInSheet, StudyMaterial};
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 3, 5), study(true, "研讨")).with_files(&[SignInSheet, StudyMaterial]);
    f.add(UNIT, d(2026, 6, 5), study(true, "研讨")).with_files(&[StudyMaterial]);
    let s = f.status("study-ideology", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert!(s.reason.contains("1次缺少签到表（6月5日）"), "{}", s.reason);
    assert!(!s.reason.contains("研讨材料"), "{}", s.reason);
    f.with_files(&[SignInSheet]);
    assert_eq!(f.status("study-ideology", "2026", d(2026, 11, 23)).status, Status::Met);

    // 党课: a 课件 or a 照片 will do.
    let mut f = Fixture::new();
    f.add(BRANCH, d(2026, 2, 10), branch_meeting(BranchMeetingType::Lecture));
    let s = f.status("branch-lecture", "2026Q1", d(2026, 4, 5));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert!(s.reason.contains("缺少课件或照片"), "{}", s.reason);
    f.with_files(&[Photo]);
    assert_eq!(f.status("branch-lecture", "2026Q1", d(2026, 4, 5)).status, Status::Met);
    f.with_files(&[Courseware]);
    assert_eq!(f.status("branch-lecture", "2026Q1", d(2026, 4, 5)).status, Status::Met);

    // The half-year report needs its file besides the receipt.
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 6, 18), report("2026H1", Some(d(2026, 6, 18))));
    let s = f.status("half-year-report", "2026H1", d(2026, 7, 1));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert!(s.reason.contains("缺少报告文件"), "{}", s.reason);
    f.with_files(&[ReportFile]);
    assert_eq!(f.status("half-year-report", "2026H1", d(2026, 7, 1)).status, Status::Met);
}

#[test]
fn first_topic_every_meeting_and_ideology_research() {
    let meeting = |first: bool, ideology: bool| {
        RecordData::PartyGroupMeeting(PartyGroupMeeting {
            title: "党组会".into(),
            attendees: vec!["王书记".into()],
            minutes: "纪要".into(),
            agenda: vec![
                AgendaItem { title: "学习讲话".into(), first_topic: first, ideology: false },
                AgendaItem { title: "研究意识形态工作".into(), first_topic: false, ideology },
            ],
            ..Default::default()
        })
    };
    let mut f = Fixture::new();
    f.add(UNIT, d(2026, 3, 5), meeting(true, true));
    f.add(UNIT, d(2026, 5, 5), meeting(false, false));
    f.add(UNIT, d(2026, 8, 5), meeting(true, true));
    let s = f.status("first-topic", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert!(s.reason.contains("3次党组（党委）会议中有1次不符合要求，缺少第一议题（5月5日）"), "{}", s.reason);
    let s = f.status("ideology-research", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::Met, "{}", s.reason);
    assert_eq!(s.records.len(), 2);
    assert!(s.actors.is_empty(), "nobody must act on a met duty");
}

#[test]
fn secretary_lecture_counts_only_the_secretary() {
    let lecture = |host: &str| {
        RecordData::BranchMeeting(BranchMeeting {
            meeting_type: BranchMeetingType::Lecture,
            topic: "党课".into(),
            host: host.into(),
            due: 3,
            present: 3,
            ..Default::default()
        })
    };
    let mut f = Fixture::new();
    f.add(BRANCH, d(2026, 6, 1), lecture("赵支书"));
    assert_eq!(f.status("secretary-lecture", "2026", d(2027, 1, 1)).status, Status::Overdue);
    f.add(BRANCH, d(2026, 7, 1), lecture("王书记"));
    assert_eq!(f.status("secretary-lecture", "2026", d(2027, 1, 1)).status, Status::Met);
}

#[test]
fn unassigned_roles_say_so() {
    let mut f = Fixture::new();
    f.roles.retain(|r| r.kind != RoleKind::Leader);
    let s = f.status("half-year-report", "2026H1", d(2026, 7, 1));
    assert_eq!(s.status, Status::Overdue);
    assert_eq!(s.actors[0].name, "未指定");
    assert_eq!(s.actors[0].role, "分管领导（办公室）");
}

#[test]
fn deterministic_and_parallel_equals_sequential() {
    let mut f = Fixture::new();
    f.add(BRANCH, d(2026, 1, 10), branch_meeting(BranchMeetingType::Committee));
    f.add(UNIT, d(2026, 7, 2), report("2026H1", Some(d(2026, 7, 2))));
    let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
    let ctx = f.ctx();
    let period = Period::year(2026);
    let a = evaluate(&list.items, &ctx, period, d(2026, 11, 23));
    let b = evaluate(&list.items, &ctx, period, d(2026, 11, 23));
    assert_eq!(a, b);
    let many = evaluate_many(&list.items, &[ctx, ctx, ctx], period, d(2026, 11, 23));
    assert_eq!(many, vec![a.clone(), a.clone(), a]);
}

#[test]
fn rollup_counts_by_category() {
    let f = Fixture::new();
    let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
    let eval = evaluate(&list.items, &f.ctx(), Period::year(2026), d(2026, 11, 23));
    let (cats, rows) = rollup(std::slice::from_ref(&eval));
    assert!(cats.contains(&"三会一课".to_string()));
    assert_eq!(rows[0].total.counts.iter().sum::<usize>(), eval.duties.len());
    let branch = rows[0].cells.iter().find(|c| c.category == "三会一课").unwrap();
    assert_eq!(branch.worst, Some(Status::Overdue));
    assert!(branch.count(Status::Overdue) >= 4);
}

#[test]
fn a_yearly_duty_in_a_half_year_is_judged_as_of_the_half_year_end() {
    let mut f = Fixture::new();
    for (m, disc) in [(2, "研讨"), (4, ""), (5, "研讨"), (6, "研讨"), (9, "研讨"), (10, "研讨"), (11, "研讨")]
    {
        f.add(UNIT, d(2026, m, 10), study(false, disc));
    }
    // Four by the end of June is on pace for six a year; the session
    // without 研讨 is reported although the year's count is not met.
    let s = f.status("study-sessions", "2026H1", d(2026, 11, 23));
    assert_eq!(s.status, Status::MissingEvidence, "{}", s.reason);
    assert_eq!(s.records.len(), 4, "records after June are not counted for H1");
    assert!(s.reason.contains("1次缺少研讨记录（4月10日）"), "{}", s.reason);
    assert!(!s.reason.contains("进度滞后"), "{}", s.reason);
    // The whole year: seven held, one without 研讨.
    let s = f.status("study-sessions", "2026", d(2026, 11, 23));
    assert_eq!((s.status, s.records.len()), (Status::MissingEvidence, 7), "{}", s.reason);
}

#[test]
fn a_report_submitted_after_its_period_is_late_not_missing() {
    let mut f = Fixture::new();
    f.add_filed(UNIT, d(2026, 7, 2), report("2026H1", Some(d(2026, 7, 2))));
    let s = f.status("half-year-report", "2026H1", d(2026, 11, 23));
    assert_eq!(s.status, Status::Late, "{}", s.reason);
}

pub(crate) fn problem(deadline: NaiveDate, rectified: Option<NaiveDate>) -> crate::rectification::Rectification {
    crate::rectification::Rectification {
        id: 1,
        unit_id: UNIT,
        source: crate::rectification::FindingSource::Inspection,
        found_on: d(2026, 9, 10),
        problem: "意识形态工作责任清单未细化到班子成员".into(),
        measures: "细化责任清单".into(),
        owner: Some(102),
        deadline,
        evidence: String::new(),
        rectified_on: rectified,
        closed_on: None,
        opinion: String::new(),
    }
}

#[test]
fn problems_are_rectified_by_their_deadline() {
    // (deadline, rectified on, today, expected status, text that must appear)
    let cases: &[(NaiveDate, Option<NaiveDate>, NaiveDate, Status, &str)] = &[
        (d(2026, 10, 31), None, d(2026, 10, 1), Status::Pending, "正在整改，期限为2026年10月31日"),
        (d(2026, 10, 31), None, d(2026, 10, 24), Status::DueSoon, "须于2026年10月31日前整改到位（还剩7天）"),
        (d(2026, 10, 31), None, d(2026, 10, 31), Status::DueSoon, "还剩0天"),
        (d(2026, 10, 31), None, d(2026, 11, 23), Status::Overdue, "已逾期23天仍未整改到位"),
        (
            d(2026, 10, 31),
            Some(d(2026, 10, 31)),
            d(2026, 11, 23),
            Status::Met,
            "已于2026年10月31日整改完成，待上级销号",
        ),
        (d(2026, 10, 31), Some(d(2026, 11, 2)), d(2026, 11, 23), Status::Late, "2026年11月2日才整改完成，逾期2天"),
        // Rectified after today is not yet rectified.
        (d(2026, 10, 31), Some(d(2026, 11, 30)), d(2026, 11, 23), Status::Overdue, "已逾期23天"),
    ];
    for (deadline, rectified, today, status, text) in cases {
        let mut f = Fixture::new();
        f.rectifications.push(problem(*deadline, *rectified));
        let s = f.status("rectification", "2026", *today);
        assert_eq!(s.status, *status, "{deadline} {rectified:?} {today}: {}", s.reason);
        assert!(s.reason.contains(text), "{}", s.reason);
        assert!(s.reason.contains("上级督查问题“意识形态工作责任清单未细化到班子成员”"), "{}", s.reason);
    }
    let none = Fixture::new().status("rectification", "2026", d(2026, 11, 23));
    assert_eq!((none.status, none.reason.as_str()), (Status::Met, "本期没有需要整改的问题"));
    // A problem closed last year does not count in this year.
    let mut f = Fixture::new();
    f.rectifications.push(crate::rectification::Rectification {
        found_on: d(2025, 3, 1),
        ..problem(d(2025, 5, 31), Some(d(2025, 5, 20)))
    });
    assert_eq!(f.status("rectification", "2026", d(2026, 11, 23)).reason, "本期没有需要整改的问题");
}

fn adopted(id: i64, dept: UnitId, on: NaiveDate) -> crate::news::Submission {
    crate::news::Submission {
        id,
        unit_id: UNIT,
        department_id: dept,
        title: format!("信息{id}"),
        authors: vec![104],
        outlet: "市委办《信息快报》".into(),
        level: crate::news::Level::Municipal,
        submitted_on: on,
        adopted_on: Some(on),
        issue: String::new(),
    }
}

#[test]
fn news_quotas_are_met_per_period() {
    use crate::news::{Measure, Officer, Quota};
    use crate::period::Cadence;
    let mut f = Fixture::new();
    let none = f.status("news-quota", "2026", d(2026, 11, 23));
    assert_eq!((none.status, none.reason.as_str()), (Status::Pending, "尚未设定信息报送定额"));

    // 办公室 owes 2 adoptions a quarter; the whole unit 6 submissions a year.
    let quota = |department_id, cadence, measure, target| Quota {
        id: 1,
        unit_id: UNIT,
        department_id,
        cadence,
        measure,
        target,
    };
    f.news.quotas = vec![
        quota(Some(OFFICE), Cadence::Quarter, Measure::Adopted, 2),
        quota(None, Cadence::Year, Measure::Submitted, 6),
    ];
    f.news.officers = vec![Officer { department_id: OFFICE, person_id: 104 }];
    for (i, (m, day)) in [(1, 5), (2, 5), (4, 5), (5, 5), (8, 1), (10, 9), (11, 2)].into_iter().enumerate() {
        f.news.submissions.push(adopted(i as i64 + 1, OFFICE, d(2026, m, day)));
    }
    // Q3 ended with one adoption: overdue, naming the department, the count,
    // the quota and the officer; the leader in charge of 办公室 must act, and
    // the finding concerns the officer and that leader (reminders go to both).
    let s = f.status("news-quota", "2026", d(2026, 11, 23));
    assert_eq!(s.status, Status::Overdue, "{}", s.reason);
    let q3 = s.findings.iter().find(|f| f.status == Status::Overdue).unwrap();
    assert_eq!(q3.people, [102, 104]);
    assert_eq!(s.reason, "办公室2026年第3季度录用信息1篇，少于定额2篇（信息员：钱编辑）");
    assert_eq!(s.actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["李副局长"]);
    let statuses: Vec<(Option<String>, Status)> = s.findings.iter().map(|f| (f.period.clone(), f.status)).collect();
    let p = |c: &str| Some(c.to_string());
    assert_eq!(
        statuses,
        [
            (p("2026Q1"), Status::Met),
            (p("2026Q2"), Status::Met),
            (p("2026Q3"), Status::Overdue),
            (p("2026Q4"), Status::Met),
            (p("2026"), Status::Met),
        ]
    );

    // In September, Q3 is short with 15 days left: due soon.
    let s = f.status("news-quota", "2026Q3", d(2026, 9, 15));
    assert_eq!(s.status, Status::DueSoon, "{}", s.reason);
    assert!(s.reason.contains("距定额2篇还差1篇，9月30日前完成（剩15天）（信息员：钱编辑）"), "{}", s.reason);
    // In a half-year, the yearly quota is judged as it stood on 30 June.
    let s = f.status("news-quota", "2026H1", d(2026, 11, 23));
    assert_eq!(s.status, Status::Met, "{}", s.reason);
    let year = s.findings.iter().find(|f| f.period.as_deref() == Some("2026")).expect("the yearly quota");
    assert_eq!(
        (year.status, year.text.as_str()),
        (Status::Pending, "全单位2026年已报送信息4篇，定额6篇，12月31日前完成")
    );
    // All met: one short sentence rather than one per period.
    f.news.submissions.push(adopted(9, OFFICE, d(2026, 9, 1)));
    let s = f.status("news-quota", "2026", d(2026, 11, 23));
    assert_eq!((s.status, s.reason.as_str()), (Status::Met, "5项均达到要求"));
}

mod feedback_register {
    use super::*;
    use crate::drafts::Person as Staff;
    use crate::feedback::{Feedback, Level, NewFeedback, ResponseForm, Source, SourceKind, Step, StepKind};
    use crate::feedback::{FeedbackData, RegisterEntry};
    use chrono::{DateTime, Duration};

    /// Beijing 09:30 on the given day of November 2026, plus `hours`.
    fn at(day: u32, hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 1, 30, 0).unwrap() + Duration::hours(hours)
    }

    fn entry(id: i64, summary: &str, discovered: DateTime<Utc>) -> RegisterEntry {
        let new = NewFeedback {
            source: Source::checked(SourceKind::Hotline, "12345热线", None).unwrap(),
            summary: summary.into(),
            category: "民生诉求".into(),
            level: Level::General,
            owner: Staff { id: 104, name: "钱编辑".into() },
            discovered: Step::new(StepKind::Discover, discovered, Staff { id: 101, name: "王书记".into() }, ""),
        };
        RegisterEntry { id, feedback: Feedback::new(new, discovered).unwrap() }
    }

    fn answered(mut e: RegisterEntry, when: DateTime<Utc>) -> RegisterEntry {
        let by = Staff { id: 104, name: "钱编辑".into() };
        e.feedback.record(Step::new(StepKind::Verify, when, by.clone(), "属实"), when).unwrap();
        e.feedback.record(Step::new(StepKind::Handle, when, by.clone(), "已办理"), when).unwrap();
        let mut reply = Step::new(StepKind::Respond, when, by, "已答复");
        reply.form = Some(ResponseForm::Reply);
        e.feedback.record(reply, when).unwrap();
        e
    }

    fn fixture(entries: Vec<RegisterEntry>, now: DateTime<Utc>) -> Fixture {
        let mut f = Fixture::new();
        f.feedback = FeedbackData { entries, now: Some(now), ..FeedbackData::default() };
        f
    }

    #[test]
    fn an_entry_past_its_48_hours_makes_the_duty_overdue_naming_the_entry_and_its_owner() {
        let f = fixture(vec![entry(1, "群众反映低保审批慢", at(20, 0))], at(23, 0));
        let s = f.status("feedback-response", "2026", d(2026, 11, 23));
        assert_eq!(s.status, Status::Overdue, "{}", s.reason);
        assert_eq!(s.reason, "“群众反映低保审批慢”2026年11月20日发现，超过48小时未回应（已逾期1天）（责任人：钱编辑）");
        assert_eq!(s.findings[0].people, [104], "its owner is reminded");
        assert_eq!(s.due, Some(d(2026, 11, 22)));
        assert_eq!(s.actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["李副局长"]);
    }

    #[test]
    fn an_entry_answered_late_stays_visible_and_one_on_time_is_counted() {
        let late = answered(entry(1, "反映办事窗口排队久", at(2, 0)), at(5, 0));
        let on_time = answered(entry(2, "咨询补贴发放时间", at(10, 0)), at(10, 5));
        let f = fixture(vec![late, on_time.clone()], at(23, 0));
        let s = f.status("feedback-response", "2026", d(2026, 11, 23));
        assert_eq!(s.status, Status::Late, "{}", s.reason);
        assert_eq!(s.reason, "“反映办事窗口排队久”2026年11月2日发现，逾期1天回应");
        let f = fixture(vec![on_time], at(23, 0));
        let s = f.status("feedback-response", "2026", d(2026, 11, 23));
        assert_eq!((s.status, s.reason.as_str()), (Status::Met, "本期1项舆情与诉求处置时限均按时完成"));
    }

    #[test]
    fn an_entry_still_within_its_limit_is_due_soon_and_one_from_an_earlier_period_is_left_out() {
        let running = entry(1, "反映路灯不亮", at(23, -2));
        let f = fixture(vec![running], at(23, 0));
        let s = f.status("feedback-response", "2026Q4", d(2026, 11, 23));
        assert_eq!(s.status, Status::DueSoon, "{}", s.reason);
        assert!(s.reason.ends_with("回应剩余1天22小时（责任人：钱编辑）"), "{}", s.reason);
        // Answered late in November: it belongs to November, not December.
        let late = answered(entry(2, "反映办事窗口排队久", at(2, 0)), at(5, 0));
        let f = fixture(vec![late], at(30, 24 * 10));
        let s = f.status("feedback-response", "2026-11", d(2026, 12, 10));
        assert_eq!(s.status, Status::Late, "{}", s.reason);
        let s = f.status("feedback-response", "2026-12", d(2026, 12, 10));
        assert_eq!((s.status, s.reason.as_str()), (Status::Met, "本期没有需要限时回应的舆情与诉求"));
    }

    #[test]
    fn reminders_go_to_the_people_a_finding_concerns_as_well_as_the_duty_owner() {
        let f = fixture(vec![entry(1, "群众反映低保审批慢", at(20, 0))], at(23, 0));
        let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        let mut eval = evaluate(&list.items, &f.ctx(), Period::parse("2026").unwrap(), d(2026, 11, 23));
        eval.duties.retain(|d| d.item_id == "feedback-response");
        let r = crate::reminder::plan(&eval, crate::reminder::Settings::default(), d(2026, 11, 23));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].recipients, [102, 104], "the leader in charge and the entry's owner");
    }
}
