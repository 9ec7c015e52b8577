//! The report composer: a 报告 or 自查报告 on 落实意识形态工作责任制 for one
//! Party group and period, built only from the engine's evaluation and the
//! records (a [`Source`]).
//!
//! - Title: "中共{单位}关于{期间}落实意识形态工作责任制情况的报告" (or
//!   "…的自查报告"); 主送 the superior; 署名 the organ; 成文日期 the day
//!   the draft is made.
//! - Opening: the basis, the evaluation in numbers, "现将有关情况报告如下：".
//! - 一: what the records show was done, with counts and dates.
//! - 二: every problem the engine found, in the engine's own words, then a
//!   placeholder for the causes, which only a person can judge.
//! - 三: one measure per problem (per duty and subject), naming who is
//!   responsible (the engine's actors) and a deadline ([`measure_deadline`]).
//!
//! The composer never states a fact that is not in the records or the
//! evaluation. Fixed phrases are the genre's (basis, transition, closing)
//! and the measures restate the duty's own rule. Whatever needs a person's
//! judgement is an explicit 【请填写：…】 placeholder, and the .docx is an
//! ordinary document to edit.

use chrono::{Days, NaiveDate};
use taizhang_core::duty::{AppliesTo, Evidence, Rule};
use taizhang_core::engine::evidence::{has_evidence, passes_filter};
use taizhang_core::engine::{DutyStatus, Finding, RecordRef, Status};
use taizhang_core::fields::REPORT_TYPES;
use taizhang_core::period::{chinese_date, short_date, Period};
use taizhang_core::record::{BranchMeetingType, Record, RecordData, RecordKind};

use crate::gbt9704::Inline;
use crate::report::{title_lines_ending, Item, Report, Section, SubSection, TRANSITION};
use crate::source::Source;
use crate::DocsError;

/// The subject of every report this composer writes.
pub const SUBJECT: &str = "落实意识形态工作责任制情况";

/// Days from the report date to the deadline of a measure (整改时限),
/// unless the engine already gives an earlier due date.
pub const MEASURE_DAYS: u64 = 30;

/// Placeholder prompts, exported so tests and the web can find them.
pub const CAUSES_PROMPT: &str = "原因分析";
pub const OTHER_WORK_PROMPT: &str = "本系统未记录的其他工作情况（须有佐证材料）";
pub const PLANS_PROMPT: &str = "下一步其他工作打算";
pub const ACTOR_PROMPT: &str = "责任人";
pub const ADDRESSEE_PROMPT: &str = "【请填写：主送机关】";

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// The half-yearly or annual 报告 to the superior.
    Report,
    /// The 自查报告 prepared for an inspection.
    SelfInspection,
}

impl ReportKind {
    /// Accepts the codes the CLI and the web use: `half-year`, `annual`,
    /// `report`; `self-inspection`, `self-check`; and the Chinese names.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "half-year" | "halfyear" | "annual" | "year" | "report" | "报告" | "半年报告" | "年度报告" => {
                Some(ReportKind::Report)
            }
            "self-inspection" | "self-check" | "selfcheck" | "自查" | "自查报告" => {
                Some(ReportKind::SelfInspection)
            }
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Report => "half-year",
            ReportKind::SelfInspection => "self-inspection",
        }
    }

    /// 报告 / 自查报告: the end of the title, and the file name.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Report => "报告",
            ReportKind::SelfInspection => "自查报告",
        }
    }

    fn headings(self) -> [&'static str; 3] {
        match self {
            ReportKind::Report => ["工作开展情况", "存在的问题", "下一步工作措施"],
            ReportKind::SelfInspection => ["工作落实情况", "自查发现的问题", "整改措施"],
        }
    }
}

/// One problem: a finding the engine marked overdue, missing evidence,
/// late or due soon, with the duty (and subject) it belongs to.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    pub duty: &'a DutyStatus,
    pub finding: Finding,
}

/// Whether a finding is about the report's period or a part of it. A
/// yearly duty evaluated for a half-year has findings about the whole
/// year, judged on the half-year's records only: those are not facts about
/// the year, and the report does not state them (see [`problems`]).
pub fn in_window(period: Period, finding: &Finding) -> bool {
    match finding.period.as_deref().and_then(|c| Period::parse(c).ok()) {
        Some(p) => period.first_day() <= p.first_day() && p.last_day() <= period.last_day(),
        None => true,
    }
}

/// Whether all of a duty's findings are about the report's period.
pub fn duty_in_window(period: Period, duty: &DutyStatus) -> bool {
    duty.findings.iter().all(|f| in_window(period, f))
}

/// Every problem of the source's evaluation, each once, in the order of
/// the duty list: first what went wrong (overdue, missing evidence, late),
/// then what is due soon.
///
/// Findings about the report's period are taken as the engine words them.
/// A duty judged over a longer period (a yearly count in a half-year
/// report) contributes instead what the period's own records show against
/// its evidence requirement, checked with the engine's `has_evidence`
/// ("2026年上半年…中2次缺少研讨记录（4月23日、5月28日）"); whether the year's
/// count is met is for the annual report.
pub fn problems(source: &Source) -> Vec<Problem<'_>> {
    let period = source.period;
    let mut wrong: Vec<Problem> = Vec::new();
    let mut soon = Vec::new();
    for duty in &source.evaluation.duties {
        let mut found: Vec<Finding> = Vec::new();
        for finding in &duty.findings {
            if in_window(period, finding) {
                if finding.status.is_problem() {
                    found.push(finding.clone());
                }
            } else if !found.iter().any(|f| f.status == Status::MissingEvidence) {
                found.extend(evidence_in_period(source, duty));
            }
        }
        for finding in found {
            if wrong.iter().chain(&soon).any(|p: &Problem| p.finding.text == finding.text) {
                continue;
            }
            let p = Problem { duty, finding };
            if p.finding.status == Status::DueSoon {
                soon.push(p);
            } else {
                wrong.push(p);
            }
        }
    }
    wrong.extend(soon);
    wrong
}

/// The period's records of a duty's kind and subject that lack the
/// evidence the duty requires, as one finding worded like the engine's.
fn evidence_in_period(source: &Source, duty: &DutyStatus) -> Option<Finding> {
    let item = source.item(&duty.item_id)?;
    let (kind, filter, meeting_type) = match &item.rule {
        Rule::Count { record, filter, meeting_type, .. } => (*record, *filter, *meeting_type),
        Rule::Every { record } => (*record, None, None),
        _ => return None,
    };
    let records: Vec<&Record> = source
        .of_kind(kind)
        .filter(|r| match (duty.subject.kind, &r.data) {
            (AppliesTo::Unit, _) => true,
            (AppliesTo::Branch, _) => r.unit_id == duty.subject.id,
            (AppliesTo::Channel, data) => data.channel_id() == Some(duty.subject.id),
        })
        .filter(|r| filter.is_none_or(|f| passes_filter(&r.data, f, None)))
        .filter(|r| match (meeting_type, &r.data) {
            (Some(t), RecordData::BranchMeeting(m)) => m.meeting_type == t,
            (Some(_), _) => false,
            (None, _) => true,
        })
        .collect();
    let mut parts = Vec::new();
    let mut lacking_all: Vec<&Record> = Vec::new();
    for evidence in &item.evidence {
        let lacking: Vec<&Record> = records.iter().copied().filter(|r| !has_evidence(r, *evidence)).collect();
        if !lacking.is_empty() {
            parts.push(format!("{}次缺少{}（{}）", lacking.len(), evidence.label(), dates(&lacking)));
            lacking_all.extend(lacking);
        }
    }
    if parts.is_empty() {
        return None;
    }
    lacking_all.sort_by_key(|r| (r.occurred_on, r.id));
    lacking_all.dedup_by_key(|r| r.id);
    let prefix = match duty.subject.kind {
        AppliesTo::Unit => "",
        _ => duty.subject.name.as_str(),
    };
    Some(Finding {
        status: Status::MissingEvidence,
        text: format!("{prefix}{}{}中{}", source.period.label(), duty.title, parts.join("，")),
        period: Some(source.period.code()),
        records: lacking_all
            .iter()
            .map(|r| RecordRef { id: r.id, date: r.occurred_on, title: r.data.title() })
            .collect(),
        due: None,
        people: vec![],
    })
}

/// The deadline of the measure for some problems: the earliest due date the
/// engine gives for a problem that is due soon, or [`MEASURE_DAYS`] after
/// the report date, whichever is earlier.
pub fn measure_deadline(today: NaiveDate, problems: &[Problem]) -> NaiveDate {
    let standard = today + Days::new(MEASURE_DAYS);
    problems
        .iter()
        .filter(|p| p.finding.status == Status::DueSoon)
        .filter_map(|p| p.finding.due)
        .filter(|d| *d >= today)
        .fold(standard, NaiveDate::min)
}

/// The report as a builder value (for further changes before writing).
pub fn compose(source: &Source, kind: ReportKind) -> Report {
    let period = source.period.label();
    let title = title_lines_ending(&source.organ(), &[&period, SUBJECT], &format!("的{}", kind.label()));
    let [h1, h2, h3] = kind.headings();
    let found = problems(source);
    Report::new(title, source.organ(), source.today)
        .addressee(source.superior.clone().unwrap_or_else(|| ADDRESSEE_PROMPT.into()))
        .opening(opening(source, kind))
        .transition(TRANSITION)
        .section(facts(source, h1))
        .section(problem_section(source, h2, &found))
        .section(measure_section(source, kind, h3, &found))
        .description(provenance(source))
}

/// Where the figures came from, kept in the file's properties (never
/// printed): an inspector who keeps the report holds the audit-chain head
/// and can later check with `taizhang verify --expect-head`.
pub fn provenance(source: &Source) -> String {
    format!(
        "由台账系统根据{}的记录生成；生成时审计链链头 {}（共{}条审计记录），可用 taizhang verify --expect-head 核对数据此后未被截断或改写。",
        source.period.label(),
        source.audit.head,
        source.audit.entries
    )
}

/// The report as .docx bytes.
pub fn report_docx(source: &Source, kind: ReportKind) -> Result<Vec<u8>, DocsError> {
    compose(source, kind).to_docx()
}

fn opening(source: &Source, kind: ReportKind) -> Vec<Inline> {
    let verb = match kind {
        ReportKind::Report => "梳理总结",
        ReportKind::SelfInspection => "自查",
    };
    let mut text = format!(
        "根据意识形态工作责任制有关规定，{}对照责任清单，对{}{}进行了{verb}。",
        source.unit.name,
        source.period.label(),
        SUBJECT
    );
    text.push_str(&evaluation_summary(source));
    vec![Inline::text(text)]
}

/// "截至…，责任清单中适用于本单位的事项共17项（…计25项次），其中已完成…"
/// from the evaluation's statuses; statuses with no duty are left out.
/// Duties judged over a longer period than the report's (yearly counts in
/// a half-year report) are counted apart, without a status.
fn evaluation_summary(source: &Source) -> String {
    let e = &source.evaluation;
    let mut items: Vec<&str> = e.duties.iter().map(|d| d.item_id.as_str()).collect();
    items.sort_unstable();
    items.dedup();
    let (inside, outside): (Vec<&DutyStatus>, Vec<&DutyStatus>) =
        e.duties.iter().partition(|d| duty_in_window(source.period, d));
    let mut scope = Vec::new();
    if !source.branches.is_empty() {
        scope.push(format!("{}个党支部", source.branches.len()));
    }
    if !source.channels.is_empty() {
        scope.push(format!("{}个宣传阵地", source.channels.len()));
    }
    let scope = if scope.is_empty() {
        String::new()
    } else {
        format!("（按{}、{}分别检查，计{}项次）", source.body(), scope.join("、"), e.duties.len())
    };
    let order = [
        (Status::Met, "已完成"),
        (Status::Late, "逾期完成"),
        (Status::MissingEvidence, "缺少佐证"),
        (Status::Overdue, "逾期未完成"),
        (Status::DueSoon, "即将到期"),
        (Status::Pending, "尚未到期"),
    ];
    let mut counts: Vec<String> = order
        .iter()
        .filter_map(|(s, label)| {
            let n = inside.iter().filter(|d| d.status == *s).count();
            (n > 0).then(|| format!("{label}{n}项次"))
        })
        .collect();
    if !outside.is_empty() {
        counts.push(format!("另有{}项次按年度考核，本报告只列出本期记录反映的问题", outside.len()));
    }
    format!(
        "截至{}，责任清单中适用于本单位的事项共{}项{scope}，其中{}。",
        chinese_date(source.today),
        items.len(),
        counts.join("，")
    )
}

// ---------------------------------------------------------------------------
// Part 一: the facts, counted from the records.

fn dates(records: &[&Record]) -> String {
    records.iter().map(|r| short_date(r.occurred_on)).collect::<Vec<_>>().join("、")
}

fn facts(source: &Source, heading: &str) -> Section {
    let p = source.period.label();
    let mut section = Section::new(heading)
        .subsection(SubSection::new("理论学习。").run_in(vec![Inline::text(study_text(source, &p))]))
        .subsection(
            SubSection::new(format!("{}会议和“第一议题”。", source.body()))
                .run_in(vec![Inline::text(meeting_text(source, &p))]),
        )
        .subsection(SubSection::new("分析研判和风险防控。").run_in(vec![Inline::text(analysis_text(source, &p))]))
        .subsection(SubSection::new("向上级报告工作。").run_in(vec![Inline::text(report_text(source, &p))]));
    if !source.branches.is_empty() {
        let mut sub = SubSection::new("基层党组织生活。");
        for (i, branch) in source.branches.iter().enumerate() {
            let text = branch_text(source, branch.id, &branch.name, &p);
            if i == 0 {
                sub = sub.run_in(vec![Inline::text(text)]);
            } else {
                sub = sub.paragraph(text);
            }
        }
        section = section.subsection(sub);
    }
    if !source.channels.is_empty() {
        section =
            section.subsection(SubSection::new("宣传阵地管理。").run_in(vec![Inline::text(channel_text(source, &p))]));
    }
    if let Some(publishing) = &source.publishing {
        section = section.subsection(SubSection::new("三审三校。").run_in(vec![Inline::text(publishing.sentence(&p))]));
    }
    if let Some(news) = &source.news {
        section = section.subsection(SubSection::new("信息报送。").run_in(vec![Inline::text(news.sentence())]));
    }
    section.placeholder(OTHER_WORK_PROMPT)
}

fn study_text(source: &Source, p: &str) -> String {
    let all: Vec<&Record> = source.of_kind(RecordKind::Study).collect();
    if all.is_empty() {
        return format!("{p}，{}理论学习中心组未开展集体学习。", source.body());
    }
    let sessions: Vec<_> = all
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::Study(s) => Some(s),
            _ => None,
        })
        .collect();
    let ideology: Vec<&Record> =
        all.iter().copied().filter(|r| matches!(&r.data, RecordData::Study(s) if s.on_ideology)).collect();
    let discussed = sessions.iter().filter(|s| !s.discussion.trim().is_empty()).count();
    let ideology_text = if ideology.is_empty() {
        "未安排意识形态专题学习".to_string()
    } else {
        format!("意识形态专题学习{}次（{}）", ideology.len(), dates(&ideology))
    };
    format!(
        "{p}，{}理论学习中心组开展集体学习{}次（{}），其中{ideology_text}；{}次学习留有研讨记录。",
        source.body(),
        all.len(),
        dates(&all),
        discussed
    )
}

fn meeting_text(source: &Source, p: &str) -> String {
    let body = source.body();
    let meetings: Vec<&Record> = source.of_kind(RecordKind::PartyGroupMeeting).collect();
    let mut text = if meetings.is_empty() {
        format!("{p}未召开{body}会议。")
    } else {
        let agenda = |r: &Record| match &r.data {
            RecordData::PartyGroupMeeting(m) => Some(m.agenda.clone()),
            _ => None,
        };
        let first =
            meetings.iter().filter(|r| agenda(r).is_some_and(|a| a.first().is_some_and(|i| i.first_topic))).count();
        let ideology: Vec<&Record> =
            meetings.iter().copied().filter(|r| agenda(r).is_some_and(|a| a.iter().any(|i| i.ideology))).collect();
        let first_text = if first == meetings.len() {
            "每次均以“第一议题”为首项议题".to_string()
        } else {
            format!("其中{first}次以“第一议题”为首项议题")
        };
        let ideology_text = if ideology.is_empty() {
            "未专题研究意识形态工作".to_string()
        } else {
            format!("专题研究意识形态工作{}次（{}）", ideology.len(), dates(&ideology))
        };
        format!("{p}召开{body}会议{}次（{}），{first_text}；{ideology_text}。", meetings.len(), dates(&meetings))
    };
    let life: Vec<&Record> = source.of_kind(RecordKind::LifeMeeting).collect();
    if !life.is_empty() {
        text.push_str(&format!("召开党员领导干部民主生活会{}次（{}）。", life.len(), dates(&life)));
    }
    text
}

fn analysis_text(source: &Source, p: &str) -> String {
    let analyses: Vec<&Record> = source.of_kind(RecordKind::Analysis).collect();
    let mut text = if analyses.is_empty() {
        format!("{p}未开展意识形态领域情况分析研判。")
    } else {
        let reports = analyses
            .iter()
            .filter(|r| matches!(&r.data, RecordData::Analysis(a) if !a.report.trim().is_empty()))
            .count();
        format!(
            "{p}开展意识形态领域情况分析研判{}次（{}），形成研判报告{reports}份。",
            analyses.len(),
            dates(&analyses)
        )
    };
    let reviews: Vec<&Record> = source.of_kind(RecordKind::RiskReview).collect();
    match reviews.last().map(|r| &r.data) {
        None => text.push_str("本期未复核风险隐患台账。"),
        Some(RecordData::RiskReview(last)) => text.push_str(&format!(
            "复核风险隐患台账{}次（{}），最近一次复核时在册风险点{}个。",
            reviews.len(),
            dates(&reviews),
            last.risks_count
        )),
        Some(_) => {}
    }
    text
}

fn report_type_label(code: &str) -> &str {
    REPORT_TYPES.iter().find(|(c, _)| *c == code).map_or(code, |(_, l)| l)
}

fn report_text(source: &Source, p: &str) -> String {
    let reports: Vec<_> = source
        .of_kind(RecordKind::Report)
        .filter_map(|r| match &r.data {
            RecordData::Report(rep) => Some(rep),
            _ => None,
        })
        .collect();
    if reports.is_empty() {
        return format!("{p}未登记向上级报送的报告。");
    }
    let listed: Vec<String> = reports
        .iter()
        .map(|r| {
            let title = r.title.trim().trim_start_matches('《').trim_end_matches('》');
            let when = match r.submitted_on {
                Some(d) => format!("{}报送", chinese_date(d)),
                None => "尚未报送".into(),
            };
            format!("《{title}》（{}，{when}）", report_type_label(&r.report_type))
        })
        .collect();
    format!("{p}登记向上级报送的报告{}份：{}。", reports.len(), listed.join("；"))
}

fn branch_text(source: &Source, branch: i64, name: &str, p: &str) -> String {
    use BranchMeetingType as T;
    let count = |t: T| {
        source
            .of_kind(RecordKind::BranchMeeting)
            .filter(|r| r.unit_id == branch)
            .filter(|r| matches!(&r.data, RecordData::BranchMeeting(m) if m.meeting_type == t))
            .count()
    };
    // (type, verb, whether a zero is worth saying: the regular meetings).
    let kinds = [
        (T::MembersMeeting, "召开", true),
        (T::Committee, "召开", true),
        (T::Group, "召开", true),
        (T::Lecture, "讲", true),
        (T::ThemeDay, "开展", true),
        (T::OrgLife, "召开", false),
        (T::MemberReview, "开展", false),
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut last_verb = "";
    for (t, verb, regular) in kinds {
        let n = count(t);
        let label = if t == T::Lecture { "党课" } else { t.label() };
        if n > 0 {
            // "召开支部党员大会3次、支委会6次" — the verb once per run.
            if verb == last_verb {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&format!("、{label}{n}次"));
                    continue;
                }
            }
            parts.push(format!("{verb}{label}{n}次"));
            last_verb = verb;
        } else if regular {
            missing.push(format!("未{verb}{label}"));
            last_verb = "";
        }
    }
    let mut all = parts;
    all.extend(missing);
    if all.is_empty() {
        return format!("{name}{p}未登记组织生活记录。");
    }
    format!("{name}{p}{}。", all.join("，"))
}

fn channel_text(source: &Source, p: &str) -> String {
    let parts: Vec<String> = source
        .channels
        .iter()
        .map(|c| {
            if c.kind == "event" {
                return event_text(source, c, p);
            }
            let updates: Vec<&Record> = source
                .of_kind(RecordKind::ChannelUpdate)
                .filter(|r| matches!(&r.data, RecordData::ChannelUpdate(u) if u.channel_id == c.id))
                .collect();
            match updates.last() {
                None => format!("{}{p}未更新", c.name),
                Some(last) => {
                    format!("{}更新{}次，最近一次为{}", c.name, updates.len(), chinese_date(last.occurred_on))
                }
            }
        })
        .collect();
    format!("{p}，{}。", parts.join("；"))
}

/// An event channel: how many events were held and whether each was
/// reviewed and filed beforehand.
fn event_text(source: &Source, channel: &taizhang_core::engine::Channel, p: &str) -> String {
    let events: Vec<(&Record, bool)> = source
        .of_kind(RecordKind::EventFiling)
        .filter_map(|r| match &r.data {
            RecordData::EventFiling(e) if e.channel_id == channel.id && r.occurred_on <= source.today => {
                Some((r, e.filed_in_time(r.occurred_on)))
            }
            _ => None,
        })
        .collect();
    let late = events.iter().filter(|(_, ok)| !ok).count();
    match (events.len(), late) {
        (0, _) => format!("{}{p}未举办活动", channel.name),
        (n, 0) => format!("{}举办活动{n}场，均事先审核报备", channel.name),
        (n, l) => format!("{}举办活动{n}场，其中{l}场未事先审核报备", channel.name),
    }
}

// ---------------------------------------------------------------------------
// Part 二: the problems, in the engine's words.

fn problem_section(source: &Source, heading: &str, found: &[Problem]) -> Section {
    let p = source.period.label();
    let mut section = Section::new(heading);
    if found.is_empty() {
        return section
            .paragraph(format!(
                "对照责任清单逐项检查，截至{}，{p}未发现逾期未完成、逾期完成、缺少佐证或即将到期的事项。",
                chinese_date(source.today)
            ))
            .placeholder("需要说明的其他问题");
    }
    let soon = found.iter().filter(|x| x.finding.status == Status::DueSoon).count();
    let wrong = found.len() - soon;
    if wrong > 0 {
        section = section.paragraph(format!("对照责任清单逐项检查，{p}存在以下{}个问题：", wrong));
    }
    for (i, problem) in found.iter().enumerate() {
        if i == wrong {
            section = section
                .paragraph(format!("截至{}，以下{soon}项工作即将到期，须按时完成：", chinese_date(source.today)));
        }
        section = section.item(Item::Point {
            heading: format!("{}。", problem.duty.title),
            run_in: vec![Inline::text(format!("{}。", problem.finding.text))],
        });
    }
    section.placeholder(CAUSES_PROMPT)
}

// ---------------------------------------------------------------------------
// Part 三: one measure per duty and subject with problems.

fn measure_section(source: &Source, kind: ReportKind, heading: &str, found: &[Problem]) -> Section {
    let mut section = Section::new(heading);
    if !found.is_empty() {
        section = section.paragraph("针对上述问题，逐项明确整改措施、责任人和完成时限：");
    }
    // Problems grouped by duty and subject, keeping first-seen order; the
    // numbers are those of part 二.
    let mut groups: Vec<(&DutyStatus, Vec<(usize, Problem)>)> = Vec::new();
    for (i, problem) in found.iter().enumerate() {
        let same = |d: &DutyStatus| d.item_id == problem.duty.item_id && d.subject.id == problem.duty.subject.id;
        match groups.iter_mut().find(|(d, _)| same(d)) {
            Some((_, list)) => list.push((i + 1, problem.clone())),
            None => groups.push((problem.duty, vec![(i + 1, problem.clone())])),
        }
    }
    for (duty, list) in &groups {
        let problems: Vec<Problem> = list.iter().map(|(_, p)| p.clone()).collect();
        let numbers: Vec<String> = list.iter().map(|(n, _)| n.to_string()).collect();
        let mut run_in = vec![Inline::text(format!(
            "{}（针对问题{}）。责任人：",
            measure_text(source, duty, &problems),
            numbers.join("、")
        ))];
        run_in.extend(actor_inlines(duty));
        run_in
            .push(Inline::text(format!("。完成时限：{}前。", chinese_date(measure_deadline(source.today, &problems)))));
        section = section.item(Item::Point { heading: format!("{}。", duty.title), run_in });
    }
    if found.is_empty() || kind == ReportKind::Report {
        section = section.placeholder(PLANS_PROMPT);
    }
    section
}

/// "第一责任人王建国", or a placeholder when nobody holds the role.
fn actor_inlines(duty: &DutyStatus) -> Vec<Inline> {
    let named: Vec<String> =
        duty.actors.iter().filter(|a| a.person_id.is_some()).map(|a| format!("{}{}", a.role, a.name)).collect();
    if named.is_empty() {
        let role = duty.actors.first().map(|a| a.role.clone());
        let mut out = Vec::new();
        if let Some(role) = role {
            out.push(Inline::text(role));
        }
        out.push(Inline::Placeholder(ACTOR_PROMPT.into()));
        return out;
    }
    vec![Inline::text(named.join("、"))]
}

/// The measure restates the duty's own rule; it adds no fact.
fn measure_text(source: &Source, duty: &DutyStatus, problems: &[Problem]) -> String {
    let superior = source.superior.as_deref().unwrap_or("上级");
    let item = source.item(&duty.item_id);
    let worst = problems.iter().map(|p| p.finding.status).max().unwrap_or(Status::Overdue);
    let who = match duty.subject.kind {
        AppliesTo::Unit => String::new(),
        _ => duty.subject.name.clone(),
    };
    let rule = duty.rule.as_str();
    let title = duty.title.as_str();
    let lacking = lacking_evidence(source, item.map(|i| i.evidence.as_slice()).unwrap_or(&[]), problems);
    let evidence_measure = |kind_label: &str| {
        if lacking.contains(&Evidence::FirstTopic) {
            return format!("今后每次{kind_label}均须将“第一议题”作为首项议题，会议记录如实载明");
        }
        let labels: Vec<_> = lacking.iter().map(|e| e.label()).collect();
        let labels = if labels.is_empty() { "规定的佐证材料".to_string() } else { labels.join("、") };
        format!("{who}对缺少{labels}的{kind_label}逐次核实情况，今后每次{kind_label}均须形成并留存{labels}")
    };
    match item.map(|i| &i.rule) {
        Some(Rule::Count { record, .. }) if worst == Status::MissingEvidence => evidence_measure(record.label()),
        Some(Rule::Every { record }) => evidence_measure(record.label()),
        Some(Rule::Count { record, .. }) => {
            let verb = match record {
                RecordKind::PartyGroupMeeting | RecordKind::BranchMeeting | RecordKind::LifeMeeting => "召开",
                _ => "开展",
            };
            format!("{who}严格落实{title}{rule}的要求，提前安排、按期{verb}，并及时录入台账")
        }
        Some(Rule::Deadline { .. }) => match worst {
            Status::MissingEvidence => {
                format!("向{superior}核实{title}的接收情况，补充登记上级回执")
            }
            Status::Overdue => {
                format!("尽快向{superior}报送逾期未报的{title}，今后严格执行“{rule}”的要求")
            }
            Status::DueSoon => format!("在截止日期前向{superior}报送{title}"),
            _ => format!("严格执行“{rule}”的要求，提前起草、审核，按时向{superior}报送{title}"),
        },
        Some(Rule::Freshness { record, .. }) => {
            let (verb, what) = match record {
                RecordKind::RiskReview => ("复核", title.to_string()),
                _ => ("更新", duty.subject.name.clone()),
            };
            let now = if worst == Status::DueSoon { "按期" } else { "立即" };
            format!("{now}{verb}{what}，此后严格执行{rule}的要求，定期{verb}并留存记录")
        }
        Some(Rule::Rectification {}) => {
            format!("{who}对照整改清单逐项落实整改措施，在期限内整改到位，及时报请{superior}销号")
        }
        Some(Rule::NewsQuota {}) => {
            format!("{who}对照信息报送定额，督促未完成定额的科室和信息员加强信息采写和报送，逐月跟踪报送和录用情况")
        }
        Some(Rule::EventFiling {}) => {
            format!("{who}严格执行“先审后办”，每场活动举办前审核主讲人和内容，并向{superior}报备，留存活动报备单")
        }
        Some(Rule::Feedback {}) => {
            format!("对逾期的舆情与诉求逐件督促责任人核实、处置并回应，严格执行“{rule}”的要求，逐件办结")
        }
        None => format!("{who}对照责任清单落实{title}的要求"),
    }
}

/// The evidence the duty requires that the problems' records lack.
fn lacking_evidence(source: &Source, required: &[Evidence], problems: &[Problem]) -> Vec<Evidence> {
    required
        .iter()
        .copied()
        .filter(|e| {
            problems.iter().any(|p| {
                p.finding.status == Status::MissingEvidence
                    && p.finding.records.iter().filter_map(|r| source.record(r.id)).any(|r| !has_evidence(r, *e))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_cli_and_web_codes() {
        for code in ["half-year", "annual", "report", "报告"] {
            assert_eq!(ReportKind::parse(code), Some(ReportKind::Report), "{code}");
        }
        for code in ["self-inspection", "self_inspection", "自查报告"] {
            assert_eq!(ReportKind::parse(code), Some(ReportKind::SelfInspection), "{code}");
        }
        assert_eq!(ReportKind::parse("memo"), None);
        for k in [ReportKind::Report, ReportKind::SelfInspection] {
            assert_eq!(ReportKind::parse(k.code()), Some(k));
        }
    }
}
