//! `taizhang report`, `ledger`, `bundle` and `verify-bundle` as scripts call
//! them, on the demo database, with the demo's fixed "today".
//!
//! The composer's content is tested in depth in crates/docs/tests
//! (demo_reports.rs); here: flags, exit codes, files, and that the real
//! binary's 自查报告 names the demo's seeded gaps.

use crate::common::{demo_db, taizhang, text};
use std::path::Path;
use taizhang_store::testing::fresh_sqlite;

const TODAY: &str = "2026-11-23";

/// The document text, one paragraph per line, without the spaces that
/// stand for line breaks (the title's) and layout.
fn docx_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    taizhang_proof::docx::extract_text(&bytes).unwrap().replace(' ', "")
}

#[tokio::test]
async fn self_inspection_report_of_the_demo_names_its_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let out = dir.path().join("自查报告.docx");
    let res = taizhang(&[
        "report",
        "--db",
        &db,
        "--unit",
        "县民政局党组",
        "--period",
        "2026H1",
        "--kind",
        "self-inspection",
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    assert!(text(&res.stdout).contains("已生成自查报告"), "{}", text(&res.stdout));
    let doc = docx_text(&out);
    for expected in [
        "中共县民政局党组关于2026年上半年",
        "落实意识形态工作责任制情况的自查报告",
        "县委宣传部：",
        "现将有关情况报告如下：",
        "一、工作落实情况",
        "二、自查发现的问题",
        "三、整改措施",
        // The seeded gaps of 县民政局党组 in the first half of 2026.
        "风险隐患台账期末已194天未复核（最后一次为2025年12月18日）",
        "2026年上半年意识形态工作专题报告逾期12天报送",
        "缺少研讨记录",
        "县民政局机关第一党支部2026年4月未召开支部委员会会议",
        "【请填写：原因分析】",
        "特此报告。",
        "2026年11月23日",
    ] {
        assert!(doc.contains(expected), "{expected} missing from:\n{doc}");
    }
    // Outside the half-year: the August 支委会 and the WeChat account.
    assert!(!doc.contains("2026年8月未召开"), "{doc}");
    assert!(!doc.contains("微信公众号自"), "{doc}");

    // The same command by unit id, and the annual report.
    let org = fresh_sqlite(dir.path()).await.unwrap();
    let id = org.units().await.unwrap().into_iter().find(|u| u.name == "县民政局党组").unwrap().id;
    org.close().await;
    let year = dir.path().join("年度报告.docx");
    let res = taizhang(&[
        "report",
        "--db",
        &db,
        "--unit",
        &id.to_string(),
        "--period",
        "2026",
        "--today",
        TODAY,
        "--out",
        year.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    let doc = docx_text(&year);
    for expected in [
        "关于2026年落实意识形态工作责任制情况的报告",
        "县民政局机关第一党支部2026年8月未召开支部委员会会议",
        "县民政局微信公众号自2026年10月30日以来24天未更新",
        // The feedback register is a duty: the overdue entry, its owner, a measure.
        "舆情与诉求限时处置。“网民发帖反映低保审批办理时间过长”2026年11月20日发现，超过48小时未回应",
        "（责任人：李红梅）",
        "对逾期的舆情与诉求逐件督促责任人核实、处置并回应",
        // 三审三校 facts from the drafts published in the year.
        "三审三校。2026年，各宣传阵地发布稿件1篇，均经初审一校、复审二校、终审三校后发布。",
    ] {
        assert!(doc.contains(expected), "{expected} missing from:\n{doc}");
    }
}

#[tokio::test]
async fn bad_input_exits_2_with_a_chinese_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let out = dir.path().join("x.docx");
    let out = out.to_str().unwrap();
    for (args, message) in [
        (vec!["--unit", "县林业局党组", "--period", "2026H1"], "没有名称或编号为“县林业局党组”的单位"),
        (vec!["--unit", "县民政局机关第一党支部", "--period", "2026H1"], "报告和台账按党组（党委）生成"),
        (vec!["--unit", "县民政局党组", "--period", "2026H3"], "无法识别的期间"),
        (vec!["--unit", "县民政局党组", "--period", "2026H1", "--kind", "memo"], "报告类型“memo”无法识别"),
    ] {
        let mut all = vec!["report", "--db", &db, "--out", out, "--today", TODAY];
        all.extend(args);
        let res = taizhang(&all);
        assert_eq!(res.status.code(), Some(2), "{all:?}: {}", text(&res.stderr));
        assert!(text(&res.stderr).contains(message), "{all:?}: {}", text(&res.stderr));
    }
}

#[tokio::test]
async fn ledgers_and_a_bundle_that_verifies_until_a_byte_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let ledger = dir.path().join("台账.xlsx");
    let res = taizhang(&[
        "ledger",
        "--db",
        &db,
        "--unit",
        "县民政局党组",
        "--period",
        "2026H1",
        "--today",
        TODAY,
        "--out",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    let bytes = std::fs::read(&ledger).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let study = dir.path().join("study.xlsx");
    let res = taizhang(&[
        "ledger",
        "--db",
        &db,
        "--unit",
        "县民政局党组",
        "--period",
        "2026H1",
        "--kind",
        "study",
        "--out",
        study.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    assert!(std::fs::metadata(&study).unwrap().len() < bytes.len() as u64, "one sheet is smaller than all of them");

    let zip = dir.path().join("bundle.zip");
    let res = taizhang(&[
        "bundle",
        "--db",
        &db,
        "--unit",
        "县民政局党组",
        "--period",
        "2026H1",
        "--today",
        TODAY,
        "--out",
        zip.to_str().unwrap(),
    ]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    assert!(text(&res.stdout).contains("审计链链头"));
    let ok = taizhang(&["verify-bundle", zip.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("校验通过"), "{}", text(&ok.stdout));

    // Change one byte inside the 自查报告's compressed data.
    let mut bytes = std::fs::read(&zip).unwrap();
    let name = "县民政局党组2026年上半年自查报告.docx";
    let (start, len) = entry_data(&bytes, name).expect("report in the bundle");
    bytes[start + len / 2] ^= 0x55;
    let tampered = dir.path().join("tampered.zip");
    std::fs::write(&tampered, &bytes).unwrap();
    let bad = taizhang(&["verify-bundle", tampered.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains(&format!("文件 {name} 已被修改")), "{}", text(&bad.stderr));

    let junk = dir.path().join("junk.zip");
    std::fs::write(&junk, "not a zip").unwrap();
    assert_eq!(taizhang(&["verify-bundle", junk.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(taizhang(&["verify-bundle", dir.path().join("missing.zip").to_str().unwrap()]).status.code(), Some(2));
}

/// Offset and length of an entry's stored data, from its local header.
fn entry_data(zip: &[u8], name: &str) -> Option<(usize, usize)> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let mut i = 0;
    while i + 30 <= zip.len() && zip[i..i + 4] == *b"PK\x03\x04" {
        let size = u32_at(i + 18);
        let (name_len, extra_len) = (u16_at(i + 26), u16_at(i + 28));
        let entry = &zip[i + 30..i + 30 + name_len];
        let data = i + 30 + name_len + extra_len;
        if entry == name.as_bytes() {
            return Some((data, size));
        }
        i = data + size;
    }
    None
}
