//! The fields of each record kind as people fill them in: one schema
//! serves the web forms, the CSV importer and the exports. Text goes in,
//! a validated [`RecordData`] comes out, or errors naming the fields.

use crate::record::{BranchMeetingType, FieldError, RecordData, RecordKind};
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    LongText,
    Date,
    Bool,
    Count,
    /// Names, one per line or separated by 、 ， , ；
    Names,
    /// One per line: 姓名：原因
    Absences,
    /// One item per line; 【第一议题】 and 【意识形态】 mark an item.
    Agenda,
    MeetingType,
    ReportType,
    /// A channel id (chosen from the unit's channels).
    Channel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub ty: FieldType,
    pub required: bool,
    pub help: &'static str,
}

const fn f(name: &'static str, label: &'static str, ty: FieldType, required: bool, help: &'static str) -> FieldSpec {
    FieldSpec { name, label, ty, required, help }
}

use FieldType::*;

const STUDY: &[FieldSpec] = &[
    f("title", "学习主题", Text, true, ""),
    f("plan_item", "对应年度学习计划事项", Text, false, ""),
    f("notice_date", "通知印发日期", Date, false, ""),
    f("host", "主持人", Text, false, ""),
    f("attendees", "参加人员", Names, false, "每行一人，或用顿号分隔"),
    f("absentees", "缺席人员及原因", Absences, false, "每行一人，格式：姓名：原因"),
    f("topics", "学习内容", Names, false, "每行一项"),
    f("on_ideology", "是否意识形态专题", Bool, false, ""),
    f("discussion", "研讨记录", LongText, false, "交流研讨的发言要点；中心组学习应开展研讨，未填写的将列为问题"),
    f("summary", "学习小结", LongText, false, ""),
];

const PARTY_GROUP_MEETING: &[FieldSpec] = &[
    f("title", "会议名称", Text, true, "如：党组会议（2026年第5次）"),
    f("host", "主持人", Text, false, ""),
    f("attendees", "出席人员", Names, false, "每行一人，或用顿号分隔"),
    f("absentees", "缺席人员及原因", Absences, false, "每行一人，格式：姓名：原因"),
    f("agenda", "议题", Agenda, true, "每行一项；第一议题在行首标注【第一议题】，意识形态专题标注【意识形态】"),
    f("minutes", "会议纪要", LongText, false, ""),
];

const BRANCH_MEETING: &[FieldSpec] = &[
    f("meeting_type", "会议类型", MeetingType, true, ""),
    f("topic", "主题", Text, true, ""),
    f("host", "主持人（党课为授课人）", Text, false, ""),
    f("due", "应到人数", Count, false, ""),
    f("present", "实到人数", Count, false, ""),
    f("absentees", "缺席人员及原因", Absences, false, "每行一人，格式：姓名：原因"),
    f("minutes", "会议记录", LongText, false, ""),
];

const LIFE_MEETING: &[FieldSpec] = &[
    f("topic", "会议主题", Text, true, ""),
    f("due", "应到人数", Count, false, ""),
    f("present", "实到人数", Count, false, ""),
    f("absentees", "缺席人员及原因", Absences, false, "每行一人，格式：姓名：原因"),
    f("minutes", "会议记录", LongText, false, ""),
    f("reported_on", "情况报告报送日期", Date, false, ""),
];

const ANALYSIS: &[FieldSpec] = &[
    f("topic", "研判主题", Text, true, ""),
    f("host", "主持人", Text, false, ""),
    f("attendees", "参加人员", Names, false, "每行一人，或用顿号分隔"),
    f("risks_reviewed", "研判的风险点", Names, false, "每行一项"),
    f("conclusion", "研判结论", LongText, false, ""),
    f("report", "研判报告", LongText, false, "报告正文或文件名"),
];

const RISK_REVIEW: &[FieldSpec] = &[
    f("reviewer", "复核人", Text, true, ""),
    f("risks_count", "在册风险点数", Count, false, ""),
    f("conclusion", "复核结论", LongText, false, ""),
    f("next_review", "下次复核日期", Date, false, ""),
];

const REPORT: &[FieldSpec] = &[
    f("report_type", "报告类别", ReportType, true, ""),
    f("period", "报告期间", Text, true, "如 2026H1（上半年）、2026（全年）"),
    f("title", "报告标题", Text, true, ""),
    f("due_on", "规定报送日期", Date, false, ""),
    f("submitted_on", "实际报送日期", Date, false, "尚未报送则留空"),
    f("receipt", "上级回执", Text, false, "接收人或回执编号"),
];

const CHANNEL_UPDATE: &[FieldSpec] = &[
    f("channel_id", "宣传阵地", Channel, true, ""),
    f("title", "更新内容标题", Text, true, ""),
    f("url", "链接", Text, false, ""),
];

const CHANNEL_CHECK: &[FieldSpec] = &[
    f("channel_id", "宣传阵地", Channel, true, ""),
    f("checker", "检查人", Text, true, ""),
    f("result", "检查结果", LongText, true, "更新是否及时、三审三校记录是否齐全、有无不当内容等"),
    f("problems", "发现的问题", LongText, false, "未发现问题则留空"),
    f("measures", "整改情况", LongText, false, ""),
];

const EVENT_FILING: &[FieldSpec] = &[
    f("channel_id", "活动阵地", Channel, true, "报告会、讲座、论坛等"),
    f("topic", "活动主题", Text, true, ""),
    f("speaker", "主讲人", Text, true, "姓名及单位、职务"),
    f("reviewer", "审核人", Text, false, ""),
    f("reviewed_on", "审核日期", Date, false, "须在活动举办之前"),
    f("filed_to", "报备对象", Text, false, "如：县委宣传部"),
    f("filed_on", "报备日期", Date, false, "须在活动举办之前；尚未报备则留空"),
];

/// Report types the default list knows, with their labels.
pub const REPORT_TYPES: &[(&str, &str)] = &[
    ("ideology", "意识形态工作专题报告"),
    ("life_meeting", "民主生活会情况报告"),
    ("analysis", "分析研判报告"),
    ("other", "其他报告"),
];

pub fn fields(kind: RecordKind) -> &'static [FieldSpec] {
    match kind {
        RecordKind::Study => STUDY,
        RecordKind::PartyGroupMeeting => PARTY_GROUP_MEETING,
        RecordKind::BranchMeeting => BRANCH_MEETING,
        RecordKind::LifeMeeting => LIFE_MEETING,
        RecordKind::Analysis => ANALYSIS,
        RecordKind::RiskReview => RISK_REVIEW,
        RecordKind::Report => REPORT,
        RecordKind::ChannelUpdate => CHANNEL_UPDATE,
        RecordKind::ChannelCheck => CHANNEL_CHECK,
        RecordKind::EventFiling => EVENT_FILING,
    }
}

/// Parses a date as people write it: 2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    if !(1949..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "否" | "0" | "false" | "no" | "off" => Some(false),
        "是" | "1" | "true" | "yes" | "on" => Some(true),
        _ => None,
    }
}

fn split_names(text: &str) -> Vec<String> {
    text.split(['\n', '、', '，', ',', '；', ';']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn parse_absences(text: &str) -> Result<Value, String> {
    let mut out = Vec::new();
    for line in text.lines().flat_map(|l| l.split('；')).map(str::trim).filter(|l| !l.is_empty()) {
        let (name, reason) = line
            .split_once(['：', ':'])
            .or_else(|| line.strip_suffix('）').and_then(|l| l.split_once('（')))
            .ok_or_else(|| format!("“{line}”应写成“姓名：缺席原因”"))?;
        out.push(json!({ "name": name.trim(), "reason": reason.trim() }));
    }
    Ok(Value::Array(out))
}

const FIRST_TOPIC_MARK: &str = "【第一议题】";
const IDEOLOGY_MARK: &str = "【意识形态】";

fn parse_agenda(text: &str) -> Value {
    let items = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|line| {
        let first_topic = line.contains(FIRST_TOPIC_MARK);
        let ideology = line.contains(IDEOLOGY_MARK);
        let title = line.replace(FIRST_TOPIC_MARK, "").replace(IDEOLOGY_MARK, "").trim().to_string();
        json!({ "title": title, "first_topic": first_topic, "ideology": ideology })
    });
    Value::Array(items.collect())
}

fn parse_value(spec: &FieldSpec, raw: &str) -> Result<Value, String> {
    let t = raw.trim();
    let empty = t.is_empty();
    Ok(match spec.ty {
        Text | LongText => Value::String(t.to_string()),
        Date if empty => Value::Null,
        Date => Value::String(parse_date(t).ok_or_else(|| format!("日期“{t}”无法识别，应如 2026-03-05"))?.to_string()),
        Bool => Value::Bool(parse_bool(t).ok_or_else(|| format!("“{t}”应填“是”或“否”"))?),
        Count if empty => json!(0),
        Count => json!(t.parse::<u32>().map_err(|_| format!("“{t}”不是人数"))?),
        Names => json!(split_names(t)),
        Absences => parse_absences(t)?,
        Agenda => parse_agenda(t),
        MeetingType => {
            let ty = BranchMeetingType::parse(t).ok_or_else(|| format!("会议类型“{t}”无法识别"))?;
            Value::String(ty.code().to_string())
        }
        ReportType => {
            let code = REPORT_TYPES.iter().find(|(c, l)| *c == t || *l == t).map(|(c, _)| *c);
            Value::String(code.ok_or_else(|| format!("报告类别“{t}”无法识别"))?.to_string())
        }
        Channel if empty => json!(0),
        Channel => json!(t.parse::<i64>().map_err(|_| format!("宣传阵地编号“{t}”无法识别"))?),
    })
}

/// Builds a record from text values by field name; `get` returns `None`
/// for a field that was not supplied.
pub fn parse_record(kind: RecordKind, get: impl Fn(&str) -> Option<String>) -> Result<RecordData, Vec<FieldError>> {
    let mut map = Map::new();
    map.insert("kind".into(), Value::String(kind.code().into()));
    let mut errors = Vec::new();
    for spec in fields(kind) {
        let raw = get(spec.name).unwrap_or_default();
        if spec.required && raw.trim().is_empty() {
            errors.push(FieldError { field: spec.name, message: format!("请填写{}", spec.label) });
            continue;
        }
        match parse_value(spec, &raw) {
            Ok(v) => {
                map.insert(spec.name.into(), v);
            }
            Err(message) => {
                errors.push(FieldError { field: spec.name, message: format!("{}：{message}", spec.label) })
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let data: RecordData = serde_json::from_value(Value::Object(map))
        .map_err(|e| vec![FieldError { field: "kind", message: format!("记录内容无法识别：{e}") }])?;
    data.validate()?;
    Ok(data)
}

/// The text of each field of a record, as a form or a CSV shows it.
pub fn field_texts(data: &RecordData) -> Vec<(&'static FieldSpec, String)> {
    let value = serde_json::to_value(data).expect("records serialise");
    fields(data.kind()).iter().map(|spec| (spec, value_text(spec, &value[spec.name]))).collect()
}

fn value_text(spec: &FieldSpec, v: &Value) -> String {
    match (spec.ty, v) {
        (_, Value::Null) => String::new(),
        (Bool, Value::Bool(b)) => if *b { "是" } else { "否" }.into(),
        (MeetingType, Value::String(code)) => {
            BranchMeetingType::parse(code).map(|t| t.label().to_string()).unwrap_or_default()
        }
        (ReportType, Value::String(code)) => {
            REPORT_TYPES.iter().find(|(c, _)| c == code).map(|(_, l)| l.to_string()).unwrap_or(code.clone())
        }
        (Names, Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("、"),
        (Absences, Value::Array(items)) => items
            .iter()
            .map(|a| format!("{}：{}", a["name"].as_str().unwrap_or(""), a["reason"].as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n"),
        (Agenda, Value::Array(items)) => items
            .iter()
            .map(|a| {
                let mut line = String::new();
                if a["first_topic"].as_bool() == Some(true) {
                    line.push_str(FIRST_TOPIC_MARK);
                }
                if a["ideology"].as_bool() == Some(true) {
                    line.push_str(IDEOLOGY_MARK);
                }
                line + a["title"].as_str().unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) if n.as_i64() == Some(0) && spec.ty == Channel => String::new(),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn form(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn dates_in_the_forms_people_use() {
        let want = NaiveDate::from_ymd_opt(2026, 3, 5);
        for t in ["2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", " 2026-3-5 "] {
            assert_eq!(parse_date(t), want, "{t}");
        }
        for t in ["2026-02-30", "3/5/2026", "昨天", "", "2026-13-01"] {
            assert_eq!(parse_date(t), None, "{t}");
        }
    }

    #[test]
    fn branch_meeting_round_trip() {
        let data = parse_record(
            RecordKind::BranchMeeting,
            form(&[
                ("meeting_type", "支委会"),
                ("topic", "研究发展党员"),
                ("due", "7"),
                ("present", "6"),
                ("absentees", "张三：出差"),
            ]),
        )
        .unwrap();
        let RecordData::BranchMeeting(m) = &data else { panic!() };
        assert_eq!((m.meeting_type, m.due, m.present), (BranchMeetingType::Committee, 7, 6));
        assert_eq!(m.absentees[0].reason, "出差");
        let texts = field_texts(&data);
        let back = parse_record(RecordKind::BranchMeeting, |k| {
            texts.iter().find(|(s, _)| s.name == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back.unwrap(), data);
    }

    #[test]
    fn agenda_marks() {
        let data = parse_record(
            RecordKind::PartyGroupMeeting,
            form(&[
                ("title", "党组会"),
                ("agenda", "【第一议题】学习重要讲话\n【意识形态】研究意识形态工作\n其他事项"),
            ]),
        )
        .unwrap();
        let RecordData::PartyGroupMeeting(m) = &data else { panic!() };
        assert!(m.agenda[0].first_topic && !m.agenda[0].ideology);
        assert!(m.agenda[1].ideology && m.agenda[1].title == "研究意识形态工作");
        let texts = field_texts(&data);
        assert!(texts.iter().any(|(s, v)| s.name == "agenda" && v.starts_with("【第一议题】学习")));
    }

    #[test]
    fn errors_name_each_bad_field() {
        let errors = parse_record(
            RecordKind::Study,
            form(&[("title", ""), ("notice_date", "2026-02-30"), ("on_ideology", "也许"), ("absentees", "李四")]),
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "notice_date", "absentees", "on_ideology"]);
        assert!(errors[1].message.contains("2026-02-30"));
    }

    #[test]
    fn every_kind_has_a_schema_that_builds_its_record() {
        for kind in RecordKind::ALL {
            let sample = |name: &str| {
                let spec = fields(kind).iter().find(|s| s.name == name)?;
                Some(match spec.ty {
                    MeetingType => "支委会".into(),
                    ReportType => "ideology".into(),
                    Channel => "1".into(),
                    Date => "2026-01-02".into(),
                    Count => "3".into(),
                    Bool => "是".into(),
                    Absences => "甲：病假".into(),
                    Text if name == "period" => "2026H1".into(),
                    Text if name == "url" => "https://mzj.example.gov.cn/a.html".into(),
                    _ => "内容".into(),
                })
            };
            let data = parse_record(kind, sample).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
            assert_eq!(data.kind(), kind);
        }
    }
}
