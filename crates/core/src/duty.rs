//! Duty lists (责任清单) as data: the model and its TOML loader.
//!
//! A list is a versioned TOML document; see `duty-lists/default.toml` for the
//! built-in list and `docs/duty-lists.md` for the format.

use crate::period::Cadence;
use crate::record::{BranchMeetingType, RecordKind};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ops::Range;

/// The built-in default list, embedded in the binary.
pub const DEFAULT_LIST_TOML: &str = include_str!("../../../duty-lists/default.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyList {
    pub id: String,
    pub name: String,
    pub version: String,
    pub items: Vec<DutyItem>,
    /// The annual assessment's parameters, when the list sets them.
    #[serde(default)]
    pub assessment: Option<crate::assessment::Rules>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyItem {
    pub id: String,
    pub title: String,
    pub category: String,
    pub owner: OwnerRole,
    /// For `leader` and `department_head`: the department whose leader in
    /// charge, or head, must act (e.g. 办公室).
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// For `applies_to = "channel"`: the kinds of channel the duty covers
    /// (e.g. only `event` for 审核报备); empty for every channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_kinds: Vec<String>,
    pub rule: Rule,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub points: u32,
    /// The rule's source, shown to people (e.g. 《实施办法》第七条).
    #[serde(default)]
    pub basis: String,
    /// How many days before a deadline the item counts as due soon.
    #[serde(default)]
    pub remind_days: Option<u32>,
}

/// The kinds of channel a unit can register, with their labels.
pub const CHANNEL_KINDS: &[(&str, &str)] = &[
    ("website", "网站栏目"),
    ("wechat", "微信公众号"),
    ("weibo", "微博"),
    ("video", "视频号"),
    ("event", "报告会、讲座、论坛"),
];

/// A channel kind as people say it (网站栏目), or the code when unknown.
pub fn channel_kind_label(kind: &str) -> &str {
    CHANNEL_KINDS.iter().find(|(code, _)| *code == kind).map_or(kind, |(_, label)| *label)
}

/// Who must act on a duty (the role, resolved to people by the engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    /// 第一责任人: the Party group's secretary.
    Secretary,
    /// 直接责任人 / 一岗双责: the leader in charge of `department`.
    Leader,
    /// The head of `department`.
    DepartmentHead,
    /// The secretary of the branch the duty applies to.
    BranchSecretary,
    /// The person responsible for the channel (谁主办谁负责).
    ChannelOwner,
}

impl OwnerRole {
    pub fn label(self) -> &'static str {
        match self {
            OwnerRole::Secretary => "第一责任人",
            OwnerRole::Leader => "分管领导",
            OwnerRole::DepartmentHead => "科室负责人",
            OwnerRole::BranchSecretary => "支部书记",
            OwnerRole::ChannelOwner => "阵地负责人",
        }
    }
}

/// What a duty is evaluated for: the unit itself, each of its Party
/// branches, or each of its publishing channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    #[default]
    Unit,
    Branch,
    Channel,
}

/// A named condition a record must meet to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// On 意识形态: a study with `on_ideology`, or a meeting with an ideology agenda item.
    Ideology,
    /// Given or chaired by the Party group's secretary (书记讲党课).
    BySecretary,
}

impl Filter {
    pub fn label(self) -> &'static str {
        match self {
            Filter::Ideology => "意识形态专题",
            Filter::BySecretary => "书记本人",
        }
    }
}

/// Evidence a counted record must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Attendance: who attended, and a reason for every absentee.
    Attendance,
    /// A 研讨 (discussion) record.
    Discussion,
    Summary,
    Minutes,
    /// 第一议题 as the first agenda item.
    FirstTopic,
    /// The superior's receipt of a report.
    Receipt,
    /// A 研判报告.
    AnalysisReport,
    /// An attached file of one of these kinds (`{ files = ["courseware", "photo"] }`:
    /// 课件 or 照片); see `crate::attachment`.
    Files(crate::attachment::FileKinds),
}

impl Evidence {
    pub fn label(self) -> std::borrow::Cow<'static, str> {
        match self {
            Evidence::Attendance => "考勤记录".into(),
            Evidence::Discussion => "研讨记录".into(),
            Evidence::Summary => "学习小结".into(),
            Evidence::Minutes => "会议记录".into(),
            Evidence::FirstTopic => "第一议题".into(),
            Evidence::Receipt => "上级回执".into(),
            Evidence::AnalysisReport => "研判报告".into(),
            Evidence::Files(kinds) => kinds.label().into(),
        }
    }
}

/// How a duty is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// At least `min` records of a kind in every period of `per`.
    Count {
        record: RecordKind,
        per: Cadence,
        min: u32,
        #[serde(default)]
        filter: Option<Filter>,
        #[serde(default)]
        meeting_type: Option<BranchMeetingType>,
    },
    /// A report of `report_type` for every period of `per`, submitted by the
    /// due date. `due` holds one `MM-DD` per period in the year; a leading
    /// `+` puts the date in the following year (e.g. `+01-31`).
    Deadline { report_type: String, per: Cadence, due: Vec<String> },
    /// No gap between records of a kind longer than `max_days`.
    Freshness { record: RecordKind, max_days: u32 },
    /// Every record of a kind must carry the item's evidence.
    Every { record: RecordKind },
    /// Every problem found by an inspection is rectified by its deadline
    /// (the problems are not records: see `crate::rectification`).
    Rectification {},
    /// Every quota of 信息报送 is met in every period of its cadence (the
    /// quotas and submissions are not records: see `crate::news`).
    NewsQuota {},
    /// Every event held on an event channel (报告会, 讲座, 论坛) was
    /// reviewed and filed with the superior before it was held.
    EventFiling {},
    /// Every entry of the public-feedback register (舆情与诉求) is answered
    /// within its time limits (the entries are not records: see
    /// `crate::feedback`).
    Feedback {},
}

impl Rule {
    /// The kind of record the rule counts; `None` for rectification and news quotas.
    pub fn record_kind(&self) -> Option<RecordKind> {
        match self {
            Rule::Count { record, .. } | Rule::Freshness { record, .. } | Rule::Every { record } => Some(*record),
            Rule::Deadline { .. } => Some(RecordKind::Report),
            Rule::EventFiling {} => Some(RecordKind::EventFiling),
            Rule::Rectification {} | Rule::NewsQuota {} | Rule::Feedback {} => None,
        }
    }

    /// A plain description for pages: 每季度至少1次.
    pub fn describe(&self) -> String {
        match self {
            Rule::Count { per, min, .. } => format!("{}至少{}次", per.label(), min),
            Rule::Deadline { per, due, .. } => {
                let dates: Vec<String> = due.iter().map(|d| describe_due(d)).collect();
                format!("{}报送一次，截止：{}", per.label(), dates.join("、"))
            }
            Rule::Freshness { max_days, .. } => format!("间隔不超过{max_days}天"),
            Rule::Every { .. } => "每次均须符合要求".into(),
            Rule::Rectification {} => "发现的问题在期限内整改到位并销号".into(),
            Rule::NewsQuota {} => "各科室按定额报送信息、信息被录用".into(),
            Rule::EventFiling {} => "每场活动举办前审核并报备".into(),
            Rule::Feedback {} => "舆情与诉求在规定时限内核实、处置并回应".into(),
        }
    }
}

fn describe_due(code: &str) -> String {
    let (next_year, md) = match code.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, code),
    };
    let mut parts = md.split('-').map(|p| p.trim_start_matches('0'));
    let text = format!("{}月{}日前", parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if next_year {
        format!("次年{text}")
    } else {
        text
    }
}

/// A duty list that could not be loaded, with the line it went wrong on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("责任清单第{line}行有误：{message}")]
pub struct DutyListError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    list: RawHeader,
    #[serde(default)]
    item: Vec<toml::Spanned<DutyItem>>,
    #[serde(default)]
    assessment: Option<toml::Spanned<crate::assessment::Rules>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    name: String,
    version: String,
}

fn line_of(source: &str, span: Option<Range<usize>>) -> usize {
    let at = span.map(|s| s.start).unwrap_or(0).min(source.len());
    source.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Loads a duty list, reporting the first error with its line number.
pub fn load_duty_list(source: &str) -> Result<DutyList, DutyListError> {
    let raw: RawList = toml::from_str(source)
        .map_err(|e| DutyListError { line: line_of(source, e.span()), message: e.message().trim().to_string() })?;
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(raw.item.len());
    for spanned in raw.item {
        let line = line_of(source, Some(spanned.span()));
        let item = spanned.into_inner();
        let fail = |message: String| DutyListError { line, message };
        if !seen.insert(item.id.clone()) {
            return Err(fail(format!("事项编号“{}”重复", item.id)));
        }
        check_item(&item).map_err(fail)?;
        items.push(item);
    }
    if items.is_empty() {
        return Err(DutyListError { line: 1, message: "清单中没有任何事项（[[item]]）".into() });
    }
    let assessment = match raw.assessment {
        Some(spanned) => {
            let line = line_of(source, Some(spanned.span()));
            let rules = spanned.into_inner();
            rules.validate().map_err(|message| DutyListError { line, message })?;
            Some(rules)
        }
        None => None,
    };
    Ok(DutyList { id: raw.list.id, name: raw.list.name, version: raw.list.version, items, assessment })
}

/// Checks what serde cannot: values that must agree with each other.
fn check_item(item: &DutyItem) -> Result<(), String> {
    if item.id.trim().is_empty() || item.title.trim().is_empty() {
        return Err("事项须有编号（id）和名称（title）".into());
    }
    if matches!(item.owner, OwnerRole::Leader | OwnerRole::DepartmentHead) && item.department.is_none() {
        return Err(format!("事项“{}”的责任人为分管领导或科室负责人，须写明 department（科室名称）", item.id));
    }
    if item.owner == OwnerRole::BranchSecretary && item.applies_to != AppliesTo::Branch {
        return Err(format!("事项“{}”由支部书记负责，applies_to 应为 branch", item.id));
    }
    if !item.channel_kinds.is_empty() && item.applies_to != AppliesTo::Channel {
        return Err(format!("事项“{}”：channel_kinds 只适用于 applies_to = \"channel\"", item.id));
    }
    if let Some(kind) = item.channel_kinds.iter().find(|k| !CHANNEL_KINDS.iter().any(|(code, _)| code == k)) {
        let known: Vec<&str> = CHANNEL_KINDS.iter().map(|(code, _)| *code).collect();
        return Err(format!("事项“{}”：阵地类型“{kind}”无法识别，应为 {}", item.id, known.join("、")));
    }
    if matches!(item.rule, Rule::EventFiling {}) && item.applies_to != AppliesTo::Channel {
        return Err(format!("事项“{}”：event_filing 须 applies_to = \"channel\"", item.id));
    }
    match &item.rule {
        Rule::Count { min, meeting_type, record, .. } => {
            if *min == 0 {
                return Err(format!("事项“{}”的 min 须大于 0", item.id));
            }
            if meeting_type.is_some() && *record != RecordKind::BranchMeeting {
                return Err(format!("事项“{}”：meeting_type 只适用于 branch_meeting", item.id));
            }
        }
        Rule::Deadline { per, due, .. } => check_due_dates(&item.id, *per, due)?,
        Rule::Freshness { max_days, .. } if *max_days == 0 => {
            return Err(format!("事项“{}”的 max_days 须大于 0", item.id));
        }
        _ => {}
    }
    Ok(())
}

fn check_due_dates(id: &str, per: Cadence, due: &[String]) -> Result<(), String> {
    let periods = crate::period::Period::year(2024).split(per).len();
    if due.len() != periods {
        return Err(format!("事项“{id}”{}须有{}个截止日期（due），实有{}个", per.label(), periods, due.len()));
    }
    for code in due {
        if parse_due(code, 2024).is_none() {
            return Err(format!("事项“{id}”的截止日期“{code}”格式不对，应如 06-20 或 +01-31"));
        }
    }
    Ok(())
}

/// Turns a `MM-DD` (or `+MM-DD`) due code into a date for `year`.
pub fn parse_due(code: &str, year: i32) -> Option<chrono::NaiveDate> {
    let (year, md) = match code.strip_prefix('+') {
        Some(rest) => (year.checked_add(1)?, rest),
        None => (year, code),
    };
    let (m, d) = md.split_once('-')?;
    chrono::NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

/// Merges lists a unit has adopted: later lists may add items; an item whose
/// id already exists replaces the earlier one (a unit's local override).
pub fn merge_lists<'a>(lists: impl IntoIterator<Item = &'a DutyList>) -> Vec<DutyItem> {
    let mut items: Vec<DutyItem> = Vec::new();
    for list in lists {
        for item in &list.items {
            match items.iter_mut().find(|i| i.id == item.id) {
                Some(existing) => *existing = item.clone(),
                None => items.push(item.clone()),
            }
        }
    }
    items
}

/// The assessment parameters of a unit's adopted lists: the last list
/// that sets them wins, like a later list's items; defaults otherwise.
pub fn merge_assessment_rules<'a>(lists: impl IntoIterator<Item = &'a DutyList>) -> crate::assessment::Rules {
    lists.into_iter().filter_map(|l| l.assessment.clone()).last().unwrap_or_default()
}

/// The longest gap a list allows between records of `record` (its
/// freshness rule's `max_days`), so that pages showing such records use
/// the list's limit rather than one of their own. `None` when the list
/// sets no such rule.
pub fn freshness_limit(items: &[DutyItem], record: RecordKind) -> Option<u32> {
    items.iter().find_map(|i| match &i.rule {
        Rule::Freshness { record: r, max_days } if *r == record => Some(*max_days),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_files_are_read_from_the_list_and_written_back() {
        use crate::attachment::FileKind;
        let list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        let lecture = list.items.iter().find(|i| i.id == "branch-lecture").unwrap();
        let files = lecture.evidence.iter().find_map(|e| match e {
            Evidence::Files(k) => Some(*k),
            _ => None,
        });
        assert_eq!(files, Some([FileKind::Courseware, FileKind::Photo].into_iter().collect()));
        let json = serde_json::to_string(&lecture.evidence).unwrap();
        assert_eq!(json, r#"["attendance",{"files":["courseware","photo"]}]"#);
        assert_eq!(serde_json::from_str::<Vec<Evidence>>(&json).unwrap(), lecture.evidence);
        let bad = DEFAULT_LIST_TOML.replace(r#"{ files = ["report_file"] }"#, r#"{ files = ["report"] }"#);
        let err = load_duty_list(&bad).unwrap_err();
        assert!(err.message.contains("report"), "{err}");
    }

    #[test]
    fn pages_take_a_freshness_limit_from_the_list() {
        let mut list = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        assert_eq!(freshness_limit(&list.items, RecordKind::ChannelUpdate), Some(14));
        for item in &mut list.items {
            if let Rule::Freshness { record: RecordKind::ChannelUpdate, max_days } = &mut item.rule {
                *max_days = 30;
            }
        }
        assert_eq!(freshness_limit(&list.items, RecordKind::ChannelUpdate), Some(30));
        list.items.retain(|i| !matches!(i.rule, Rule::Freshness { record: RecordKind::ChannelUpdate, .. }));
        assert_eq!(freshness_limit(&list.items, RecordKind::ChannelUpdate), None);
    }

    #[test]
    fn default_list_loads_and_covers_the_required_duties() {
        let list = load_duty_list(DEFAULT_LIST_TOML).expect("default list loads");
        let ids: HashSet<_> = list.items.iter().map(|i| i.id.as_str()).collect();
        for id in [
            "ideology-research",
            "half-year-report",
            "quarterly-analysis",
            "study-sessions",
            "study-ideology",
            "first-topic",
            "branch-members-meeting",
            "branch-committee",
            "branch-group",
            "branch-lecture",
            "secretary-lecture",
            "theme-day",
            "org-life",
            "member-review",
            "life-meeting",
            "risk-ledger",
            "channel-freshness",
            "channel-check",
            "event-filing",
            "news-quota",
        ] {
            assert!(ids.contains(id), "default list lacks {id}");
        }
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let src = "[list]\nid = \"x\"\nname = \"n\"\nversion = \"1\"\n\n[[item]]\nid = \"a\"\ntitle = \"t\"\ncategory = \"c\"\nowner = \"secretary\"\nrule = { type = \"count\", record = \"studdy\", per = \"year\", min = 2 }\n";
        let err = load_duty_list(src).unwrap_err();
        assert_eq!(err.line, 11, "{err}");
        assert!(err.to_string().starts_with("责任清单第11行有误"), "{err}");
        assert!(err.message.contains("studdy"), "{err}");
    }

    #[test]
    fn semantic_errors_name_the_item_line() {
        let item = |id: &str, rule: &str| {
            format!("[[item]]\nid = \"{id}\"\ntitle = \"t\"\ncategory = \"c\"\nowner = \"secretary\"\nrule = {rule}\n")
        };
        let head = "[list]\nid = \"x\"\nname = \"n\"\nversion = \"1\"\n";
        let count = "{ type = \"count\", record = \"study\", per = \"year\", min = 2 }";
        let dup = format!("{head}{}{}", item("a", count), item("a", count));
        let err = load_duty_list(&dup).unwrap_err();
        assert_eq!((err.line, err.message.contains("重复")), (11, true), "{err}");

        let bad_due = "{ type = \"deadline\", report_type = \"r\", per = \"half\", due = [\"06-20\"] }";
        let err = load_duty_list(&format!("{head}{}", item("b", bad_due))).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.contains("2个截止日期"), "{err}");

        let bad_date = "{ type = \"deadline\", report_type = \"r\", per = \"half\", due = [\"06-31\", \"12-20\"] }";
        assert!(load_duty_list(&format!("{head}{}", item("c", bad_date))).unwrap_err().message.contains("06-31"));
        assert!(load_duty_list(head).unwrap_err().message.contains("没有任何事项"));

        let channel_item = |kinds: &str, applies: &str, rule: &str| {
            format!("{head}[[item]]\nid = \"e\"\ntitle = \"t\"\ncategory = \"c\"\nowner = \"channel_owner\"\napplies_to = \"{applies}\"\nchannel_kinds = {kinds}\nrule = {rule}\n")
        };
        let filing = "{ type = \"event_filing\" }";
        assert!(load_duty_list(&channel_item("[\"event\"]", "channel", filing)).is_ok());
        let err = load_duty_list(&channel_item("[\"lecture\"]", "channel", filing)).unwrap_err();
        assert!(err.message.contains("阵地类型“lecture”无法识别"), "{err}");
        let err = load_duty_list(&channel_item("[\"event\"]", "unit", filing)).unwrap_err();
        assert!(err.message.contains("channel_kinds 只适用于"), "{err}");
        let err = load_duty_list(&channel_item("[]", "unit", filing)).unwrap_err();
        assert!(err.message.contains("event_filing 须"), "{err}");
    }

    #[test]
    fn assessment_parameters_load_with_their_line() {
        let head = "[list]\nid = \"x\"\nname = \"n\"\nversion = \"1\"\n";
        let item = "[[item]]\nid = \"a\"\ntitle = \"t\"\ncategory = \"c\"\nowner = \"secretary\"\nrule = { type = \"every\", record = \"study\" }\n";
        let plain = load_duty_list(&format!("{head}{item}")).unwrap();
        assert_eq!(plain.assessment, None);
        let set = load_duty_list(&format!("{head}{item}[assessment]\nlate = 0.3\nsubmit_by = \"+01-31\"\n")).unwrap();
        let rules = set.assessment.clone().unwrap();
        assert_eq!((rules.late, rules.submit_by.as_str(), rules.overdue), (0.3, "+01-31", 1.0));
        assert_eq!(merge_assessment_rules([&plain, &set, &plain]), rules);
        assert_eq!(merge_assessment_rules([&plain]), crate::assessment::Rules::default());
        let err = load_duty_list(&format!("{head}{item}[assessment]\nlate = 2\n")).unwrap_err();
        assert_eq!(err.line, 11, "{err}");
        assert!(err.message.contains("late"), "{err}");
        let err = load_duty_list(&format!("{head}{item}[assessment]\nlat = 0.5\n")).unwrap_err();
        assert!(err.message.contains("lat"), "{err}");
    }

    #[test]
    fn due_codes() {
        assert_eq!(parse_due("06-20", 2026), chrono::NaiveDate::from_ymd_opt(2026, 6, 20));
        assert_eq!(parse_due("+01-31", 2026), chrono::NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(parse_due("02-30", 2026), None);
        assert_eq!(describe_due("+01-05"), "次年1月5日前");
    }

    #[test]
    fn merge_adds_and_overrides() {
        let base = load_duty_list(DEFAULT_LIST_TOML).unwrap();
        let mut local =
            DutyList { id: "l".into(), name: "本单位".into(), version: "1".into(), items: vec![], assessment: None };
        let mut changed = base.items[0].clone();
        changed.points = 99;
        let mut extra = base.items[0].clone();
        extra.id = "local-extra".into();
        local.items = vec![changed, extra];
        let merged = merge_lists([&base, &local]);
        assert_eq!(merged.len(), base.items.len() + 1);
        assert_eq!(merged[0].points, 99);
    }
}
