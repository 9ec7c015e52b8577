//! CSV import of submissions: the whole file is checked (every row built
//! and validated as the form builds it, departments and authors found
//! among the unit's) before anything is written, and every problem is
//! reported as 第N行.
//!
//! Columns (UTF-8, header first, by Chinese name, in any order): 标题, 科室,
//! 刊物, 级别, 报送日期 (required); 作者 (names separated by 、), 录用日期,
//! 期号或链接 (optional).

use super::{Level, NewsError, Submission, FIELDS};
use crate::fields::parse_date;
use crate::import::ImportError;
use crate::org::{Person, UnitId};
use crate::sheet::Sheet;
use chrono::NaiveDate;

/// The header of the authors' column, which is not a plain field.
pub const AUTHORS: &str = "作者";

/// The columns a file may have, in the order of the template: the labels
/// of the schema ([`super::FIELDS`]), with 作者 after 科室.
pub const COLUMNS: [&str; FIELDS.len() + 1] = {
    let mut out = [""; FIELDS.len() + 1];
    let (mut i, mut o) = (0, 0);
    while i < FIELDS.len() {
        out[o] = FIELDS[i].label;
        o += 1;
        if same(FIELDS[i].name, "department_id") {
            out[o] = AUTHORS;
            o += 1;
        }
        i += 1;
    }
    out
};

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn required_count() -> usize {
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].required {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The columns every file must have: the schema's required fields.
pub const REQUIRED: [&str; required_count()] = {
    let mut out = [""; required_count()];
    let (mut i, mut o) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].required {
            out[o] = FIELDS[i].label;
            o += 1;
        }
        i += 1;
    }
    out
};

/// One parsed row: its line (the header is line 1) and the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSubmission {
    pub line: usize,
    pub submission: Submission,
}

/// Where a file's rows go: the Party group, its departments (id, name)
/// and its people, on `today`.
pub struct Target<'a> {
    pub unit_id: UnitId,
    pub departments: &'a [(UnitId, String)],
    pub people: &'a [Person],
    pub today: NaiveDate,
}

/// Parses a whole CSV file. Returns every submission, or every error.
pub fn parse_csv(text: &str, target: &Target) -> Result<Vec<ImportedSubmission>, Vec<ImportError>> {
    parse_sheet(&Sheet::from_csv(text)?, target)
}

/// Parses a whole sheet (CSV or .xlsx). Returns every submission, or every error.
pub fn parse_sheet(sheet: &Sheet, target: &Target) -> Result<Vec<ImportedSubmission>, Vec<ImportError>> {
    let mut errors: Vec<ImportError> = sheet
        .headers()
        .filter(|h| !COLUMNS.contains(h))
        .map(|h| ImportError { line: 1, message: format!("无法识别的列“{h}”") })
        .collect();
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|c| sheet.column(&[c])).collect();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| sheet.column(&[c]).is_none()).collect();
    if !missing.is_empty() {
        errors.push(ImportError { line: 1, message: format!("表头缺少“{}”列", missing.join("”“")) });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out: Vec<ImportedSubmission> = Vec::new();
    for row in &sheet.rows {
        let line = row.line;
        let parsed = row.cells.as_ref().map_err(|e| vec![e.clone()]).and_then(|_| {
            let cell = |name: &str| {
                let i = COLUMNS.iter().position(|c| *c == name).expect("a known column");
                row.cell(columns[i])
            };
            parse_row(&cell, target)
        });
        match parsed {
            Ok(s)
                if out.iter().any(|o| o.submission.title == s.title && o.submission.submitted_on == s.submitted_on) =>
            {
                errors.push(ImportError { line, message: format!("信息“{}”在文件中重复出现", s.title) })
            }
            Ok(submission) => out.push(ImportedSubmission { line, submission }),
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

/// One row, with every problem it has (not only the first).
fn parse_row(cell: &dyn Fn(&str) -> String, target: &Target) -> Result<Submission, Vec<String>> {
    let mut problems: Vec<String> = Vec::new();
    let mut note = |r: Result<(), String>| {
        if let Err(m) = r {
            problems.push(m);
        }
    };
    let date = |name: &str| -> Result<Option<NaiveDate>, String> {
        match cell(name) {
            t if t.is_empty() => Ok(None),
            t => parse_date(&t).map(Some).ok_or_else(|| format!("“{name}”不是日期（如 2026-11-20）：{t}")),
        }
    };
    let department = department(target, &cell("科室"));
    let level =
        Level::parse(&cell("级别")).ok_or_else(|| format!("级别应为国家级、省级、市级或县级：{}", cell("级别")));
    let submitted = date("报送日期").and_then(|d| d.ok_or_else(|| "请填写报送日期".to_string()));
    let adopted = date("录用日期");
    let authors = authors(target.people, &cell("作者"));
    note(department.as_ref().map(|_| ()).map_err(Clone::clone));
    note(level.as_ref().map(|_| ()).map_err(Clone::clone));
    note(submitted.as_ref().map(|_| ()).map_err(Clone::clone));
    note(adopted.as_ref().map(|_| ()).map_err(Clone::clone));
    note(authors.as_ref().map(|_| ()).map_err(Clone::clone));
    let (Ok(department_id), Ok(level), Ok(submitted_on), Ok(adopted_on), Ok(authors)) =
        (department, level, submitted, adopted, authors)
    else {
        return Err(problems);
    };
    let s = Submission {
        id: 0,
        unit_id: target.unit_id,
        department_id,
        title: cell("标题"),
        authors,
        outlet: cell("刊物"),
        level,
        submitted_on,
        adopted_on,
        issue: cell("期号或链接"),
    };
    s.validate(target.today).map_err(|e: NewsError| vec![e.to_string()])?;
    Ok(s)
}

fn department(target: &Target, name: &str) -> Result<UnitId, String> {
    if name.is_empty() {
        return Err("请填写科室".into());
    }
    target
        .departments
        .iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| *id)
        .ok_or_else(|| format!("本单位没有名为“{name}”的科室"))
}

/// Author names separated by 、，,；; or spaces, each a person of the unit.
pub fn authors(people: &[Person], names: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for name in names.split(['、', '，', ',', '；', ';', ' ', '　']).map(str::trim).filter(|n| !n.is_empty()) {
        let found: Vec<&Person> = people.iter().filter(|p| p.name == name).collect();
        match found.as_slice() {
            [p] if !ids.contains(&p.id) => ids.push(p.id),
            [_] => {}
            [] => return Err(format!("作者“{name}”不是本单位人员")),
            _ => return Err(format!("本单位有多名“{name}”，请在页面上逐条录入")),
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn people() -> Vec<Person> {
        let p = |id, name: &str| Person { id, unit_id: 1, name: name.into(), title: String::new() };
        vec![p(101, "刘晓雯"), p(102, "陈静"), p(103, "王芳"), p(104, "王芳")]
    }

    fn parse(text: &str) -> Result<Vec<ImportedSubmission>, Vec<String>> {
        let departments = vec![(3, "办公室".to_string()), (4, "养老服务股".to_string())];
        let people = people();
        let target = Target { unit_id: 1, departments: &departments, people: &people, today: d(11, 23) };
        parse_csv(text, &target).map_err(|errors| errors.iter().map(|e| e.to_string()).collect())
    }

    const HEADER: &str = "标题,科室,作者,刊物,级别,报送日期,录用日期,期号或链接\n";

    #[test]
    fn a_good_file_resolves_departments_and_authors() {
        let text = format!(
            "\u{feff}{HEADER}县民政局开展冬季救助排查,办公室,刘晓雯、陈静,县委办《每日要情》,县级,2026-11-02,2026-11-04,第210期\n\
             养老服务质量提升行动,养老服务股,,市民政局《民政信息》,市级,2026/11/10,,\n"
        );
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 2);
        let first = &rows[0].submission;
        assert_eq!((rows[0].line, first.department_id, first.authors.clone()), (2, 3, vec![101, 102]));
        assert_eq!((first.level, first.adopted_on, first.issue.as_str()), (Level::County, Some(d(11, 4)), "第210期"));
        let second = &rows[1].submission;
        assert_eq!(
            (rows[1].line, second.department_id, second.adopted_on, second.submitted_on),
            (3, 4, None, d(11, 10))
        );
    }

    #[test]
    fn every_bad_line_is_reported() {
        let text = format!(
            "{HEADER}好信息,办公室,刘晓雯,刊物,县级,2026-11-02,,\n\
             ,财务股,张三,刊物,乡级,2026-11-02,,\n\
             重名,办公室,王芳,刊物,省级,2026-11-30,,\n\
             早于报送,办公室,,刊物,省级,2026-11-02,2026-11-01,\n\
             好信息,办公室,刘晓雯,刊物,县级,2026-11-02,,\n"
        );
        assert_eq!(
            parse(&text).unwrap_err(),
            [
                "第3行：本单位没有名为“财务股”的科室",
                "第3行：级别应为国家级、省级、市级或县级：乡级",
                "第3行：作者“张三”不是本单位人员",
                "第4行：本单位有多名“王芳”，请在页面上逐条录入",
                "第5行：录用日期不能早于报送日期，也不能晚于今天",
                "第6行：信息“好信息”在文件中重复出现",
            ]
        );
    }

    #[test]
    fn the_import_headers_are_the_schema_labels() {
        assert_eq!(COLUMNS, ["标题", "科室", "作者", "刊物", "级别", "报送日期", "录用日期", "期号或链接"]);
        assert_eq!(REQUIRED, ["标题", "科室", "刊物", "级别", "报送日期"]);
        for f in FIELDS {
            assert!(COLUMNS.contains(&f.label), "{} is not a column", f.label);
        }
    }

    #[test]
    fn headers_are_checked_first() {
        let errors = parse("标题,科室,期号\n").unwrap_err();
        assert_eq!(errors, ["第1行：无法识别的列“期号”", "第1行：表头缺少“刊物”“级别”“报送日期”列"]);
        assert_eq!(parse(HEADER).unwrap_err(), ["第1行：文件中没有数据行"]);
        let short = format!("{HEADER}标题,办公室\n");
        assert!(parse(&short).unwrap_err()[0].starts_with("第2行：格式有误"), "{:?}", parse(&short));
    }
}
