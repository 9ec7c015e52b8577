//! Inspection findings and their rectification (督查/巡察反馈问题整改):
//! each problem with measures, a responsible person and a deadline; the
//! unit reports it rectified with evidence (申请销号), and the superior
//! closes it (销号) or returns it. Pure: the store keeps the rows, the
//! engine's `rectification` rule turns them into statuses.

use crate::coded::Coded;
use crate::engine::Status;
use crate::import::ImportError;
use crate::org::{PersonId, UnitId};
use crate::period::chinese_date;
use crate::record::FieldError;
use crate::register::{field, FieldKind::*, Reader, Register, RegisterField, Values, Writer};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// Where a problem was found.
    pub enum FindingSource {
        /// 上级督查 (e.g. the county 宣传部's inspection).
        Inspection = "inspection", "上级督查";
        /// 巡察 / 巡视 feedback.
        Patrol = "patrol", "巡察反馈";
        /// 自查.
        SelfInspection = "self_inspection", "自查发现";
    }
);

/// One problem and its rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub id: i64,
    pub unit_id: UnitId,
    pub source: FindingSource,
    pub found_on: NaiveDate,
    pub problem: String,
    pub measures: String,
    pub owner: Option<PersonId>,
    pub deadline: NaiveDate,
    /// What was done and where the proof is (documents, records).
    pub evidence: String,
    /// The date the unit reported it rectified (申请销号).
    pub rectified_on: Option<NaiveDate>,
    /// The date the superior closed it (销号).
    pub closed_on: Option<NaiveDate>,
    /// The superior's opinion on closing or returning.
    pub opinion: String,
}

/// A problem as entered: what the form, the API and the import produce.
/// The workflow fields (evidence, 申请销号, 销号, the opinion) are not
/// entered with it: they are set by the steps of [`Rectification`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationInput {
    pub source: FindingSource,
    pub found_on: NaiveDate,
    pub problem: String,
    #[serde(default)]
    pub measures: String,
    pub owner_id: Option<PersonId>,
    pub deadline: NaiveDate,
}

/// The entered fields of a problem, in the order of the form, the import
/// columns and the 整改台账. The workflow fields are not in the schema.
pub const FIELDS: &[RegisterField] = &[
    field("source", "问题来源", Choice(FindingSource::choices)).required(),
    field("found_on", "发现日期", Date).required(),
    field("problem", "问题", LongText).required(),
    field("measures", "整改措施", LongText),
    field("owner_id", "责任人", Person),
    field("deadline", "整改期限", Date).required(),
];

impl Register for RectificationInput {
    const NAME: &'static str = "RectificationInput";
    const FIELDS: &'static [RegisterField] = FIELDS;

    fn read(r: &mut Reader) -> Self {
        RectificationInput {
            source: r.get("source"),
            found_on: r.get("found_on"),
            problem: r.get("problem"),
            measures: r.get("measures"),
            owner_id: r.get("owner_id"),
            deadline: r.get("deadline"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.put("source", &self.source);
        w.put("found_on", &self.found_on);
        w.put("problem", &self.problem);
        w.put("measures", &self.measures);
        w.put("owner_id", &self.owner_id);
        w.put("deadline", &self.deadline);
    }
}

impl Default for RectificationInput {
    fn default() -> Self {
        RectificationInput::blank()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectificationError {
    #[error("请填写问题描述")]
    NoProblem,
    #[error("整改期限不能早于发现日期")]
    DeadlineBeforeFound,
    #[error("申请销号须写明整改措施和佐证材料")]
    NoEvidence,
    #[error("整改完成日期不能早于发现日期，也不能晚于今天")]
    BadRectifiedDate,
    #[error("该问题尚未申请销号")]
    NotRectified,
    #[error("该问题已销号，不能再修改")]
    Closed,
    #[error("退回须写明意见")]
    NoOpinion,
}

impl Rectification {
    /// A new problem of `unit_id` as entered: not yet reported or closed.
    pub fn new(unit_id: UnitId, input: RectificationInput) -> Rectification {
        Rectification {
            id: 0,
            unit_id,
            source: input.source,
            found_on: input.found_on,
            problem: input.problem,
            measures: input.measures,
            owner: input.owner_id,
            deadline: input.deadline,
            evidence: String::new(),
            rectified_on: None,
            closed_on: None,
            opinion: String::new(),
        }
    }

    /// The problem's entered fields, as the schema has them.
    pub fn input(&self) -> RectificationInput {
        RectificationInput {
            source: self.source,
            found_on: self.found_on,
            problem: self.problem.clone(),
            measures: self.measures.clone(),
            owner_id: self.owner,
            deadline: self.deadline,
        }
    }

    /// Checks a new or edited problem.
    pub fn validate(&self) -> Result<(), RectificationError> {
        if self.problem.trim().is_empty() {
            return Err(RectificationError::NoProblem);
        }
        if self.deadline < self.found_on {
            return Err(RectificationError::DeadlineBeforeFound);
        }
        Ok(())
    }

    fn check_open(&self) -> Result<(), RectificationError> {
        if self.closed_on.is_some() {
            Err(RectificationError::Closed)
        } else {
            Ok(())
        }
    }

    /// The unit revises its measures and the person responsible.
    pub fn revise(&mut self, measures: &str, owner: Option<PersonId>) -> Result<(), RectificationError> {
        self.check_open()?;
        self.measures = measures.trim().to_string();
        self.owner = owner;
        Ok(())
    }

    /// The unit reports the problem rectified on `on` (申请销号).
    pub fn report_rectified(
        &mut self,
        on: NaiveDate,
        today: NaiveDate,
        evidence: &str,
    ) -> Result<(), RectificationError> {
        self.check_open()?;
        if evidence.trim().is_empty() || self.measures.trim().is_empty() {
            return Err(RectificationError::NoEvidence);
        }
        if on < self.found_on || on > today {
            return Err(RectificationError::BadRectifiedDate);
        }
        self.evidence = evidence.trim().to_string();
        self.rectified_on = Some(on);
        Ok(())
    }

    /// The superior closes a reported problem (销号).
    pub fn close(&mut self, on: NaiveDate, opinion: &str) -> Result<(), RectificationError> {
        self.check_open()?;
        if self.rectified_on.is_none() {
            return Err(RectificationError::NotRectified);
        }
        self.closed_on = Some(on);
        self.opinion = opinion.trim().to_string();
        Ok(())
    }

    /// The superior returns a report: the problem is open again.
    pub fn send_back(&mut self, opinion: &str) -> Result<(), RectificationError> {
        self.check_open()?;
        if self.rectified_on.is_none() {
            return Err(RectificationError::NotRectified);
        }
        if opinion.trim().is_empty() {
            return Err(RectificationError::NoOpinion);
        }
        self.rectified_on = None;
        self.opinion = opinion.trim().to_string();
        Ok(())
    }

    /// 已销号 / 待销号 / 整改中.
    pub fn state_label(&self) -> &'static str {
        match (self.rectified_on, self.closed_on) {
            (_, Some(_)) => "已销号",
            (Some(_), None) => "待上级销号",
            (None, None) => "整改中",
        }
    }

    /// The problem as reasons quote it: at most 30 characters.
    pub fn short_problem(&self) -> String {
        let chars: Vec<char> = self.problem.trim().chars().collect();
        if chars.len() <= 30 {
            chars.iter().collect()
        } else {
            format!("{}…", chars[..30].iter().collect::<String>())
        }
    }
}

/// Where a problem stands on `as_of`: the status, a sentence for reasons
/// and pages, and the deadline while it is open. `remind_days` before the
/// deadline it is due soon.
pub fn assess(p: &Rectification, as_of: NaiveDate, remind_days: i64) -> (Status, String, Option<NaiveDate>) {
    let what = format!("{}问题“{}”", p.source.label(), p.short_problem());
    let deadline = chinese_date(p.deadline);
    match p.rectified_on.filter(|d| *d <= as_of) {
        Some(done) if done > p.deadline => {
            let late = (done - p.deadline).num_days();
            (Status::Late, format!("{what}整改期限为{deadline}，{}才整改完成，逾期{late}天", chinese_date(done)), None)
        }
        Some(done) => {
            let closed = if p.closed_on.is_some() { "，已销号" } else { "，待上级销号" };
            (Status::Met, format!("{what}已于{}整改完成{closed}", chinese_date(done)), None)
        }
        None if as_of > p.deadline => {
            let late = (as_of - p.deadline).num_days();
            (Status::Overdue, format!("{what}整改期限为{deadline}，已逾期{late}天仍未整改到位"), Some(p.deadline))
        }
        None if (p.deadline - as_of).num_days() <= remind_days => {
            let left = (p.deadline - as_of).num_days();
            (Status::DueSoon, format!("{what}须于{deadline}前整改到位（还剩{left}天）"), Some(p.deadline))
        }
        None => (Status::Pending, format!("{what}正在整改，期限为{deadline}"), Some(p.deadline)),
    }
}

/// A problem read from a CSV line; the owner is a name the caller resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedProblem {
    pub line: usize,
    pub source: FindingSource,
    pub found_on: NaiveDate,
    pub problem: String,
    pub measures: String,
    pub owner: String,
    pub deadline: NaiveDate,
}

/// The columns of the problem CSV, in order: the labels of [`FIELDS`].
pub const CSV_HEADER: [&str; FIELDS.len()] = {
    let mut out = [""; FIELDS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = FIELDS[i].label;
        i += 1;
    }
    out
};

/// Parses a whole problem list (UTF-8 CSV with the header [`CSV_HEADER`]).
/// Returns every row, or every error with its line (the header is line 1).
pub fn parse_csv(text: &str) -> Result<Vec<ImportedProblem>, Vec<ImportError>> {
    let (rows, errors) = parse_sheet_lines(&crate::sheet::Sheet::from_csv(text)?);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The good rows and the errors of a problem list (CSV or .xlsx), so that
/// a caller can add its own checks of the good rows (owners) and report
/// all at once.
pub fn parse_sheet_lines(sheet: &crate::sheet::Sheet) -> (Vec<ImportedProblem>, Vec<ImportError>) {
    let header: Vec<&str> = sheet.header.iter().map(String::as_str).collect();
    if header != CSV_HEADER {
        let message = format!("表头应为：{}", CSV_HEADER.join(","));
        return (vec![], vec![ImportError { line: 1, message }]);
    }
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for row in &sheet.rows {
        let line = row.line;
        match row.cells.clone().and_then(|cells| problem_row(line, &cells)) {
            Ok(row) => rows.push(row),
            Err(message) => errors.push(ImportError { line, message }),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError { line: 2, message: "文件中没有问题".into() });
    }
    (rows, errors)
}

/// A row's first problem, as the import has always worded it: the source,
/// then the dates, then the rest (“请填写问题描述”).
fn import_message(errors: Vec<FieldError>, values: &Values) -> String {
    let rank = |e: &FieldError| ["source", "found_on", "deadline"].iter().position(|n| *n == e.field).unwrap_or(3);
    let Some(e) = errors.into_iter().min_by_key(rank) else { return String::new() };
    let Some(f) = FIELDS.iter().find(|f| f.name == e.field) else { return e.message };
    let cell = values.get(f.name).trim();
    match f.kind {
        Choice(_) => {
            let labels: Vec<&str> = f.choices().into_iter().map(|c| c.1).collect();
            let expected = match labels.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{}或{last}", rest.join("、")),
                _ => labels.join(""),
            };
            format!("{}应为{expected}：{cell}", f.label)
        }
        Date => format!("“{}”不是日期（如 2026-11-20）：{cell}", f.label),
        _ if f.name == "problem" && cell.is_empty() => RectificationError::NoProblem.to_string(),
        _ => e.message,
    }
}

fn problem_row(line: usize, r: &[String]) -> Result<ImportedProblem, String> {
    // The file names the owner; the value stays empty for the caller to resolve.
    let (mut values, mut owner) = (Values::default(), String::new());
    for (f, cell) in FIELDS.iter().zip(r.iter()) {
        match f.kind {
            Person => owner = cell.trim().to_string(),
            _ => values.set(f.name, cell.trim()),
        }
    }
    let input = RectificationInput::from_values(&values, None).map_err(|e| import_message(e, &values))?;
    Rectification::new(0, input.clone()).validate().map_err(|e| e.to_string())?;
    Ok(ImportedProblem {
        line,
        source: input.source,
        found_on: input.found_on,
        problem: input.problem,
        measures: input.measures,
        owner,
        deadline: input.deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn problem() -> Rectification {
        Rectification {
            id: 1,
            unit_id: 2,
            source: FindingSource::Inspection,
            found_on: d(9, 10),
            problem: "中心组学习研讨不深入".into(),
            measures: "制定研讨计划".into(),
            owner: None,
            deadline: d(10, 31),
            evidence: String::new(),
            rectified_on: None,
            closed_on: None,
            opinion: String::new(),
        }
    }

    #[test]
    fn report_close_and_return() {
        let mut p = problem();
        assert_eq!(p.close(d(11, 1), ""), Err(RectificationError::NotRectified));
        assert_eq!(p.report_rectified(d(10, 20), d(11, 1), " "), Err(RectificationError::NoEvidence));
        assert_eq!(p.report_rectified(d(11, 2), d(11, 1), "学习记录"), Err(RectificationError::BadRectifiedDate));
        p.report_rectified(d(10, 20), d(11, 1), "学习记录").unwrap();
        assert_eq!(p.state_label(), "待上级销号");
        assert_eq!(p.send_back(" "), Err(RectificationError::NoOpinion));
        p.send_back("佐证不足").unwrap();
        assert_eq!((p.rectified_on, p.state_label()), (None, "整改中"));
        p.report_rectified(d(10, 25), d(11, 1), "学习记录、研讨发言").unwrap();
        p.close(d(11, 3), "同意销号").unwrap();
        assert_eq!(p.report_rectified(d(10, 25), d(11, 3), "x"), Err(RectificationError::Closed));
    }

    #[test]
    fn a_deadline_before_the_finding_is_refused() {
        let p = Rectification { deadline: d(9, 1), ..problem() };
        assert_eq!(p.validate(), Err(RectificationError::DeadlineBeforeFound));
        assert_eq!(Rectification { problem: " ".into(), ..problem() }.validate(), Err(RectificationError::NoProblem));
    }

    #[test]
    fn a_problem_on_the_files_line_4_is_reported_there_after_a_cell_over_two_lines() {
        let csv = "问题来源,发现日期,问题,整改措施,责任人,整改期限\r\n\
                   上级督查,2026-09-10,\"责任清单\r\n未细化\",细化清单,李红梅,2026-10-31\r\n\
                   督查,2026-9-1,问题,措施,李红梅,2026-10-31\r\n";
        let errors = parse_csv(csv).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4], "{errors:?}");
    }

    #[test]
    fn a_csv_with_one_bad_line_is_refused_whole() {
        let good = "问题来源,发现日期,问题,整改措施,责任人,整改期限\n上级督查,2026-09-10,责任清单未细化,细化清单,李红梅,2026-10-31\n";
        let rows = parse_csv(good).unwrap();
        assert_eq!((rows[0].line, rows[0].owner.as_str(), rows[0].deadline), (2, "李红梅", d(10, 31)));
        let bad = format!("{good}巡察反馈,2026-09-10,,措施,李红梅,2026-10-31\n督查,2026-9-1,问题,措施,,2026-08-01\n");
        let errors = parse_csv(&bad).unwrap_err();
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(lines, ["第3行：请填写问题描述", "第4行：问题来源应为上级督查、巡察反馈或自查发现：督查"]);
        assert_eq!(parse_csv("a,b\n").unwrap_err()[0].line, 1);
    }

    #[test]
    fn an_entry_round_trips_through_its_values() {
        let input = RectificationInput { owner_id: Some(7), ..problem().input() };
        assert_eq!(RectificationInput::from_values(&input.to_values(), None), Ok(input.clone()));
        assert_eq!(input.to_values().get("source"), "inspection");
        let back = Rectification::new(2, input.clone());
        assert_eq!((back.input(), back.unit_id, back.rectified_on), (input, 2, None));
    }

    #[test]
    fn a_bad_value_names_its_field() {
        let mut values = problem().input().to_values();
        values.set("source", "督查");
        values.set("problem", " ");
        values.set("deadline", "2026-13-01");
        let errors = RectificationInput::from_values(&values, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["source", "deadline", "problem"]);
        assert_eq!(errors[0].message, "问题来源“督查”无法识别，应填上级督查、巡察反馈或自查发现");
        assert_eq!(errors[2].message, "请填写问题");
    }

    #[test]
    fn the_import_headers_are_the_schema_labels_and_keep_their_wording() {
        assert_eq!(CSV_HEADER.to_vec(), crate::register::import_headers(FIELDS));
        assert_eq!(CSV_HEADER, ["问题来源", "发现日期", "问题", "整改措施", "责任人", "整改期限"]);
        let header = CSV_HEADER.join(",");
        let errors = parse_csv(&format!("{header}\n自查发现,2026-09-10,问题,措施,,十月底\n")).unwrap_err();
        assert_eq!(errors[0].to_string(), "第2行：“整改期限”不是日期（如 2026-11-20）：十月底");
        let errors = parse_csv(&format!("{header}\n自查发现,,问题\n")).unwrap_err();
        assert_eq!(errors[0].to_string(), "第2行：格式有误：应有6列，实有3列");
    }
}
