//! Ledgers, checked by opening the .xlsx as a zip and reading the sheet,
//! shared strings and styles as Excel does.

use crate::common::{element, elements, part, Attrs};
use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;
use taizhang_docs::ledger::{write_workbook, write_xlsx, Cell, Column, ColumnKind, Ledger, DATE_FORMAT};
use taizhang_docs::{sample, DocsError};

/// A cell's attributes and the text of its `<v>`.
fn cell(sheet: &str, reference: &str) -> (Attrs, String) {
    let cells = elements(sheet, "c");
    let index = cells.iter().position(|c| c["r"] == reference).unwrap_or_else(|| panic!("no cell {reference}"));
    let mut reader = Reader::from_str(sheet);
    let (mut seen, mut in_v) = (0, false);
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"c" => seen += 1,
            Event::Start(e) if e.name().as_ref() == b"v" && seen == index + 1 => in_v = true,
            Event::Text(t) if in_v => return (cells[index].clone(), t.unescape().unwrap().into_owned()),
            Event::Eof => return (cells[index].clone(), String::new()),
            _ => {}
        }
    }
}

fn shared_strings(xlsx: &[u8]) -> Vec<String> {
    let xml = part(xlsx, "xl/sharedStrings.xml");
    let mut reader = Reader::from_str(&xml);
    let (mut strings, mut in_t) = (Vec::new(), false);
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) if e.name().as_ref() == b"t" => in_t = true,
            Event::Text(t) if in_t => strings.push(t.unescape().unwrap().into_owned()),
            Event::End(e) if e.name().as_ref() == b"t" => in_t = false,
            Event::Eof => return strings,
            _ => {}
        }
    }
}

/// The cell format (`xf`) a style index points to.
fn cell_format(styles: &str, index: &str) -> Attrs {
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap() + 10];
    elements(cell_xfs, "xf")[index.parse::<usize>().unwrap()].clone()
}

#[test]
fn header_is_bold_frozen_and_filtered() {
    let xlsx = write_xlsx(&sample::ledger(20)).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    let strings = shared_strings(&xlsx);
    let header: Vec<String> = ["A2", "B2", "C2", "D2", "E2", "F2", "G2", "H2"]
        .iter()
        .map(|r| strings[cell(&sheet, r).1.parse::<usize>().unwrap()].clone())
        .collect();
    assert_eq!(header, ["序号", "学习日期", "学习形式", "学习主题", "主持人", "参加人数", "是否开展研讨", "主要内容"]);
    assert_eq!(
        strings[cell(&sheet, "A1").1.parse::<usize>().unwrap()],
        "中共某县民政局党组2026年理论学习中心组学习台账"
    );
    assert_eq!(element(&sheet, "mergeCell")["ref"], "A1:H1");

    let pane = element(&sheet, "pane");
    assert_eq!((pane["ySplit"].as_str(), pane["topLeftCell"].as_str(), pane["state"].as_str()), ("2", "A3", "frozen"));
    assert_eq!(element(&sheet, "autoFilter")["ref"], "A2:H22");

    let styles = part(&xlsx, "xl/styles.xml");
    let header_format = cell_format(&styles, &cell(&sheet, "A2").0["s"]);
    let fonts = &styles[styles.find("<fonts").unwrap()..styles.find("</fonts>").unwrap()];
    let font_id: usize = header_format["fontId"].parse().unwrap();
    let header_font = fonts.split("<font>").nth(font_id + 1).unwrap();
    assert!(header_font.contains("<b/>"), "header font is not bold: {header_font}");
}

#[test]
fn dates_are_numbers_with_a_date_format() {
    let xlsx = write_xlsx(&sample::ledger(3)).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    let (attrs, value) = cell(&sheet, "B3");
    // No t="s": a number, the Excel serial of 2026-01-05.
    assert!(!attrs.contains_key("t"));
    assert_eq!(value, "46027");
    let styles = part(&xlsx, "xl/styles.xml");
    let format = cell_format(&styles, &attrs["s"]);
    let num_fmt =
        elements(&styles, "numFmt").into_iter().find(|f| f["numFmtId"] == format["numFmtId"]).expect("custom format");
    assert_eq!(num_fmt["formatCode"], DATE_FORMAT);
    // Counts are numbers too; booleans read 是/否.
    let (attrs, value) = cell(&sheet, "F3");
    assert!(!attrs.contains_key("t"));
    assert_eq!(value, "10");
    let strings = shared_strings(&xlsx);
    assert_eq!(strings[cell(&sheet, "G3").1.parse::<usize>().unwrap()], "否");
    assert_eq!(strings[cell(&sheet, "G4").1.parse::<usize>().unwrap()], "是");
}

#[test]
fn long_text_wraps_in_a_wide_column() {
    let xlsx = write_xlsx(&sample::ledger(1)).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    let cols = elements(&sheet, "col");
    let last = cols.iter().find(|c| c["max"] == "8").unwrap();
    assert!(last["width"].parse::<f64>().unwrap() >= 50.0);
    let styles = part(&xlsx, "xl/styles.xml");
    let (attrs, _) = cell(&sheet, "H3");
    let xf_index: usize = attrs["s"].parse().unwrap();
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = cell_xfs.split("<xf ").nth(xf_index + 1).unwrap();
    assert!(xf.contains(r#"wrapText="1""#));
}

#[test]
fn several_ledgers_become_sheets() {
    let mut second = sample::ledger(2);
    second.sheet_name = "风险/研判[台账]".into();
    let xlsx = write_workbook(&[sample::ledger(2), second]).unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    let names: Vec<String> = elements(&workbook, "sheet").iter().map(|s| s["name"].clone()).collect();
    assert_eq!(names, ["中心组学习", "风险_研判_台账_"]);
}

#[test]
fn cells_that_do_not_fit_their_column_are_errors() {
    let mut ledger = Ledger {
        title: "台账".into(),
        sheet_name: "台账".into(),
        columns: vec![Column::new("日期", ColumnKind::Date), Column::new("人数", ColumnKind::Int)],
        rows: vec![vec![Cell::Text("未开展".into()), Cell::Empty]],
    };
    // Text and blanks fit anywhere.
    assert!(write_xlsx(&ledger).is_ok());
    ledger.rows.push(vec![Cell::Int(3), Cell::Int(3)]);
    match write_xlsx(&ledger) {
        Err(DocsError::LedgerCell { row, column, .. }) => {
            assert_eq!((row, column.as_str()), (2, "日期"))
        }
        other => panic!("expected a cell error, got {other:?}"),
    }
    ledger.rows = vec![vec![Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())]];
    let err = write_xlsx(&ledger).unwrap_err();
    assert!(err.to_string().contains("第1行"), "{err}");
}

#[test]
fn empty_ledger_is_still_a_valid_workbook() {
    let ledger = Ledger { title: "空台账".into(), sheet_name: String::new(), columns: vec![], rows: vec![] };
    let xlsx = write_xlsx(&ledger).unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert_eq!(element(&workbook, "sheet")["name"], "台账");
    assert!(write_workbook(&[]).is_ok());
}

#[test]
fn the_same_ledger_always_gives_the_same_bytes() {
    // The bundle manifest hashes ledgers; a clock in the file would make two
    // exports of the same data differ from one second to the next.
    let core = part(&write_xlsx(&sample::ledger(2)).unwrap(), "docProps/core.xml");
    assert!(core.contains("2000-01-01T00:00:00Z"), "{core}");
    assert_eq!(write_xlsx(&sample::ledger(2)).unwrap(), write_xlsx(&sample::ledger(2)).unwrap());
}

#[test]
fn points_are_numbers_with_two_decimals() {
    let ledger = Ledger {
        title: "考核评分表".into(),
        sheet_name: "考核".into(),
        columns: vec![Column::new("事项", ColumnKind::Text), Column::new("得分", ColumnKind::Decimal)],
        rows: vec![vec![Cell::Text("专题报告".into()), Cell::Number(7.5)]],
    };
    let xlsx = write_xlsx(&ledger).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    let (attrs, value) = cell(&sheet, "B3");
    assert!(!attrs.contains_key("t"), "a number, not text");
    assert_eq!(value, "7.5");
    let styles = part(&xlsx, "xl/styles.xml");
    let format = cell_format(&styles, &attrs["s"]);
    // "0.00" is Excel's built-in format 2.
    let custom = elements(&styles, "numFmt").into_iter().find(|f| f["numFmtId"] == format["numFmtId"]);
    assert!(format["numFmtId"] == "2" || custom.is_some_and(|f| f["formatCode"] == "0.00"), "{format:?}");
    let mut wrong = ledger.clone();
    wrong.rows[0][1] = Cell::Number(f64::NAN);
    assert!(write_xlsx(&wrong).is_err(), "not a number is refused");
}
