//! An uploaded import file as a [`Sheet`]: a UTF-8 CSV file, or the first
//! worksheet of an .xlsx workbook (recognised by its content, a zip, not
//! by its name). Every importer then checks the same sheet the same way,
//! with the line numbers Excel shows (the header is row 1).
//!
//! An .xlsx file is a zip, so what a small upload makes the server do is
//! bounded: the parts may inflate to [`MAX_INFLATED_BYTES`] in all (each
//! actually inflated and counted before the workbook is parsed: a zip's
//! declared sizes may lie), and only [`MAX_ROWS`] rows and [`MAX_COLUMNS`]
//! columns are read, cell by cell, never as a dense range (a sheet with
//! one cell in A1 and one in XFD1048576 would otherwise be a 17-billion
//! cell table).

use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read};
use taizhang_core::import::ImportError;
use taizhang_core::sheet::{Sheet, SheetRow};

/// The most the parts of an .xlsx may inflate to, together. A workbook of
/// a few thousand rows is a few MB of XML.
pub const MAX_INFLATED_BYTES: u64 = 32 * 1024 * 1024;
/// The most parts an .xlsx may have (a workbook has a dozen or two).
pub const MAX_ENTRIES: usize = 1_000;
/// The most data rows read (a unit's register has dozens or hundreds).
pub const MAX_ROWS: usize = 5_000;
/// The most columns (the widest template has a few dozen).
pub const MAX_COLUMNS: usize = 100;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The old binary .xls (OLE compound file).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// A non-empty cell: its column and its text, or why it cannot be read.
type Cell = (usize, Result<String, String>);

fn refused(message: impl Into<String>) -> Vec<ImportError> {
    vec![ImportError { line: 1, message: message.into() }]
}

/// The sheet of an uploaded file, or why it cannot be read (on line 1).
pub fn read_sheet(bytes: &[u8]) -> Result<Sheet, Vec<ImportError>> {
    if bytes.starts_with(ZIP_MAGIC) {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(refused("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| refused("文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8”，或直接上传 .xlsx 文件"))?;
    if text.contains('\0') {
        return Err(refused("内容中含有无法保存的空字符（NUL），请删除后重试"));
    }
    Sheet::from_csv(text)
}

/// Inflates every part, counting, so that a zip bomb is refused before
/// the workbook is parsed.
fn check_inflated_size(bytes: &[u8]) -> Result<(), Vec<ImportError>> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| refused(format!("不是有效的 .xlsx 文件：{e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(refused(format!("文件包含的部件超过{MAX_ENTRIES}个，不像是 Excel 工作簿")));
    }
    let too_large = || refused(format!("文件解压后超过{}MB，请拆分后分批导入", MAX_INFLATED_BYTES / (1024 * 1024)));
    let mut left = MAX_INFLATED_BYTES;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| refused(format!("不是有效的 .xlsx 文件：{e}")))?;
        let inflated = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| refused(format!("不是有效的 .xlsx 文件：{e}")))?;
        left = left.checked_sub(inflated).ok_or_else(too_large)?;
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, Vec<ImportError>> {
    check_inflated_size(bytes)?;
    let unreadable = |e: calamine::XlsxError| refused(format!("不是有效的 .xlsx 文件：{e}"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return Err(refused("工作簿中没有工作表"));
    };
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    // Row index (0 = the header) → (column, text) of its non-empty cells.
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = (cell.get_position().0 as usize, cell.get_position().1 as usize);
        let text = cell_text(cell.get_value());
        if matches!(&text, Ok(t) if t.trim().is_empty()) {
            continue;
        }
        if row > MAX_ROWS {
            return Err(refused(format!("工作表超过{MAX_ROWS}行，请拆分后分批导入")));
        }
        if col >= MAX_COLUMNS {
            return Err(refused(format!("工作表超过{MAX_COLUMNS}列，请只保留模板中的列")));
        }
        match rows.last_mut() {
            Some((r, row_cells)) if *r == row => row_cells.push((col, text)),
            _ => rows.push((row, vec![(col, text)])),
        }
    }
    // Cells come in the sheet's order, which Excel keeps by row; sort in
    // case another program wrote them otherwise.
    rows.sort_by_key(|(r, _)| *r);
    let mut header: Vec<String> = Vec::new();
    if let Some((0, cells)) = rows.first() {
        for (col, text) in cells {
            if header.len() <= *col {
                header.resize(col + 1, String::new());
            }
            header[*col] = text.clone().unwrap_or_default().trim().to_string();
        }
    }
    let width = header.len();
    let data = rows.into_iter().filter(|(r, _)| *r > 0);
    let rows = data.map(|(r, row_cells)| SheetRow { line: r + 1, cells: row_of(width, row_cells) }).collect();
    Ok(Sheet { header, rows })
}

/// A data row padded to the header's width; unreadable when a cell holds
/// a formula error or lies right of the last header.
fn row_of(width: usize, row_cells: Vec<Cell>) -> Result<Vec<String>, String> {
    let mut out = vec![String::new(); width];
    for (col, text) in row_cells {
        let text = text?;
        if col >= width {
            return Err(format!("第{}列没有表头，却填写了“{}”", column_name(col), text.trim()));
        }
        out[col] = text;
    }
    Ok(out)
}

/// Excel's name of a 0-based column: A, B, … Z, AA, …
pub(crate) fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// A cell as the text a CSV file would have: dates as 2026-03-05 (with
/// the time when it has one), whole numbers without a decimal point.
fn cell_text(value: &DataRef) -> Result<String, String> {
    let text = match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        DataRef::DateTime(dt) if dt.is_duration() => dt.as_f64().to_string(),
        DataRef::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{mo:02}-{d:02}");
            match (dt.as_f64() < 1.0, (h, mi, s)) {
                (true, _) => format!("{h:02}:{mi:02}"),
                (false, (0, 0, 0)) => date,
                (false, (_, _, 0)) => format!("{date} {h:02}:{mi:02}"),
                (false, _) => format!("{date} {h:02}:{mi:02}:{s:02}"),
            }
        }
        DataRef::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).replace('T', " "),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => return Err(format!("有单元格的公式出错（{e}），请改为填写数值")),
    };
    if text.contains('\0') {
        return Err("内容中含有无法保存的空字符（NUL），请删除后重试".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    use std::io::Write;

    #[test]
    fn text_dates_excel_dates_numbers_and_lines_come_out_as_a_csv_would_have_them() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let chinese_date = Format::new().set_num_format_index(31);
        let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        for (c, h) in ["甲", "乙", "丙", "丁"].iter().enumerate() {
            ws.write(0, c as u16, *h).unwrap();
        }
        ws.write(1, 0, "2026年3月5日").unwrap();
        ws.write_with_format(1, 1, ExcelDateTime::from_ymd(2026, 3, 5).unwrap(), &date).unwrap();
        ws.write(1, 2, 7.0).unwrap();
        ws.write_with_format(1, 3, ExcelDateTime::parse_from_str("2026-11-20 09:30").unwrap(), &time).unwrap();
        // Row 3 is left empty; row 5 has a Chinese-format date only.
        ws.write_with_format(4, 1, ExcelDateTime::from_ymd(2026, 2, 28).unwrap(), &chinese_date).unwrap();
        let sheet = read_sheet(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(sheet.header, ["甲", "乙", "丙", "丁"]);
        assert_eq!(sheet.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(
            sheet.rows[0].cells,
            Ok(vec!["2026年3月5日".into(), "2026-03-05".into(), "7".into(), "2026-11-20 09:30".into()])
        );
        assert_eq!(sheet.rows[1].cells, Ok(vec!["".into(), "2026-02-28".into(), "".into(), "".into()]));
    }

    #[test]
    fn a_cell_right_of_the_header_is_a_problem_of_its_row() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "甲").unwrap();
        ws.write(1, 2, "多余").unwrap();
        let sheet = read_sheet(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(sheet.rows[0].cells, Err("第C列没有表头，却填写了“多余”".to_string()));
        assert_eq!(column_name(26), "AA");
    }

    #[test]
    fn too_many_rows_are_refused_as_they_are_read() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "甲").unwrap();
        ws.write(MAX_ROWS as u32 + 1, 0, "远处").unwrap();
        let errors = read_sheet(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(errors[0].message.contains("超过5000行"), "{errors:?}");
    }

    #[test]
    fn a_zip_that_inflates_past_the_cap_is_refused_before_it_is_parsed() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..=MAX_INFLATED_BYTES / zeros.len() as u64 {
            zip.write_all(&zeros).unwrap();
        }
        let bomb = zip.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "the bomb is small: {}", bomb.len());
        let errors = read_sheet(&bomb).unwrap_err();
        assert!(errors[0].message.contains("解压后超过32MB"), "{errors:?}");
    }

    #[test]
    fn csv_old_xls_and_other_encodings() {
        assert_eq!(read_sheet("甲,乙\n1,2\n".as_bytes()).unwrap().rows[0].cells, Ok(vec!["1".into(), "2".into()]));
        assert!(read_sheet(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err()[0].message.contains(".xls"));
        assert!(read_sheet(&[0xB6, 0xA8, 0x0A]).unwrap_err()[0].message.contains("UTF-8"));
        assert!(read_sheet(b"PK\x03\x04garbage").unwrap_err()[0].message.contains("不是有效的 .xlsx"));
    }
}
