//! Demo entries of the feedback register (舆情与诉求处置台账) for
//! 县民政局党组: three closed entries (a 12345 call, an online message, a
//! 较大 media report taken through every step) and one 较大 online post
//! discovered on 2026-11-20, verified, reported and handled but not yet
//! answered: past its 48-hour limit on [`crate::demo_today`] at any hour.

use taizhang_core::drafts::Person;
use taizhang_core::feedback::{
    parse_beijing_time, Level, NewFeedback, ResponseForm, Source, SourceKind, Step, StepKind,
};
use taizhang_store::{Actor, StoreError, WriteTx};

/// The people of 县民政局党组 who appear in the demo entries.
pub(crate) struct Cast {
    pub group: i64,
    pub staff: Person,
    pub office: Person,
    pub leader: Person,
    pub secretary: Person,
}

/// The summary of the entry left overdue, for tests to find.
pub const OVERDUE_SUMMARY: &str = "网民发帖反映低保审批办理时间过长";

struct Entry {
    source: (SourceKind, &'static str, Option<&'static str>),
    summary: &'static str,
    category: &'static str,
    level: Level,
    /// Index into the cast: 0 staff, 1 office, 2 leader, 3 secretary.
    owner: usize,
    /// (step, Beijing time, who, note, report to / response form)
    steps: &'static [(StepKind, &'static str, usize, &'static str, Extra)],
}

#[derive(Clone, Copy)]
enum Extra {
    None,
    To(&'static str),
    Form(ResponseForm),
}

const ENTRIES: &[Entry] = &[
    Entry {
        source: (SourceKind::Media, "县融媒体中心", None),
        summary: "媒体报道城区一养老机构消防设施不完善",
        category: "媒体关注",
        level: Level::Larger,
        owner: 2,
        steps: &[
            (StepKind::Discover, "2026-09-08 08:30", 0, "县融媒体中心“民生热线”栏目报道", Extra::None),
            (StepKind::Verify, "2026-09-08 11:00", 1, "会同县消防救援大队现场核查，部分灭火器过期属实", Extra::None),
            (StepKind::Report, "2026-09-08 12:00", 1, "电话报告并报送书面情况", Extra::To("县委宣传部")),
            (StepKind::Handle, "2026-09-08 17:00", 2, "责令该机构限期整改，当日更换灭火器", Extra::None),
            (
                StepKind::Respond,
                "2026-09-09 10:00",
                0,
                "在局门户网站发布整改情况说明",
                Extra::Form(ResponseForm::Statement),
            ),
            (StepKind::Close, "2026-09-15 16:00", 3, "整改完成，复查合格，销号", Extra::None),
        ],
    },
    Entry {
        source: (SourceKind::Online, "领导留言板", Some("https://liuyan.example.cn/threads/10001")),
        summary: "网民留言反映社区办理临时救助要求的材料过多",
        category: "民生诉求",
        level: Level::General,
        owner: 2,
        steps: &[
            (StepKind::Discover, "2026-10-12 09:10", 0, "", Extra::None),
            (StepKind::Verify, "2026-10-12 11:00", 1, "经核实，社区要求提供的材料超出办事指南清单", Extra::None),
            (StepKind::Handle, "2026-10-12 16:00", 2, "督促社区按清单收取材料，对经办人员提醒谈话", Extra::None),
            (StepKind::Respond, "2026-10-13 10:00", 0, "在留言板回复办理情况", Extra::Form(ResponseForm::Reply)),
            (StepKind::Close, "2026-10-16 17:00", 2, "留言人表示满意，销号", Extra::None),
        ],
    },
    Entry {
        source: (SourceKind::Hotline, "12345", None),
        summary: "来电咨询高龄津贴申领条件和流程",
        category: "政策咨询",
        level: Level::General,
        owner: 1,
        steps: &[
            (StepKind::Discover, "2026-11-03 14:20", 1, "12345热线转办", Extra::None),
            (StepKind::Verify, "2026-11-03 14:40", 1, "属政策咨询", Extra::None),
            (StepKind::Handle, "2026-11-03 15:00", 1, "整理申领条件和所需材料清单", Extra::None),
            (StepKind::Respond, "2026-11-03 15:10", 1, "电话答复来电人", Extra::Form(ResponseForm::Reply)),
            (StepKind::Close, "2026-11-04 09:00", 1, "热线回访满意，办结", Extra::None),
        ],
    },
    Entry {
        source: (SourceKind::Online, "微博", Some("https://weibo.example.cn/status/20261120")),
        summary: OVERDUE_SUMMARY,
        category: "民生诉求",
        level: Level::Larger,
        owner: 2,
        steps: &[
            (StepKind::Discover, "2026-11-20 09:30", 0, "转发评论较多", Extra::None),
            (StepKind::Verify, "2026-11-20 15:00", 1, "经核实，两户低保申请超过规定时限未审批", Extra::None),
            (StepKind::Report, "2026-11-20 16:00", 1, "", Extra::To("局党组书记王建国")),
            (StepKind::Handle, "2026-11-21 10:00", 2, "督促乡镇民政所加快审批", Extra::None),
        ],
    },
];

fn time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    parse_beijing_time(text).ok_or_else(|| StoreError::Invalid(format!("演示数据中的时间有误：{text}")))
}

/// Writes the demo entries, as typed in by the staff member.
pub(crate) async fn seed(w: &mut WriteTx<'_>, cast: &Cast) -> Result<usize, StoreError> {
    let people = [&cast.staff, &cast.office, &cast.leader, &cast.secretary];
    let actor = Actor { person_id: Some(cast.staff.id), name: cast.staff.name.clone() };
    let now = taizhang_core::period::shanghai_day_start(crate::demo_today());
    let invalid = |e: taizhang_core::feedback::FeedbackError| StoreError::Invalid(e.to_string());
    for e in ENTRIES {
        let step = |(kind, at, who, note, extra): &(StepKind, &str, usize, &str, Extra)| -> Result<Step, StoreError> {
            let mut s = Step::new(*kind, time(at)?, people[*who].clone(), *note);
            match extra {
                Extra::To(to) => s.to = Some(to.to_string()),
                Extra::Form(f) => s.form = Some(*f),
                Extra::None => {}
            }
            Ok(s)
        };
        let (kind, detail, url) = e.source;
        let new = NewFeedback {
            source: Source::checked(kind, detail, url).map_err(invalid)?,
            summary: e.summary.into(),
            category: e.category.into(),
            level: e.level,
            owner: people[e.owner].clone(),
            discovered: step(&e.steps[0])?,
        };
        let id = w.create_feedback(&actor, cast.group, new, now).await?.id;
        for s in &e.steps[1..] {
            w.record_feedback_step(&actor, id, step(s)?, now).await?;
        }
    }
    Ok(ENTRIES.len())
}
