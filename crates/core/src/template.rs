//! What an import template holds, for each kind of import: its columns in
//! the importer's order, which are required, which take a fixed set of
//! values (the drop-down lists), a help text per column and one example
//! row that the importer accepts as it is. The docs crate writes it as an
//! .xlsx workbook; the column lists come from the same schemas the
//! importers read, so a template cannot name a column they refuse.

use crate::feedback::import as feedback_import;
use crate::fields::{fields, FieldType, REPORT_TYPES};
use crate::record::{BranchMeetingType, RecordKind};
use crate::register::{Fallback, FieldKind, RegisterField};
use chrono::{Duration, NaiveDate};

/// The imports there are templates for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Records of one kind (`taizhang import`).
    Record(RecordKind),
    Risks,
    Feedback,
    Rectifications,
    News,
}

impl ImportKind {
    /// Every kind: the registers, then each record kind.
    pub fn all() -> Vec<ImportKind> {
        let mut out = vec![ImportKind::Risks, ImportKind::Feedback, ImportKind::Rectifications, ImportKind::News];
        out.extend(RecordKind::ALL.map(ImportKind::Record));
        out
    }

    /// `risks`, `feedback`, `rectifications`, `news` or a record kind's code.
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Record(kind) => kind.code(),
            ImportKind::Risks => "risks",
            ImportKind::Feedback => "feedback",
            ImportKind::Rectifications => "rectifications",
            ImportKind::News => "news",
        }
    }

    pub fn parse(code: &str) -> Option<ImportKind> {
        ImportKind::all().into_iter().find(|k| k.code() == code.trim())
    }

    /// What the rows are, for the workbook's title and file name.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Record(kind) => kind.label(),
            ImportKind::Risks => "风险隐患台账",
            ImportKind::Feedback => "舆情与诉求登记簿",
            ImportKind::Rectifications => "整改问题清单",
            ImportKind::News => "信息报送登记",
        }
    }
}

/// How a column's cells are written in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    Text,
    /// A date cell (the importer also takes text such as 2026-03-05).
    Date,
    /// A date and time cell, Beijing time.
    DateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    pub header: String,
    pub required: bool,
    pub help: String,
    /// The values the column takes; empty for free text.
    pub choices: Vec<String>,
    /// Whether other values than `choices` are refused (a fixed set) or
    /// only warned about (the unit's people, which may be several).
    pub strict: bool,
    pub cell: CellType,
    /// The example row's value: a date as `YYYY-MM-DD`, a time as
    /// `YYYY-MM-DD HH:MM`.
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub kind: ImportKind,
    pub columns: Vec<TemplateColumn>,
}

/// The names a template's example row and drop-down lists use: a unit's
/// own when the template is for one unit, placeholders otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The units rows may belong to (records name theirs), the first the example's.
    pub units: Vec<String>,
    pub people: Vec<String>,
    pub departments: Vec<String>,
    /// The example's dates are on or before this day.
    pub today: NaiveDate,
}

impl Names {
    /// Placeholder names, for a template that is for no unit in particular.
    pub fn placeholders(today: NaiveDate) -> Names {
        Names {
            units: vec!["县民政局党组".into()],
            people: vec!["张三".into()],
            departments: vec!["办公室".into()],
            today,
        }
    }

    fn first(list: &[String], fallback: &str) -> String {
        list.first().cloned().unwrap_or_else(|| fallback.to_string())
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn column(header: &str, required: bool, help: &str, example: String) -> TemplateColumn {
    TemplateColumn {
        header: header.to_string(),
        required,
        help: help.to_string(),
        choices: Vec::new(),
        strict: false,
        cell: CellType::Text,
        example,
    }
}

/// The template of `kind`, with `names` in its example and lists.
pub fn template(kind: ImportKind, names: &Names) -> Template {
    let columns = match kind {
        ImportKind::Record(record) => record_columns(record, names),
        ImportKind::Risks => register_columns(crate::risk::FIELDS, names, &|_| None),
        ImportKind::Rectifications => register_columns(crate::rectification::FIELDS, names, &|name| match name {
            "found_on" => Some(day(names.today)),
            "deadline" => Some(day(names.today + Duration::days(30))),
            _ => None,
        }),
        ImportKind::News => news_columns(names),
        ImportKind::Feedback => feedback_columns(names),
    };
    Template { kind, columns }
}

/// A register field as a column; `example` may give the example value.
fn register_column(f: &RegisterField, names: &Names, example: Option<String>) -> TemplateColumn {
    let mut help = f.help.to_string();
    match f.default {
        Fallback::Today => help = join(&help, "不填为导入当天"),
        Fallback::Value(code) => {
            if let Some((_, label)) = f.choices().into_iter().find(|c| c.0 == code) {
                help = join(&help, &format!("不填为“{label}”"));
            }
        }
        Fallback::None => {}
    }
    if f.max_chars > 0 {
        help = join(&help, &format!("不超过{}字", f.max_chars));
    }
    let mut c = column(f.label, f.must_be_given(), &help, String::new());
    match f.kind {
        FieldKind::Choice(_) => {
            c.choices = f.choices().into_iter().map(|c| c.1.to_string()).collect();
            c.strict = true;
            c.example = c.choices.first().cloned().unwrap_or_default();
        }
        FieldKind::Person => {
            c.required = f.required;
            c.help = join(&help, "填本单位人员姓名");
            c.choices = names.people.clone();
            c.example = Names::first(&names.people, "张三");
        }
        FieldKind::Date => {
            c.cell = CellType::Date;
            c.example = day(names.today);
        }
        FieldKind::Number => c.example = "1".into(),
        FieldKind::Text | FieldKind::LongText => c.example = format!("（示例）{}", f.label),
    }
    if let Some(value) = example {
        c.example = value;
    }
    c
}

fn register_columns(
    fields: &'static [RegisterField],
    names: &Names,
    example: &dyn Fn(&str) -> Option<String>,
) -> Vec<TemplateColumn> {
    fields.iter().map(|f| register_column(f, names, example(f.name))).collect()
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}；{b}")
    }
}

fn record_columns(kind: RecordKind, names: &Names) -> Vec<TemplateColumn> {
    let mut kind_column = column("类别", true, "记录类别，本模板只用于这一类", kind.label().to_string());
    kind_column.choices = vec![kind.label().to_string()];
    kind_column.strict = true;
    // 三会一课 belongs to a branch: the example names one when there is one.
    let own = if kind == RecordKind::BranchMeeting { names.units.get(1..).unwrap_or_default() } else { &[] };
    let example_unit = own.first().cloned().unwrap_or_else(|| Names::first(&names.units, "县民政局党组"));
    let mut unit = column("单位", true, "记录所属的党组（党委）或党支部，填名称", example_unit);
    unit.choices = names.units.clone();
    let mut date = column("日期", true, "工作开展的日期，不能晚于今天", day(names.today));
    date.cell = CellType::Date;
    let mut out = vec![kind_column, unit, date];
    for spec in fields(kind) {
        // The header is the label when the importer reads the label as
        // this field (some labels are shared by fields of other kinds).
        let header = if crate::import::field_code(spec.label) == Some(spec.name) { spec.label } else { spec.name };
        let mut c = column(header, spec.required, spec.help, String::new());
        c.example = match spec.ty {
            FieldType::Date => {
                c.cell = CellType::Date;
                day(names.today)
            }
            FieldType::Bool => {
                c.choices = vec!["是".into(), "否".into()];
                c.strict = true;
                "是".into()
            }
            FieldType::Count => "5".into(),
            FieldType::Names => Names::first(&names.people, "张三"),
            FieldType::Absences => String::new(),
            FieldType::Agenda => "【第一议题】学习贯彻有关重要讲话精神".into(),
            FieldType::MeetingType => {
                c.choices = BranchMeetingType::ALL.iter().map(|t| t.label().to_string()).collect();
                c.strict = true;
                c.choices[1].clone()
            }
            FieldType::ReportType => {
                c.choices = REPORT_TYPES.iter().map(|t| t.1.to_string()).collect();
                c.strict = true;
                c.choices[0].clone()
            }
            FieldType::Channel => {
                c.help = join(spec.help, "填宣传阵地编号（“宣传阵地”页面所列）");
                "1".into()
            }
            FieldType::Text if spec.name == "period" => format!("{}H1", names.today.format("%Y")),
            FieldType::Text if spec.name == "url" => "https://www.example.gov.cn/a.html".into(),
            FieldType::Text | FieldType::LongText => format!("（示例）{}", spec.label),
        };
        // Optional dates stay empty in the example: a date after the work
        // (a report's 报送日期) or before it (审核日期) would be refused.
        if c.cell == CellType::Date && !spec.required {
            c.example = String::new();
        }
        out.push(c);
    }
    out
}

fn news_columns(names: &Names) -> Vec<TemplateColumn> {
    let fields = crate::news::FIELDS;
    crate::news::import::COLUMNS
        .iter()
        .map(|header| match fields.iter().find(|f| f.label == *header) {
            Some(f) if f.name == "department_id" => {
                let mut c = column(header, true, "本单位的科室名称", Names::first(&names.departments, "办公室"));
                c.choices = names.departments.clone();
                c
            }
            Some(f) if f.name == "adopted_on" || f.name == "issue" => register_column(f, names, Some(String::new())),
            Some(f) => register_column(f, names, None),
            None => column(header, false, "本单位人员姓名，多人用顿号（、）分隔", Names::first(&names.people, "张三")),
        })
        .collect()
}

fn feedback_columns(names: &Names) -> Vec<TemplateColumn> {
    let fields = crate::feedback::FIELDS;
    let yesterday = format!("{} 09:30", day(names.today - Duration::days(1)));
    feedback_import::columns()
        .into_iter()
        .map(|header| match fields.iter().find(|f| f.label == header) {
            Some(f) if f.name == "source_url" => register_column(f, names, Some("https://weibo.com/example".into())),
            Some(f) => register_column(f, names, None),
            None => feedback_step_column(header, names, &yesterday),
        })
        .collect()
}

/// 发现时间, 发现人 and the later steps' columns: only the discovery is
/// filled in the example.
fn feedback_step_column(header: &str, names: &Names, discovered_at: &str) -> TemplateColumn {
    let required = header == "发现时间" || header == "发现人";
    let mut c = column(header, required, "", String::new());
    if header.ends_with("时间") {
        c.cell = CellType::DateTime;
        c.help = "北京时间，如 2026-11-20 09:30".into();
    } else if header.ends_with('人') {
        c.choices = names.people.clone();
        c.help = "本单位人员姓名".into();
    } else if header == "回应方式" {
        c.choices = crate::feedback::ResponseForm::ALL.iter().map(|f| f.label().to_string()).collect();
        c.strict = true;
    } else if header == "报告对象" {
        c.help = "如 县委宣传部".into();
    }
    if header.ends_with("情况") && header != "发现情况" {
        c.help = "填写了该步骤任一列时，须同时填写该步骤的时间".into();
    }
    match header {
        "发现时间" => c.example = discovered_at.to_string(),
        "发现人" => c.example = Names::first(&names.people, "张三"),
        "发现情况" => c.example = "（示例）发现情况".into(),
        _ => {}
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::{Sheet, SheetRow};

    fn names() -> Names {
        Names {
            units: vec!["机关党支部".into()],
            people: vec!["刘晓雯".into(), "陈静".into()],
            departments: vec!["办公室".into()],
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }
    }

    /// The template's header and example row as the importer reads them.
    fn example_sheet(t: &Template) -> Sheet {
        Sheet {
            header: t.columns.iter().map(|c| c.header.clone()).collect(),
            rows: vec![SheetRow { line: 2, cells: Ok(t.columns.iter().map(|c| c.example.clone()).collect()) }],
        }
    }

    #[test]
    fn every_kind_has_a_code_that_parses_back() {
        for kind in ImportKind::all() {
            assert_eq!(ImportKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(ImportKind::parse("茶话会"), None);
    }

    #[test]
    fn every_record_templates_example_row_imports() {
        for record in RecordKind::ALL {
            let t = template(ImportKind::Record(record), &names());
            let rows = crate::import::parse_sheet(&example_sheet(&t)).unwrap_or_else(|e| panic!("{record:?}: {e:?}"));
            assert_eq!(rows[0].data.kind(), record);
        }
    }

    #[test]
    fn every_register_templates_example_row_imports() {
        let n = names();
        let risks = crate::risk::parse_risks(&example_sheet(&template(ImportKind::Risks, &n)), n.today).unwrap();
        assert_eq!(risks[0].owner, "刘晓雯");
        let (rows, errors) =
            crate::rectification::parse_sheet_lines(&example_sheet(&template(ImportKind::Rectifications, &n)));
        assert_eq!((rows.len(), errors), (1, vec![]));
        let people: Vec<crate::drafts::Person> = n
            .people
            .iter()
            .enumerate()
            .map(|(i, name)| crate::drafts::Person { id: i as i64 + 1, name: name.clone() })
            .collect();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 20, 2, 0, 0).unwrap();
        let sheet = example_sheet(&template(ImportKind::Feedback, &n));
        feedback_import::parse_sheet(&sheet, &people, now).unwrap();
        let org_people: Vec<crate::org::Person> = people
            .iter()
            .map(|p| crate::org::Person { id: p.id, unit_id: 3, name: p.name.clone(), title: String::new() })
            .collect();
        let target = crate::news::import::Target {
            unit_id: 3,
            departments: &[(4, "办公室".into())],
            people: &org_people,
            today: n.today,
        };
        crate::news::import::parse_sheet(&example_sheet(&template(ImportKind::News, &n)), &target).unwrap();
    }

    #[test]
    fn fixed_value_columns_have_their_lists_and_required_ones_are_marked() {
        let t = template(ImportKind::Risks, &names());
        let level = t.columns.iter().find(|c| c.header == "风险等级").unwrap();
        assert_eq!((level.choices.len(), level.strict, level.required), (3, true, true));
        let owner = t.columns.iter().find(|c| c.header == "责任人").unwrap();
        assert_eq!((owner.choices.clone(), owner.strict), (vec!["刘晓雯".to_string(), "陈静".into()], false));
        let status = t.columns.iter().find(|c| c.header == "状态").unwrap();
        assert!(!status.required && status.help.contains("不填为“在控”"), "{status:?}");
    }
}
