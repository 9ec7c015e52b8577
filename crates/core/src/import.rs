//! CSV import of records: the whole file is checked before anything is
//! written, and every problem is reported with its line number.
//!
//! Format (UTF-8, with or without BOM; header row first):
//! `类别,单位,日期,<field>,<field>,…` where 类别 is a record kind (code or
//! Chinese label), 单位 the unit's name or id, 日期 when the work happened,
//! and the other columns are fields of that kind, by code (`topic`) or by
//! label (`主题`). Columns that do not belong to a row's kind must be empty.

use crate::fields::{fields, parse_date, parse_record};
use crate::record::{RecordData, RecordKind};
use crate::sheet::{Sheet, SheetRow};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    /// The unit as written: a name or an id, resolved by the caller.
    pub unit: String,
    pub occurred_on: NaiveDate,
    pub data: RecordData,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行：{}", self.line, self.message)
    }
}

const KIND_COLUMN: [&str; 2] = ["类别", "kind"];
const UNIT_COLUMN: [&str; 2] = ["单位", "unit"];
const DATE_COLUMN: [&str; 2] = ["日期", "occurred_on"];

fn kind_of(text: &str) -> Option<RecordKind> {
    let t = text.trim();
    RecordKind::parse(t).or_else(|| RecordKind::ALL.into_iter().find(|k| k.label() == t))
}

/// The field code a header names, if any: a code or a label of any kind.
pub(crate) fn field_code(header: &str) -> Option<&'static str> {
    RecordKind::ALL.iter().flat_map(|k| fields(*k)).find(|s| s.name == header || s.label == header).map(|s| s.name)
}

/// The physical lines of `text` its CSV records start on (the header is
/// line 1), counted from each record's byte offset: Windows line endings
/// (what Excel writes) and quoted cells spanning lines do not shift them,
/// as the reader's own record-based count does. Records come in order, so
/// the counter goes on from the last one: a file is scanned once, not once
/// per record.
pub struct RecordLines<'a> {
    bytes: &'a [u8],
    /// Byte offset counted up to, and the line it lies on.
    at: usize,
    line: usize,
}

impl<'a> RecordLines<'a> {
    pub fn new(text: &'a str) -> Self {
        RecordLines { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    /// The line `record` starts on; `fallback` when the reader gives no
    /// position.
    pub fn line_of(&mut self, record: &Result<csv::StringRecord, csv::Error>, fallback: usize) -> usize {
        let position = match record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let bytes = self.bytes;
        let Some(mut start) = position.map(|p| (p.byte() as usize).min(bytes.len())) else { return fallback };
        // After a CR, the reader's offset points at the LF that ends the line
        // before: the record itself starts after the line ending.
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            // Never expected (records come in order): count from the start.
            (self.at, self.line) = (0, 1);
        }
        self.line += bytes[self.at..start].iter().filter(|b| **b == b'\n').count();
        self.at = start;
        self.line
    }
}

/// Parses and checks a whole CSV file. Returns every row, or every error.
pub fn parse_csv(text: &str) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    parse_sheet(&Sheet::from_csv(text)?)
}

/// Parses and checks a whole sheet (CSV or .xlsx). Returns every row, or every error.
pub fn parse_sheet(sheet: &Sheet) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    let (Some(kind_col), Some(unit_col), Some(date_col)) =
        (sheet.column(&KIND_COLUMN), sheet.column(&UNIT_COLUMN), sheet.column(&DATE_COLUMN))
    else {
        return Err(vec![ImportError {
            line: 1, message: "表头须包含“类别”“单位”“日期”三列".into()
        }]);
    };
    let mut columns: Vec<(usize, &'static str)> = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in sheet.header.iter().enumerate() {
        if [kind_col, unit_col, date_col].contains(&i) || h.is_empty() {
            continue;
        }
        match field_code(h) {
            Some(code) => columns.push((i, code)),
            None => errors.push(ImportError { line: 1, message: format!("无法识别的列“{h}”") }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for row in &sheet.rows {
        let line = row.line;
        match &row.cells {
            Ok(_) => match parse_row(row, kind_col, unit_col, date_col, &columns) {
                Ok(row) => rows.push(row),
                Err(mut e) => errors.append(&mut e),
            },
            Err(message) => errors.push(ImportError { line, message: message.clone() }),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError { line: 1, message: "文件中没有数据行".into() });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn parse_row(
    record: &SheetRow,
    kind_col: usize,
    unit_col: usize,
    date_col: usize,
    columns: &[(usize, &'static str)],
) -> Result<ImportRow, Vec<ImportError>> {
    let line = record.line;
    let cell = |i: usize| record.cell(Some(i));
    let err = |message: String| vec![ImportError { line, message }];
    let kind = kind_of(&cell(kind_col)).ok_or_else(|| err(format!("类别“{}”无法识别", cell(kind_col))))?;
    let unit = cell(unit_col);
    if unit.is_empty() {
        return Err(err("请填写单位".into()));
    }
    let date_text = cell(date_col);
    let occurred_on =
        parse_date(&date_text).ok_or_else(|| err(format!("日期“{date_text}”无法识别，应如 2026-03-05")))?;
    let own: Vec<&str> = fields(kind).iter().map(|s| s.name).collect();
    let mut errors = Vec::new();
    for (i, code) in columns {
        if !own.contains(code) && !cell(*i).is_empty() {
            errors
                .push(ImportError {
                    line, message: format!("“{}”类记录没有“{code}”这一项，该列应留空", kind.label())
                });
        }
    }
    let get = |name: &str| columns.iter().find(|(_, c)| *c == name).map(|(i, _)| cell(*i));
    match parse_record(kind, get) {
        Ok(data) if errors.is_empty() => Ok(ImportRow { line, unit, occurred_on, data }),
        Ok(_) => Err(errors),
        Err(field_errors) => {
            errors.extend(field_errors.into_iter().map(|e| ImportError { line, message: e.message }));
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "类别,单位,日期,meeting_type,topic,due,present,absentees\n";

    #[test]
    fn a_good_file_parses_every_row_with_lines() {
        let csv = format!("\u{feff}{HEADER}branch_meeting,机关党支部,2026-01-05,支委会,一月支委会,5,5,\n三会一课及主题党日,机关党支部,2026/2/5,主题党日,二月主题党日,5,4,张三：出差\n");
        let rows = parse_csv(&csv).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(rows[1].occurred_on, NaiveDate::from_ymd_opt(2026, 2, 5).unwrap());
    }

    #[test]
    fn a_bad_date_on_line_57_is_reported_as_line_57() {
        let mut csv = HEADER.to_string();
        for i in 2..=60 {
            let date = if i == 57 { "2026-02-30".to_string() } else { format!("2026-01-{:02}", i % 28 + 1) };
            csv.push_str(&format!("branch_meeting,机关党支部,{date},支委会,支委会{i},5,5,\n"));
        }
        let errors = parse_csv(&csv).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 57);
        assert_eq!(errors[0].to_string(), "第57行：日期“2026-02-30”无法识别，应如 2026-03-05");
    }

    #[test]
    fn lines_are_the_files_own_with_windows_endings_and_cells_over_two_lines() {
        // Excel writes CRLF; a quoted cell may span lines. The bad date is
        // on the file's line 5 either way.
        let rows = [
            "branch_meeting,机关党支部,2026-01-05,支委会,\"一月\n支委会\",5,5,",
            "branch_meeting,机关党支部,2026-01-06,支委会,二月,5,5,",
            "branch_meeting,机关党支部,2026-02-30,支委会,三月,5,5,",
        ];
        for ending in ["\n", "\r\n"] {
            let csv = format!("{}{ending}{}{ending}", HEADER.trim_end(), rows.join(ending));
            let errors = parse_csv(&csv).unwrap_err();
            assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [5], "{ending:?}: {errors:?}");
        }
    }

    #[test]
    fn every_error_is_reported_not_just_the_first() {
        let csv = format!("{HEADER}茶话会,机关党支部,2026-01-05,,,,,\nbranch_meeting,,2026-01-05,支委会,x,5,5,\nbranch_meeting,机关党支部,2026-01-05,支委会,,5,5,\nbranch_meeting,机关党支部,2026-01-05,支委会,x,5,9,\n");
        let errors = parse_csv(&csv).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{errors:?}");
        assert!(errors[2].message.contains("请填写主题"), "{errors:?}");
        assert!(errors[3].message.contains("实到人数"), "{errors:?}");
    }

    #[test]
    fn bad_headers_and_foreign_columns() {
        assert_eq!(parse_csv("单位,日期\n").unwrap_err()[0].line, 1);
        assert!(parse_csv("类别,单位,日期,颜色\n").unwrap_err()[0].message.contains("颜色"));
        let csv = "类别,单位,日期,topic,title\nbranch_meeting,支部,2026-01-05,x,不该有\n";
        let errors = parse_csv(csv).unwrap_err();
        assert!(errors[0].message.contains("该列应留空"), "{errors:?}");
        assert!(parse_csv("类别,单位,日期\n").unwrap_err()[0].message.contains("没有数据行"));
    }
}
