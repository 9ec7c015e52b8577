//! Excel import through the real router: each register page links its
//! .xlsx template, the template as downloaded (its example row names the
//! unit's own people and departments) imports as it is, a workbook with a
//! bad date on row 12 is refused naming 第12行 with nothing written, and
//! a workbook passed off under a .csv name is still read as .xlsx.

use crate::common::*;
use axum::http::{header, StatusCode};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const MZ: &str = "县民政局党组";
const PAGES: [&str; 4] = ["risks", "feedback", "rectifications", "news"];

#[tokio::test]
async fn every_register_page_offers_its_template_and_a_downloaded_template_imports() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    for register in PAGES {
        let page = app.get(&format!("/units/{mz}/{register}"), Some(&b.cookie)).await.body;
        let link = format!("/units/{mz}/{register}/template.xlsx");
        assert!(page.contains(&link) && page.contains("accept=\".xlsx,"), "{register}: {page}");
        let headers = app.get_with_headers(&link, Some(&b.cookie)).await;
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains(&format!("{register}-template.xlsx")), "{disposition}");
        let template = app.get(&link, Some(&b.cookie)).await;
        assert_eq!(template.status, StatusCode::OK, "{register}");
        assert!(template.bytes.starts_with(b"PK\x03\x04"), "{register}: an .xlsx");

        let before = app.count("SELECT COUNT(*) FROM audit").await;
        let name = format!("{register}.xlsx");
        let res =
            app.upload(&format!("/units/{mz}/{register}/import"), &b, &[], ("file", &name, &template.bytes)).await;
        // 303 to the register, or (整改) the list page again with its flash.
        assert!([StatusCode::SEE_OTHER, StatusCode::OK].contains(&res.status), "{register}: {}", res.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before + 1, "{register}: the example row");
    }
}

/// A risk workbook: rows 2..=13, dates as Excel date cells on even rows
/// and as text on odd ones; row 12's is 2026-02-30 when `bad`.
fn risks_xlsx(bad: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["风险领域", "风险点", "风险等级", "防范化解措施", "责任人", "登记日期"].iter().enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for row in 1..13u32 {
        let line = row + 1;
        for (c, v) in ["社会救助", &format!("导入风险{line}"), "中", "限时办结", "刘晓雯"].iter().enumerate()
        {
            ws.write(row, c as u16, *v).unwrap();
        }
        match line {
            12 if bad => ws.write(row, 5, "2026-02-30").unwrap(),
            l if l % 2 == 0 => {
                ws.write_with_format(row, 5, ExcelDateTime::from_ymd(2026, 11, 2).unwrap(), &date).unwrap()
            }
            _ => ws.write(row, 5, "2026年11月3日").unwrap(),
        };
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_bad_date_on_row_12_is_refused_by_its_row_and_nothing_is_written() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let path = format!("/units/{mz}/risks/import");
    let before = app.count("SELECT COUNT(*) FROM risks").await;
    let res = app.upload(&path, &b, &[], ("file", "风险.xlsx", &risks_xlsx(true))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("第12行：登记日期“2026-02-30”无法识别"), "{}", res.body);
    assert_eq!(res.body.matches("<li>第").count(), 1, "only row 12: {}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM risks").await, before, "nothing written");

    // Named .csv, it is still an .xlsx: told by its content.
    let res = app.upload(&path, &b, &[], ("file", "风险.csv", &risks_xlsx(false))).await;
    assert_eq!(res.location.as_deref(), Some(format!("/units/{mz}/risks?imported=12").as_str()), "{}", res.body);
    let dates = app
        .count(
            "SELECT COUNT(*) FROM risks WHERE title LIKE '导入风险%' AND identified_on IN ('2026-11-02', '2026-11-03')",
        )
        .await;
    assert_eq!(dates, 12, "Excel dates and text dates alike");
}

#[tokio::test]
async fn an_old_xls_or_a_zip_bomb_is_refused_with_a_reason() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let path = format!("/units/{mz}/news/import");
    let res = app.upload(&path, &b, &[], ("file", "信息.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1])).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("不支持旧版 .xls 文件"), "{}", res.body);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..40 {
        std::io::Write::write_all(&mut zip, &spaces).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    let res = app.upload(&path, &b, &[], ("file", "信息.xlsx", &bomb)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("文件解压后超过32MB"), "{}", res.body);
}
