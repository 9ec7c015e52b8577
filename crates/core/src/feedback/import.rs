//! CSV import of register entries: the whole file is checked (every row
//! built with the same rules as the form, steps in order) before anything
//! is written, and every problem is reported as 第N行.
//!
//! Columns (UTF-8, header first, by Chinese name): the plain fields by
//! their schema labels (`FIELDS`: 来源, 内容摘要, 类别, 等级, 责任人, 来源说明,
//! 链接), 发现时间, 发现人, 发现情况; and for each
//! later step, optionally, `<步骤>时间`, `<步骤>人`, `<步骤>情况` (核实, 报告,
//! 处置, 回应, 办结), with 报告对象 and 回应方式. People are named as they
//! are in the unit; times are Beijing time, "2026-11-20 09:30".

use super::entry::import_message;
use super::{parse_beijing_time, Feedback, FeedbackInput, NewFeedback, ResponseForm, Source, Step, StepKind, FIELDS};
use crate::drafts::Person;
use crate::import::ImportError;
use crate::register::{FieldKind, Register, RegisterField, Values};
use crate::sheet::{Sheet, SheetRow};
use chrono::{DateTime, Utc};

/// The discovery (发现) columns, required after the schema's required fields.
const DISCOVERY: [&str; 2] = ["发现时间", "发现人"];

/// The optional columns of the steps: 发现情况, then for each later step
/// its time, person and particulars.
const STEP_COLUMNS: &[&str] = &[
    "发现情况",
    "核实时间",
    "核实人",
    "核实情况",
    "报告时间",
    "报告人",
    "报告对象",
    "报告情况",
    "处置时间",
    "处置人",
    "处置情况",
    "回应时间",
    "回应人",
    "回应方式",
    "回应情况",
    "办结时间",
    "办结人",
    "办结情况",
];
const LATER_STEPS: [StepKind; 5] =
    [StepKind::Verify, StepKind::Report, StepKind::Handle, StepKind::Respond, StepKind::Close];

/// The columns a file may have, the required ones first: the schema's
/// required fields (by label), 发现时间 and 发现人, the schema's other
/// fields, then the steps' columns.
pub fn columns() -> Vec<&'static str> {
    let (required, optional): (Vec<&RegisterField>, Vec<&RegisterField>) =
        FIELDS.iter().partition(|f| f.must_be_given());
    let labels = |fields: Vec<&RegisterField>| fields.into_iter().map(|f| f.label).collect::<Vec<_>>();
    let mut out = labels(required);
    out.extend(DISCOVERY);
    out.extend(labels(optional));
    out.extend(STEP_COLUMNS);
    out
}

fn required_columns() -> usize {
    FIELDS.iter().filter(|f| f.must_be_given()).count() + DISCOVERY.len()
}

/// One parsed row: its line (the header is line 1) and the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFeedback {
    pub line: usize,
    pub feedback: Feedback,
}

struct Row<'a> {
    row: &'a SheetRow,
    names: &'a [&'static str],
    columns: &'a [Option<usize>],
}

impl Row<'_> {
    fn get(&self, name: &str) -> String {
        let i = self.names.iter().position(|c| *c == name).expect("a known column");
        self.row.cell(self.columns[i])
    }
}

/// Parses a whole CSV file against the people of the unit. Returns every entry, or every error.
pub fn parse_csv(text: &str, people: &[Person], now: DateTime<Utc>) -> Result<Vec<ImportedFeedback>, Vec<ImportError>> {
    parse_sheet(&Sheet::from_csv(text)?, people, now)
}

/// Parses a whole sheet (CSV or .xlsx) against the people of the unit.
pub fn parse_sheet(
    sheet: &Sheet,
    people: &[Person],
    now: DateTime<Utc>,
) -> Result<Vec<ImportedFeedback>, Vec<ImportError>> {
    let names = columns();
    let mut errors: Vec<ImportError> = sheet
        .headers()
        .filter(|h| !names.contains(h))
        .map(|h| ImportError { line: 1, message: format!("无法识别的列“{h}”") })
        .collect();
    let columns: Vec<Option<usize>> = names.iter().map(|c| sheet.column(&[c])).collect();
    let missing: Vec<&str> =
        names[..required_columns()].iter().zip(&columns).filter(|(_, p)| p.is_none()).map(|(c, _)| *c).collect();
    if !missing.is_empty() {
        errors.push(ImportError { line: 1, message: format!("表头缺少“{}”列", missing.join("”“")) });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for row in &sheet.rows {
        let line = row.line;
        let parsed = row
            .cells
            .as_ref()
            .map_err(|e| vec![e.clone()])
            .and_then(|_| parse_row(&Row { row, names: &names, columns: &columns }, people, now));
        match parsed {
            Ok(feedback) => out.push(ImportedFeedback { line, feedback }),
            Err(messages) => errors.extend(messages.into_iter().map(|message| ImportError { line, message })),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(ImportError { line: 1, message: "文件中没有数据行".into() });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn person(people: &[Person], name: &str, column: &str) -> Result<Person, String> {
    if name.is_empty() {
        return Err(format!("请填写{column}"));
    }
    let found: Vec<&Person> = people.iter().filter(|p| p.name == name).collect();
    match found.as_slice() {
        [p] => Ok((*p).clone()),
        [] => Err(format!("{column}“{name}”不是本单位人员")),
        _ => Err(format!("本单位有多名“{name}”，无法确定{column}")),
    }
}

fn time(text: &str, column: &str) -> Result<DateTime<Utc>, String> {
    parse_beijing_time(text).ok_or_else(|| format!("{column}“{text}”无法识别，应如 2026-11-20 09:30"))
}

/// The schema's problems with a row, in the import's wording.
fn check_all(errors: &mut Vec<String>, problems: &[crate::record::FieldError], values: &Values) {
    errors.extend(problems.iter().map(|e| import_message(e, values.get(e.field))));
}

fn parse_row(row: &Row, people: &[Person], now: DateTime<Utc>) -> Result<Feedback, Vec<String>> {
    let mut errors = Vec::new();
    let label = |name: &str| FIELDS.iter().find(|f| f.name == name).map_or("", |f| f.label);
    // People are named in the file, and resolved below.
    let is_person = |name: &str| FIELDS.iter().any(|f| f.name == name && matches!(f.kind, FieldKind::Person));
    let values = Values::from_fn(FIELDS, &|name| if is_person(name) { String::new() } else { row.get(label(name)) });
    let input = FeedbackInput::from_values(&values, None);
    if let Err(problems) = &input {
        check_all(&mut errors, problems, &values);
    }
    let owner = person(people, &row.get(label("owner_id")), label("owner_id"));
    let discoverer = person(people, &row.get("发现人"), "发现人");
    let discovered_at = time(&row.get("发现时间"), "发现时间");
    for r in [&owner, &discoverer] {
        errors.extend(r.as_ref().err().cloned());
    }
    errors.extend(discovered_at.as_ref().err().cloned());
    let (Ok(input), Ok(owner), Ok(by), Ok(at)) = (input, owner, discoverer, discovered_at) else {
        return Err(errors);
    };
    let source = Source::checked(input.source_kind, &input.source_detail, Some(&input.source_url))
        .map_err(|e| vec![e.to_string()])?;
    let new = NewFeedback {
        source,
        summary: input.summary,
        category: input.category,
        level: input.level,
        owner,
        discovered: Step::new(StepKind::Discover, at, by, row.get("发现情况")),
    };
    let mut feedback = Feedback::new(new, now).map_err(|e| vec![e.to_string()])?;
    for kind in LATER_STEPS {
        if let Some(step) = later_step(row, people, kind).map_err(|e| vec![e])? {
            feedback.record(step, now).map_err(|e| vec![e.to_string()])?;
        }
    }
    Ok(feedback)
}

/// A later step from its columns, or `None` when they are all empty.
fn later_step(row: &Row, people: &[Person], kind: StepKind) -> Result<Option<Step>, String> {
    let label = kind.label();
    let col = |suffix: &str| row.get(&format!("{label}{suffix}"));
    let (at, by, note) = (col("时间"), col("人"), col("情况"));
    let to = if kind == StepKind::Report { col("对象") } else { String::new() };
    let form = if kind == StepKind::Respond { col("方式") } else { String::new() };
    if [&at, &by, &note, &to, &form].iter().all(|s| s.is_empty()) {
        return Ok(None);
    }
    if at.is_empty() {
        return Err(format!("填写了“{label}”的情况，请同时填写{label}时间"));
    }
    let mut step =
        Step::new(kind, time(&at, &format!("{label}时间"))?, person(people, &by, &format!("{label}人"))?, note);
    if kind == StepKind::Report {
        step.to = Some(to);
    }
    if kind == StepKind::Respond && !form.is_empty() {
        step.form = Some(ResponseForm::parse(&form).ok_or_else(|| {
            format!("回应方式“{form}”无法识别（可填：发布权威信息、召开新闻发布会、答复诉求人、发布情况说明）")
        })?);
    }
    Ok(Some(step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn people() -> Vec<Person> {
        ["刘晓雯", "陈静", "李红梅"]
            .iter()
            .enumerate()
            .map(|(i, n)| Person { id: i as i64 + 1, name: n.to_string() })
            .collect()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
    }

    const HEADER: &str = "来源,来源说明,链接,内容摘要,类别,等级,责任人,发现时间,发现人,核实时间,核实人,核实情况,处置时间,处置人,处置情况,回应时间,回应人,回应方式,回应情况,办结时间,办结人,办结情况\n";

    #[test]
    fn a_good_file_builds_each_entry_through_its_steps() {
        let csv = format!(
            "\u{feff}{HEADER}网络平台,微博,https://weibo.com/1/a,反映救助金发放慢,民生诉求,一般,李红梅,2026-11-02 09:00,刘晓雯,2026-11-02 10:00,陈静,情况属实,2026-11-02 15:00,陈静,已督促发放,2026/11/3 9:30,李红梅,答复诉求人,已在平台回复,2026-11-05 10:00,李红梅,群众表示满意\n\
             热线电话,12345,,咨询高龄津贴,政策咨询,一般,陈静,2026-11-21 14:00,陈静,,,,,,,,,,,,,\n"
        );
        let rows = parse_csv(&csv, &people(), now()).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(rows[0].feedback.steps.len(), 5);
        assert_eq!(rows[0].feedback.status(), super::super::FeedbackStatus::Closed);
        assert_eq!(rows[1].feedback.steps.len(), 1);
        assert_eq!(rows[1].feedback.source.url, None);
    }

    #[test]
    fn every_row_is_checked_and_every_error_has_its_line() {
        let csv = format!(
            "{HEADER}网络平台,微博,https://weibo.com/1/a,摘要,民生诉求,一般,李红梅,2026-11-02 09:00,刘晓雯,,,,2026-11-02 15:00,陈静,已处置,,,,,,,\n\
             热线电话,12345,,摘要,政策咨询,很大,王五,2026-11-21,陈静,,,,,,,,,,,,,\n\
             网络平台,微博,,摘要,政策咨询,一般,陈静,2026-11-21 14:00,陈静,,,,,,,,,,,,,\n\
             来信,,,摘要,政策咨询,一般,陈静,2026-11-21 14:00,陈静,2026-11-21 13:00,陈静,属实,,,,,,,,,,\n"
        );
        let errors = parse_csv(&csv, &people(), now()).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(text[0], "第2行：应先完成“核实”，才能登记“处置”");
        assert!(text[1].starts_with("第3行：等级“很大”无法识别"), "{text:?}");
        assert!(text.contains(&"第3行：责任人“王五”不是本单位人员".to_string()), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("第3行：发现时间“2026-11-21”无法识别")), "{text:?}");
        assert!(text.contains(&"第4行：网络平台来源须填写公开链接".to_string()), "{text:?}");
        assert!(text.last().unwrap().starts_with("第5行：“核实”的时间不能早于“发现”的时间"), "{text:?}");
    }

    #[test]
    fn bad_headers() {
        let errors = parse_csv("来源,内容摘要,颜色\n", &people(), now()).unwrap_err();
        assert_eq!(errors[0].to_string(), "第1行：无法识别的列“颜色”");
        assert!(errors[1].message.contains("表头缺少“类别”“等级”“责任人”“发现时间”“发现人”列"), "{errors:?}");
        assert!(parse_csv(HEADER, &people(), now()).unwrap_err()[0].message.contains("没有数据行"));
    }
}
