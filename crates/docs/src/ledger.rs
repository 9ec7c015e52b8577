//! .xlsx ledgers (台账): one sheet per ledger, a title row, a frozen bold
//! header with an autofilter, typed cells (real dates, numbers) and print
//! settings for A4 landscape, since ledgers are printed for inspections.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::cn::display_width;
use crate::DocsError;

/// Dates as a Chinese reader writes them; the cell still holds a date.
pub const DATE_FORMAT: &str = r#"yyyy"年"m"月"d"日""#;

const FONT: &str = "宋体";
const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;
/// Excel's limits on sheet names.
const SHEET_NAME_MAX: usize = 31;
const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// One ledger: a titled table of typed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Shown merged above the header, e.g. "2026年理论学习中心组学习台账".
    pub title: String,
    /// Cleaned to what Excel accepts (≤ 31 characters, no []:*?/\).
    pub sheet_name: String,
    pub columns: Vec<Column>,
    /// Each row has one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Chinese header text.
    pub header: String,
    pub kind: ColumnKind,
    /// Width in Excel character units; `None` picks one from the kind.
    pub width: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Date,
    Int,
    /// Shown as 是/否.
    Bool,
    /// Points with two decimals (考核得分).
    Decimal,
    /// Wrapped in a wide column.
    LongText,
}

/// A cell value. `Empty` and `Text` fit any column (a note such as "未开展"
/// may stand in a date column); the other values only their own kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Int(i64),
    Bool(bool),
    /// For a `Decimal` column; a value that is not finite is refused.
    Number(f64),
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        Column { header: header.into(), kind, width: None }
    }

    /// The given width, or one wide enough for the header and typical
    /// content of the kind. A CJK character is about two units wide.
    fn effective_width(&self) -> f64 {
        let header = display_width(&self.header) * 2.0 + 2.0;
        let typical: f64 = match self.kind {
            ColumnKind::Text => 16.0,
            ColumnKind::Date => 16.0,
            ColumnKind::Int | ColumnKind::Bool | ColumnKind::Decimal => 8.0,
            ColumnKind::LongText => 50.0,
        };
        self.width.unwrap_or(typical.max(header))
    }
}

/// One ledger as an .xlsx workbook.
pub fn write_xlsx(ledger: &Ledger) -> Result<Vec<u8>, DocsError> {
    write_workbook(std::slice::from_ref(ledger))
}

/// Several ledgers as the sheets of one workbook.
///
/// The same ledgers always give the same bytes: the inspection bundle's
/// manifest and its tests rely on that. rust_xlsxwriter would otherwise stamp
/// the "created" property with the current second, so it is set to a fixed
/// instant; the date that matters to a reader is in the title row.
pub fn write_workbook(ledgers: &[Ledger]) -> Result<Vec<u8>, DocsError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let formats = Formats::new();
    for ledger in ledgers {
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, ledger, &formats)?;
    }
    if ledgers.is_empty() {
        // An .xlsx must hold a sheet; an empty export is still a valid file.
        workbook.add_worksheet();
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    long_text: Format,
    date: Format,
    int: Format,
    decimal: Format,
    centred: Format,
}

impl Formats {
    fn new() -> Self {
        let cell =
            Format::new().set_font_name(FONT).set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_font_name(FONT).set_font_size(16).set_bold().set_align(FormatAlign::Center),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            text: cell.clone(),
            long_text: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            date: cell.clone().set_num_format(DATE_FORMAT).set_align(FormatAlign::Center),
            int: cell.clone().set_num_format("0").set_align(FormatAlign::Center),
            decimal: cell.clone().set_num_format("0.00").set_align(FormatAlign::Center),
            centred: cell.set_align(FormatAlign::Center),
        }
    }

    fn for_kind(&self, kind: ColumnKind) -> &Format {
        match kind {
            ColumnKind::Text => &self.text,
            ColumnKind::LongText => &self.long_text,
            ColumnKind::Date => &self.date,
            ColumnKind::Int => &self.int,
            ColumnKind::Decimal => &self.decimal,
            ColumnKind::Bool => &self.centred,
        }
    }
}

fn write_sheet(sheet: &mut Worksheet, ledger: &Ledger, formats: &Formats) -> Result<(), DocsError> {
    sheet.set_name(sheet_name(&ledger.sheet_name))?;
    let last_col = col_num(ledger.columns.len().saturating_sub(1))?;
    write_title(sheet, ledger, last_col, formats)?;
    for (i, column) in ledger.columns.iter().enumerate() {
        let col = col_num(i)?;
        sheet.set_column_width(col, column.effective_width())?;
        sheet.write_string_with_format(HEADER_ROW, col, &column.header, &formats.header)?;
    }
    for (i, row) in ledger.rows.iter().enumerate() {
        write_row(sheet, ledger, i, row, formats)?;
    }
    let last_row = FIRST_DATA_ROW - 1 + row_num(ledger.rows.len())?;
    if !ledger.columns.is_empty() {
        sheet.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
    Ok(())
}

fn write_title(sheet: &mut Worksheet, ledger: &Ledger, last_col: u16, formats: &Formats) -> Result<(), DocsError> {
    sheet.set_row_height(TITLE_ROW, 30)?;
    if last_col > 0 {
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, &ledger.title, &formats.title)?;
    } else {
        sheet.write_string_with_format(TITLE_ROW, 0, &ledger.title, &formats.title)?;
    }
    Ok(())
}

fn write_row(
    sheet: &mut Worksheet,
    ledger: &Ledger,
    index: usize,
    row: &[Cell],
    formats: &Formats,
) -> Result<(), DocsError> {
    if row.len() != ledger.columns.len() {
        let problem = format!("有{}个单元格，应为{}个", row.len(), ledger.columns.len());
        return Err(cell_error(index, "（整行）", problem));
    }
    let r = FIRST_DATA_ROW + row_num(index)?;
    for (i, (cell, column)) in row.iter().zip(&ledger.columns).enumerate() {
        let c = col_num(i)?;
        let format = formats.for_kind(column.kind);
        match (cell, column.kind) {
            (Cell::Empty, _) => sheet.write_blank(r, c, format)?,
            (Cell::Text(t), _) => sheet.write_string_with_format(r, c, fit_cell(t).as_ref(), format)?,
            (Cell::Date(d), ColumnKind::Date) => {
                let date = excel_date(*d).ok_or_else(|| cell_error(index, &column.header, "日期超出范围".into()))?;
                sheet.write_datetime_with_format(r, c, &date, format)?
            }
            // Counts stay far below 2^53, where f64 would lose precision.
            (Cell::Int(n), ColumnKind::Int) => sheet.write_number_with_format(r, c, *n as f64, format)?,
            (Cell::Number(x), ColumnKind::Decimal) if x.is_finite() => {
                sheet.write_number_with_format(r, c, *x, format)?
            }
            (Cell::Bool(b), ColumnKind::Bool) => {
                sheet.write_string_with_format(r, c, if *b { "是" } else { "否" }, format)?
            }
            _ => return Err(cell_error(index, &column.header, "数据类型与列不符".into())),
        };
    }
    Ok(())
}

/// Excel holds at most 32,767 characters in a cell; a longer stored text
/// (kept from before limits were enforced, or a very long 纪要) is cut with
/// a note rather than failing the whole ledger.
const EXCEL_CELL_MAX_CHARS: usize = 32_767;
const CUT_NOTE: &str = "……（超出Excel单元格上限，以下从略）";

fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    // Excel counts UTF-16 units; staying under the limit in those is safe.
    if text.encode_utf16().count() <= EXCEL_CELL_MAX_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let room = EXCEL_CELL_MAX_CHARS - CUT_NOTE.encode_utf16().count();
    let mut used = 0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    std::borrow::Cow::Owned(kept + CUT_NOTE)
}

fn cell_error(index: usize, column: &str, problem: String) -> DocsError {
    DocsError::LedgerCell { row: index + 1, column: column.to_string(), problem }
}

fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    // Month and day always fit in u8.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

fn sheet_name(raw: &str) -> String {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| if SHEET_NAME_FORBIDDEN.contains(&c) { '_' } else { c })
        .take(SHEET_NAME_MAX)
        .collect();
    // Excel also refuses a name that starts or ends with an apostrophe.
    let cleaned = cleaned.trim_matches('\'').to_string();
    if cleaned.is_empty() {
        "台账".into()
    } else {
        cleaned
    }
}

fn col_num(i: usize) -> Result<u16, DocsError> {
    u16::try_from(i).map_err(|_| DocsError::InvalidDocument("台账列数过多".into()))
}

fn row_num(i: usize) -> Result<u32, DocsError> {
    u32::try_from(i).map_err(|_| DocsError::InvalidDocument("台账行数过多".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sheet_name("学习/研讨[2026]"), "学习_研讨_2026_");
        assert_eq!(sheet_name("  "), "台账");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn a_text_longer_than_an_excel_cell_is_cut_not_refused() {
        let long = "纪".repeat(40_000);
        let cut = fit_cell(&long);
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_MAX_CHARS && cut.ends_with(CUT_NOTE));
        assert_eq!(fit_cell("短"), "短");
        let ledger = Ledger {
            title: "台账".into(),
            sheet_name: "台账".into(),
            columns: vec![Column::new("纪要", ColumnKind::Text)],
            rows: vec![vec![Cell::Text(long)]],
        };
        assert!(write_xlsx(&ledger).is_ok(), "the ledger is written");
    }

    #[test]
    fn widths_fit_headers() {
        let c = Column::new("参加人数", ColumnKind::Int);
        assert_eq!(c.effective_width(), 10.0);
        let c = Column { width: Some(30.0), ..Column::new("日期", ColumnKind::Date) };
        assert_eq!(c.effective_width(), 30.0);
    }
}
