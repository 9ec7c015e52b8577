//! An import template as an .xlsx workbook: the sheet to fill in (header
//! row, drop-down lists for the columns that take a fixed set of values,
//! one example row, dates formatted as dates), a 说明 sheet explaining
//! each column, and a hidden sheet holding the lists.

use crate::DocsError;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet,
};
use taizhang_core::template::{CellType, Template, TemplateColumn};

/// The rows the drop-down lists and date formats cover.
const FILLED_ROWS: u32 = 2_000;
const FONT: &str = "宋体";
const LISTS_SHEET: &str = "选项";

/// The file name of a template, e.g. `风险隐患台账导入模板.xlsx`.
pub fn file_name(template: &Template) -> String {
    format!("{}导入模板.xlsx", template.kind.label())
}

/// The template as an .xlsx workbook. The same template always gives the
/// same bytes (the creation time is fixed, as for the ledgers).
pub fn write_template(template: &Template) -> Result<Vec<u8>, DocsError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    let base = Format::new().set_font_name(FONT).set_font_size(11);
    let header = base.clone().set_bold().set_border(FormatBorder::Thin).set_background_color(0xDDEBF7);
    let required = header.clone().set_font_color(0xC00000);
    let date = base.clone().set_num_format("yyyy-mm-dd");
    let time = base.clone().set_num_format("yyyy-mm-dd hh:mm");
    let wrap = base.clone().set_text_wrap().set_align(FormatAlign::Top);

    let sheet = workbook.add_worksheet();
    sheet.set_name("填写")?;
    for (c, column) in template.columns.iter().enumerate() {
        let c = c as u16;
        let width = (column.header.chars().count() as f64 * 2.2 + 4.0).clamp(10.0, 40.0);
        sheet.set_column_width(c, width)?;
        let head = if column.required { &required } else { &header };
        sheet.write_string_with_format(0, c, &column.header, head)?;
        match column.cell {
            CellType::Date => {
                sheet.set_column_format(c, &date)?;
                write_example_time(sheet, c, &column.example, &date)?;
            }
            CellType::DateTime => {
                sheet.set_column_format(c, &time)?;
                write_example_time(sheet, c, &column.example, &time)?;
            }
            CellType::Text if !column.example.is_empty() => {
                sheet.write_string_with_format(1, c, &column.example, &base)?;
            }
            CellType::Text => {}
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_active(true);

    let lists: Vec<&TemplateColumn> = template.columns.iter().filter(|c| !c.choices.is_empty()).collect();
    let mut list: usize = 0;
    for (c, column) in template.columns.iter().enumerate() {
        let mut validation = if column.choices.is_empty() {
            DataValidation::new().allow_any_value()
        } else {
            let range = format!(
                "='{LISTS_SHEET}'!${col}$1:${col}${n}",
                col = crate::import_file::column_name(list),
                n = column.choices.len()
            );
            list += 1;
            let v = DataValidation::new().allow_list_formula(Formula::new(range)).ignore_blank(true);
            if column.strict {
                v.set_error_title("填写有误")?.set_error_message("请从下拉列表中选择")?
            } else {
                v.set_error_style(DataValidationErrorStyle::Warning)
                    .set_error_title("不在列表中")?
                    .set_error_message("该值不在本单位名单中，导入时会核对")?
            }
        };
        if !column.help.is_empty() {
            validation = validation
                .set_input_title(truncate(&column.header, 32))?
                .set_input_message(truncate(&column.help, 255))?;
        }
        if !column.choices.is_empty() || !column.help.is_empty() {
            sheet.add_data_validation(1, c as u16, FILLED_ROWS, c as u16, &validation)?;
        }
    }

    let help = workbook.add_worksheet();
    help.set_name("说明")?;
    write_help(help, template, &header, &wrap)?;

    let hidden = workbook.add_worksheet();
    hidden.set_name(LISTS_SHEET)?;
    for (list, column) in lists.iter().enumerate() {
        for (r, choice) in column.choices.iter().enumerate() {
            hidden.write_string(r as u32, list as u16, choice)?;
        }
    }
    hidden.set_hidden(true);
    Ok(workbook.save_to_buffer()?)
}

fn write_example_time(sheet: &mut Worksheet, c: u16, example: &str, format: &Format) -> Result<(), DocsError> {
    if !example.is_empty() {
        sheet.write_datetime_with_format(1, c, ExcelDateTime::parse_from_str(example)?, format)?;
    }
    Ok(())
}

fn write_help(sheet: &mut Worksheet, template: &Template, header: &Format, wrap: &Format) -> Result<(), DocsError> {
    let title = Format::new().set_font_name(FONT).set_font_size(14).set_bold();
    sheet.write_string_with_format(0, 0, format!("{}导入模板说明", template.kind.label()), &title)?;
    let notes = [
        "在“填写”工作表中从第2行起每行填写一条；第2行是示例，导入前请改为实际内容或删除。",
        "表头（第1行）不要修改；红色表头为必填列。带下拉列表的列请从列表中选择。",
        "日期可填日期格式的单元格，也可填文本，如 2026-03-05、2026/3/5、2026年3月5日。",
        "整个文件先校验，有错时列出每处问题（第N行，表头为第1行），一条也不导入；改正后重新导入即可。",
        "也可另存为“CSV UTF-8”后导入，列相同。",
    ];
    for (i, note) in notes.iter().enumerate() {
        sheet.write_string_with_format(1 + i as u32, 0, *note, &Format::new().set_font_name(FONT))?;
    }
    let top = 2 + notes.len() as u32;
    for (c, h) in ["列名", "是否必填", "说明", "可选值"].iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, *h, header)?;
    }
    for (i, column) in template.columns.iter().enumerate() {
        let r = top + 1 + i as u32;
        sheet.write_string_with_format(r, 0, &column.header, wrap)?;
        sheet.write_string_with_format(r, 1, if column.required { "必填" } else { "选填" }, wrap)?;
        sheet.write_string_with_format(r, 2, &column.help, wrap)?;
        let choices = if column.strict { column.choices.join("、") } else { String::new() };
        sheet.write_string_with_format(r, 3, &choices, wrap)?;
    }
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 10)?;
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 40)?;
    Ok(())
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import_file::read_sheet;
    use chrono::NaiveDate;
    use taizhang_core::template::{template, ImportKind, Names};

    fn names() -> Names {
        Names::placeholders(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
    }

    #[test]
    fn a_template_reads_back_as_its_header_and_example_row() {
        for kind in ImportKind::all() {
            let t = template(kind, &names());
            let sheet = read_sheet(&write_template(&t).unwrap()).unwrap();
            let headers: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
            assert_eq!(sheet.header, headers, "{kind:?}");
            assert_eq!(sheet.rows.len(), 1, "{kind:?}");
            let examples: Vec<String> = t.columns.iter().map(|c| c.example.clone()).collect();
            assert_eq!(sheet.rows[0].cells, Ok(examples), "{kind:?}");
            assert_eq!(sheet.rows[0].line, 2);
        }
    }

    #[test]
    fn the_workbook_has_its_lists_help_and_dates() {
        let t = template(ImportKind::Risks, &names());
        let bytes = write_template(&t).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        let mut part = |name: &str| {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
            xml
        };
        let sheet1 = part("xl/worksheets/sheet1.xml");
        assert!(sheet1.contains("<dataValidation type=\"list\""), "the level and status lists");
        assert!(sheet1.contains("'选项'!$A$1:$A$3"), "{sheet1}");
        assert!(part("xl/sharedStrings.xml").contains("填写本单位人员姓名") || sheet1.contains("填本单位人员姓名"));
        assert!(part("xl/workbook.xml").contains("name=\"说明\""));
        assert_eq!(file_name(&t), "风险隐患台账导入模板.xlsx");
        assert_eq!(bytes, write_template(&t).unwrap(), "the same template, the same bytes");
    }
}
