//! The composer, the ledgers and the bundle on the demo data, loaded from a
//! real SQLite store the way the CLI and the web server load it, and
//! evaluated on the demo's fixed day (2026-11-23).
//!
//! The central check: the demo's 2026H1 自查报告 names every seeded gap of
//! 县民政局党组 that falls in the half-year, and states no number or date
//! that is not in the records or the evaluation.

use crate::common::{element, elements, paragraphs, part, part_names, style_xml, Para};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use taizhang_core::engine::Status;
use taizhang_core::period::Period;
use taizhang_core::record::{BranchMeetingType, Record, RecordData, RecordKind};
use taizhang_docs::bundle::verify_bundle;
use taizhang_docs::compose::{compose, problems, report_docx, ReportKind, CAUSES_PROMPT};
use taizhang_docs::inspection::{bundle_files, inspection_bundle, report_file_name};
use taizhang_docs::record_ledgers::{ledger_workbook, source_ledgers};
use taizhang_docs::source::{AuditHead, Source};
use taizhang_docs::{BundleProblem, DocsError};
use taizhang_store::testing::fresh_sqlite;

const MZ: &str = "县民政局党组";

/// One demo database per test binary, seeded once.
fn demo_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("demo-reports-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let seeded = dir.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let store = fresh_sqlite(&seeded).await.unwrap();
                taizhang_demo::seed(&store).await.unwrap();
                store.close().await;
            })
        })
        .join()
        .unwrap();
        dir
    })
}

/// The source as the CLI and the web load it, and every record of the
/// unit's subtree in the period, read separately to count against.
async fn demo(unit: &str, period: &str) -> (Source, Vec<Record>) {
    let store = fresh_sqlite(demo_dir()).await.unwrap();
    let org = store.org().await.unwrap();
    let id = org.units.iter().find(|u| u.name == unit).unwrap().id;
    let period = Period::parse(period).unwrap();
    let inputs = store.evaluation_inputs(&[id], period).await.unwrap();
    let head = store.audit_head().await.unwrap();
    let g = &inputs.groups[0];
    let source = Source::assemble(
        &inputs.org.units,
        &g.items,
        &g.context(),
        period,
        taizhang_demo::demo_today(),
        AuditHead { head: head.head, entries: head.entries },
    );
    let ids: Vec<i64> = org.tree().subtree(id).iter().map(|u| u.id).collect();
    let records = store.records(&ids, None, period.first_day(), period.last_day()).await.unwrap();
    store.close().await;
    (source, records)
}

fn body(docx: &[u8]) -> Vec<Para> {
    paragraphs(&part(docx, "word/document.xml"))
}

/// The paragraphs between one level-one heading and the next.
fn part_of<'a>(paras: &'a [Para], ordinal: &str) -> &'a [Para] {
    let start = paras
        .iter()
        .position(|p| p.style == "Heading1" && p.text.starts_with(ordinal))
        .unwrap_or_else(|| panic!("no part {ordinal}"));
    let end = paras[start + 1..].iter().position(|p| p.style == "Heading1").map_or(paras.len(), |e| start + 1 + e);
    &paras[start..end]
}

fn joined(paras: &[Para]) -> String {
    paras.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

fn count(records: &[Record], kind: RecordKind) -> usize {
    records.iter().filter(|r| r.kind() == kind).count()
}

/// Every date written in the text: "2026年7月2日", and "7月2日" (of `year`).
fn dates_in(text: &str, year: i32) -> Vec<NaiveDate> {
    let chars: Vec<char> = text.chars().collect();
    let number = |i: &mut usize| {
        let start = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        chars[start..*i].iter().collect::<String>().parse::<i32>().ok()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i;
        let Some(first) = number(&mut j) else {
            i += 1;
            continue;
        };
        let (y, m, d) = if chars.get(j) == Some(&'年') {
            j += 1;
            let mut k = j;
            match (number(&mut k), chars.get(k)) {
                (Some(m), Some('月')) => {
                    let mut l = k + 1;
                    match (number(&mut l), chars.get(l)) {
                        (Some(d), Some('日')) => (first, m, d),
                        _ => {
                            i = j;
                            continue;
                        }
                    }
                }
                _ => {
                    i = j;
                    continue;
                }
            }
        } else if chars.get(j) == Some(&'月') && (i == 0 || chars[i - 1] != '年') {
            let mut k = j + 1;
            match (number(&mut k), chars.get(k)) {
                (Some(d), Some('日')) => (year, first, d),
                _ => {
                    i = j;
                    continue;
                }
            }
        } else {
            i = j;
            continue;
        };
        out.push(
            NaiveDate::from_ymd_opt(y, m as u32, d as u32).unwrap_or_else(|| panic!("bad date {y}-{m}-{d} in {text}")),
        );
        i = j;
    }
    out
}

/// Every date a record of the unit holds (when it happened, and the dates
/// in its fields), whatever the period.
async fn record_dates(unit: &str) -> BTreeSet<NaiveDate> {
    let store = fresh_sqlite(demo_dir()).await.unwrap();
    let org = store.org().await.unwrap();
    let id = org.units.iter().find(|u| u.name == unit).unwrap().id;
    let ids: Vec<i64> = org.tree().subtree(id).iter().map(|u| u.id).collect();
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let records = store.records(&ids, None, from, to).await.unwrap();
    store.close().await;
    let mut dates = BTreeSet::new();
    for r in &records {
        dates.insert(r.occurred_on);
        let json = serde_json::to_value(&r.data).unwrap();
        for v in json.as_object().unwrap().values() {
            if let Some(d) = v.as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()) {
                dates.insert(d);
            }
        }
    }
    dates
}

#[tokio::test]
async fn self_inspection_2026h1_names_every_seeded_gap_and_nothing_else() {
    let (source, records) = demo(MZ, "2026H1").await;
    let docx = report_docx(&source, ReportKind::SelfInspection).unwrap();
    let paras = body(&docx);
    let title: String = paras.iter().filter(|p| p.style == "Title").map(|p| p.text.replace('\n', "")).collect();
    assert_eq!(title, "中共县民政局党组关于2026年上半年落实意识形态工作责任制情况的自查报告");
    let addressee = paras.iter().find(|p| p.style == "Addressee").unwrap();
    assert_eq!(addressee.text, "县委宣传部：");
    let opening = paras.iter().find(|p| p.style == "BodyText").unwrap();
    assert!(opening.text.ends_with("现将有关情况报告如下："), "{}", opening.text);
    let headings: Vec<&str> = paras.iter().filter(|p| p.style == "Heading1").map(|p| p.text.as_str()).collect();
    assert_eq!(headings, ["一、工作落实情况", "二、自查发现的问题", "三、整改措施"]);

    // The seeded gaps of 县民政局党组 that fall in the first half of 2026,
    // as the engine words them.
    let two = joined(part_of(&paras, "二、"));
    for gap in [
        "风险隐患台账期末已194天未复核（最后一次为2025年12月18日）",
        "2026年上半年意识形态工作专题报告逾期12天报送（应于6月20日前报送，实际2026年7月2日报送）",
        "缺少研讨记录",
        "县民政局机关第一党支部2026年4月未召开支部委员会会议",
    ] {
        assert!(two.contains(gap), "{gap} missing from part 二:\n{two}");
    }
    // Outside the half-year: the August 支委会 and the WeChat account
    // (stale only after 30 October).
    assert!(!two.contains("8月未召开"), "{two}");
    assert!(!two.contains("微信公众号"), "{two}");
    let mut gap_items: Vec<&str> = problems(&source).iter().map(|p| p.duty.item_id.as_str()).collect();
    gap_items.dedup();
    let seeded: Vec<&str> =
        taizhang_demo::SEEDED_GAPS.iter().filter(|(u, ..)| *u == MZ).map(|(_, item, _)| *item).collect();
    for item in &gap_items {
        assert!(seeded.contains(item), "{item} is a problem in 2026H1 but not a seeded gap");
    }
    for item in ["risk-ledger", "half-year-report", "study-sessions", "branch-committee"] {
        assert!(gap_items.contains(&item), "{item} not reported for 2026H1: {gap_items:?}");
    }

    // Part 二 is exactly the engine's problems, numbered, then the causes
    // left to a person.
    let points: Vec<&str> = part_of(&paras, "二、")
        .iter()
        .filter(|p| p.style == "BodyText" && p.text.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|p| p.text.as_str())
        .collect();
    let expected: Vec<String> = problems(&source)
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}.{}。{}。", i + 1, p.duty.title, p.finding.text))
        .collect();
    assert_eq!(points, expected);
    assert!(two.contains(&format!("【请填写：{CAUSES_PROMPT}】")));
    let study_gap = problems(&source).into_iter().find(|p| p.duty.item_id == "study-sessions").unwrap();
    let lacking: Vec<&Record> =
        records.iter().filter(|r| matches!(&r.data, RecordData::Study(s) if s.discussion.trim().is_empty())).collect();
    assert!(study_gap.finding.text.contains(&format!("{}次缺少研讨记录", lacking.len())), "{}", study_gap.finding.text);

    // Part 一: the counts are those of the records.
    let one = joined(part_of(&paras, "一、"));
    let studies = count(&records, RecordKind::Study);
    let ideology = records.iter().filter(|r| matches!(&r.data, RecordData::Study(s) if s.on_ideology)).count();
    let discussed = studies - lacking.len();
    assert!(one.contains(&format!("开展集体学习{studies}次")), "{one}");
    assert!(one.contains(&format!("意识形态专题学习{ideology}次")), "{one}");
    assert!(one.contains(&format!("{discussed}次学习留有研讨记录")), "{one}");
    let meetings = count(&records, RecordKind::PartyGroupMeeting);
    assert!(one.contains(&format!("召开党组会议{meetings}次")), "{one}");
    assert!(one.contains("每次均以“第一议题”为首项议题"), "{one}");
    let analyses = count(&records, RecordKind::Analysis);
    assert!(one.contains(&format!("分析研判{analyses}次")), "{one}");
    assert_eq!(count(&records, RecordKind::RiskReview), 0);
    assert!(one.contains("本期未复核风险隐患台账"), "{one}");
    assert!(one.contains("《") && one.contains("2026年7月2日报送"), "{one}");
    for branch in &source.branches {
        let n = |t: BranchMeetingType| {
            records
                .iter()
                .filter(|r| {
                    r.unit_id == branch.id && matches!(&r.data, RecordData::BranchMeeting(m) if m.meeting_type == t)
                })
                .count()
        };
        let text = one.lines().find(|l| l.contains(&branch.name)).unwrap_or_else(|| panic!("{} missing", branch.name));
        assert!(text.contains(&format!("支委会{}次", n(BranchMeetingType::Committee))), "{text}");
        assert!(text.contains(&format!("党小组会{}次", n(BranchMeetingType::Group))), "{text}");
        assert!(text.contains(&format!("主题党日{}次", n(BranchMeetingType::ThemeDay))), "{text}");
    }
    assert_eq!(
        records
            .iter()
            .filter(|r| r.unit_id == source.branches[0].id
                && matches!(&r.data, RecordData::BranchMeeting(m) if m.meeting_type == BranchMeetingType::Committee))
            .count(),
        5,
        "支委会 in January–June except April"
    );
    for channel in &source.channels {
        if channel.kind == "event" {
            // Both events of the half year were reviewed and filed beforehand.
            assert!(one.contains(&format!("{}举办活动2场，均事先审核报备", channel.name)), "{one}");
            continue;
        }
        let updates: Vec<&Record> = records
            .iter()
            .filter(|r| matches!(&r.data, RecordData::ChannelUpdate(u) if u.channel_id == channel.id))
            .collect();
        assert!(one.contains(&format!("{}更新{}次", channel.name, updates.len())), "{one}");
    }

    // Every date in parts 一 and 二 is a date of a record, or a due date or
    // the day the engine evaluated on.
    let mut allowed = record_dates(MZ).await;
    allowed.insert(source.today);
    for d in &source.evaluation.duties {
        allowed.extend(d.findings.iter().filter_map(|f| f.due));
    }
    let text = format!("{one}\n{two}");
    let found = dates_in(&text, 2026);
    assert!(found.len() > 10, "{found:?}");
    for date in found {
        assert!(allowed.contains(&date), "{date} in the report is not in the records:\n{text}");
    }

    // Part 三: one measure per duty and subject, naming who and by when.
    let three = joined(part_of(&paras, "三、"));
    for (who, what) in [
        ("分管领导（办公室）李红梅", "风险隐患台账"),
        ("分管领导（办公室）李红梅", "意识形态工作专题报告"),
        ("第一责任人王建国", "中心组集体学习"),
        ("支部书记郑国华", "支部委员会会议"),
    ] {
        let line = three
            .lines()
            .find(|l| l.contains(what) && l.contains("责任人："))
            .unwrap_or_else(|| panic!("no measure for {what}:\n{three}"));
        assert!(line.contains(&format!("责任人：{who}")), "{line}");
        assert!(line.contains("完成时限：2026年12月23日前。"), "{line}");
    }
    let measures = part_of(&paras, "三、").iter().filter(|p| p.text.contains("责任人：")).count();
    assert_eq!(measures, 4);

    // Closing, 署名 and date.
    let tail: Vec<&str> = paras.iter().rev().take(6).map(|p| p.text.trim()).collect();
    assert!(tail.contains(&"中共县民政局党组"), "{tail:?}");
    assert!(tail.contains(&"2026年11月23日"), "{tail:?}");
    assert!(paras.iter().any(|p| p.text == "特此报告。"));
}

#[tokio::test]
async fn annual_report_2026_names_the_rest_of_the_year() {
    let (source, records) = demo(MZ, "2026").await;
    let docx = report_docx(&source, ReportKind::Report).unwrap();
    let paras = body(&docx);
    let title: String = paras.iter().filter(|p| p.style == "Title").map(|p| p.text.replace('\n', "")).collect();
    assert_eq!(title, "中共县民政局党组关于2026年落实意识形态工作责任制情况的报告");
    let headings: Vec<&str> = paras.iter().filter(|p| p.style == "Heading1").map(|p| p.text.as_str()).collect();
    assert_eq!(headings, ["一、工作开展情况", "二、存在的问题", "三、下一步工作措施"]);
    let two = joined(part_of(&paras, "二、"));
    for gap in [
        "风险隐患台账自2025年12月18日至2026年7月10日间隔204天未复核，超过92天的要求",
        "2026年上半年意识形态工作专题报告逾期12天报送",
        "县民政局机关第一党支部2026年4月未召开支部委员会会议",
        "县民政局机关第一党支部2026年8月未召开支部委员会会议",
        "县民政局微信公众号自2026年10月30日以来24天未更新，超过14天的要求",
        "缺少研讨记录",
    ] {
        assert!(two.contains(gap), "{gap} missing from part 二:\n{two}");
    }
    // Every seeded gap of the unit is a problem of the year, and every
    // problem is stated.
    let found = problems(&source);
    for (unit, item, _) in taizhang_demo::SEEDED_GAPS {
        if *unit == MZ {
            assert!(found.iter().any(|p| p.duty.item_id == *item), "{item} not reported for 2026");
        }
    }
    for p in &found {
        assert!(two.contains(&p.finding.text), "{} missing", p.finding.text);
    }
    let one = joined(part_of(&paras, "一、"));
    assert!(one.contains(&format!("开展集体学习{}次", count(&records, RecordKind::Study))), "{one}");
    assert!(one.contains(&format!("复核风险隐患台账{}次", count(&records, RecordKind::RiskReview))), "{one}");
    assert!(one.contains("民主生活会"), "{one}");
    let three = joined(part_of(&paras, "三、"));
    assert!(three.contains("【请填写：下一步其他工作打算】"), "{three}");
    // The due-soon items keep the engine's earlier due date as deadline.
    for p in found.iter().filter(|p| p.finding.status == Status::DueSoon) {
        let due = taizhang_core::period::chinese_date(p.finding.due.unwrap());
        assert!(three.contains(&format!("完成时限：{due}前")), "{due}:\n{three}");
    }
}

#[tokio::test]
async fn composed_report_keeps_the_gbt9704_page() {
    let (source, _) = demo(MZ, "2026H1").await;
    let docx = report_docx(&source, ReportKind::SelfInspection).unwrap();
    let doc = part(&docx, "word/document.xml");
    let size = element(&doc, "w:pgSz");
    assert_eq!((size["w:w"].as_str(), size["w:h"].as_str()), ("11906", "16838"));
    let m = element(&doc, "w:pgMar");
    assert_eq!(
        (m["w:top"].as_str(), m["w:bottom"].as_str(), m["w:left"].as_str(), m["w:right"].as_str()),
        ("2098", "1984", "1587", "1474")
    );
    let grid = element(&doc, "w:docGrid");
    assert_eq!((grid["w:type"].as_str(), grid["w:linePitch"].as_str()), ("linesAndChars", "579"));
    let styles = part(&docx, "word/styles.xml");
    let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
    let fonts = element(defaults, "w:rFonts");
    assert_eq!((fonts["w:eastAsia"].as_str(), fonts["w:ascii"].as_str()), ("仿宋_GB2312", "Times New Roman"));
    for (id, font) in [("Heading1", "黑体"), ("Heading2", "楷体_GB2312"), ("Title", "方正小标宋简体")] {
        assert_eq!(element(style_xml(&styles, id), "w:rFonts")["w:eastAsia"], font, "{id}");
    }
    let names = part_names(&docx);
    let footers: Vec<&String> = names.iter().filter(|n| n.starts_with("word/footer")).collect();
    assert_eq!(footers.len(), 2);
    for f in footers {
        assert!(part(&docx, f).contains(" PAGE "), "{f} has no PAGE field");
    }
    let paras = body(&docx);
    assert!(
        paras.iter().any(|p| p.style == "Heading2" || p.run_styles.iter().any(|s| s == "Heading2Char")),
        "（一） sub-parts"
    );
    assert!(paras.iter().any(|p| p.highlighted), "placeholders are highlighted");
    // The file's properties (never printed) carry the audit-chain head the
    // figures were drawn from, for `taizhang verify --expect-head`.
    let core = part(&docx, "docProps/core.xml");
    assert!(source.audit.head.len() == 64 && core.contains(&source.audit.head), "{core}");
    assert!(!joined(&paras).contains(&source.audit.head), "not in the printed text");
    // The same data and day give the same bytes.
    assert_eq!(docx, report_docx(&source, ReportKind::SelfInspection).unwrap());
    assert_eq!(compose(&source, ReportKind::Report).sender, "中共县民政局党组");
}

#[tokio::test]
async fn ledgers_have_schema_headers_dates_and_the_evaluation_sheet() {
    let (source, records) = demo(MZ, "2026H1").await;
    let ledgers = source_ledgers(&source, None);
    let sheets: Vec<&str> = ledgers.iter().map(|l| l.sheet_name.as_str()).collect();
    assert_eq!(
        sheets,
        [
            "中心组学习台账",
            "党组会议台账",
            "三会一课台账",
            "民主生活会台账",
            "分析研判台账",
            "风险隐患台账复核记录",
            "报告报送台账",
            "宣传阵地更新台账",
            "宣传阵地检查台账",
            "活动审核报备台账",
            "责任落实情况"
        ]
    );
    for (ledger, kind) in ledgers.iter().zip(RecordKind::ALL) {
        assert_eq!(ledger.rows.len(), count(&records, kind), "{}", ledger.sheet_name);
        let headers: Vec<&str> = ledger.columns.iter().map(|c| c.header.as_str()).collect();
        for spec in taizhang_core::fields::fields(kind) {
            assert!(headers.contains(&spec.label), "{} lacks {}", ledger.sheet_name, spec.label);
        }
        assert_eq!(headers[0], "序号");
        assert!(headers.contains(&"录入日期"));
    }
    assert!(ledgers[1].columns.iter().any(|c| c.header == "第一议题为首项议题"));
    assert_eq!(ledgers[RecordKind::ALL.len()].rows.len(), source.evaluation.duties.len());
    assert_eq!(ledgers[0].title, "县民政局党组2026年上半年中心组学习台账");

    let xlsx = ledger_workbook(&source, None).unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert_eq!(elements(&workbook, "sheet").len(), RecordKind::ALL.len() + 1);
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    let pane = element(&sheet, "pane");
    assert_eq!((pane["ySplit"].as_str(), pane["state"].as_str()), ("2", "frozen"));
    // The date column (B) holds numbers (real dates), not text.
    let b3 = elements(&sheet, "c").into_iter().find(|c| c["r"] == "B3").unwrap();
    assert!(!b3.contains_key("t"), "B3 is a number: {b3:?}");
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    for header in ["学习主题", "研讨记录", "学习日期", "是否意识形态专题"] {
        assert!(strings.contains(header), "{header}");
    }
    let one = ledger_workbook(&source, Some(RecordKind::Study)).unwrap();
    assert_eq!(elements(&part(&one, "xl/workbook.xml"), "sheet").len(), 1);
}

#[tokio::test]
async fn the_year_bundle_carries_the_problems_found_and_their_owners() {
    let (source, _) = demo(MZ, "2026").await;
    let problems: Vec<&str> = source.rectifications.iter().map(|p| p.problem.as_str()).collect();
    assert!(problems.iter().any(|p| p.starts_with("门户网站部分稿件三审三校记录不完整")), "{problems:?}");
    assert!(source.rectifications.iter().all(|p| source.owner_name(p.owner) != "未指定"), "owners resolved");
    let files = bundle_files(&source).unwrap();
    let (_, xlsx) = files.iter().find(|(path, _)| path.ends_with("问题整改台账.xlsx")).expect("in the bundle");
    let strings = part(xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("门户网站部分稿件三审三校记录不完整") && strings.contains("已逾期"), "{strings}");
    let (first_half, _) = demo(MZ, "2026H1").await;
    assert!(first_half.rectifications.is_empty(), "nothing was found before July");
}

#[tokio::test]
async fn bundle_carries_the_report_ledgers_and_audit_head_and_detects_changes() {
    let (source, _) = demo(MZ, "2026H1").await;
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let zip = inspection_bundle(&source, at).unwrap();
    let report = verify_bundle(&zip).unwrap();
    assert_eq!(report.meta.audit_chain_head, source.audit.head);
    assert_eq!(report.meta.audit_entries, source.audit.entries);
    assert!(source.audit.entries > 100 && source.audit.head.len() == 64);
    let paths: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths[0], report_file_name(&source, ReportKind::SelfInspection));
    assert_eq!(paths.iter().filter(|p| p.starts_with("台账/")).count(), RecordKind::ALL.len() + 1);
    assert!(paths.iter().any(|p| p.ends_with("问题整改台账.xlsx")), "{paths:?}");
    assert!(paths.contains(&"责任落实情况.xlsx") && paths.contains(&"说明.txt"));
    // The report in the bundle is the same 自查报告 as the one downloaded alone.
    let files = bundle_files(&source).unwrap();
    assert_eq!(files[0].1, report_docx(&source, ReportKind::SelfInspection).unwrap());
    let readme = String::from_utf8(files.last().unwrap().1.clone()).unwrap();
    assert!(readme.contains("佐证材料共0份") && readme.contains(&source.audit.head), "no evidence loaded here");

    // A changed ledger is named.
    let mut changed = files.clone();
    changed[1].1.push(b' ');
    let meta = taizhang_docs::bundle::BundleMeta {
        unit_name: report.meta.unit_name.clone(),
        period_label: report.meta.period_label.clone(),
        generated_at: at,
        audit_chain_head: source.audit.head.clone(),
        audit_entries: source.audit.entries,
    };
    let honest = taizhang_docs::bundle::build_bundle(&files, &meta).unwrap();
    assert_eq!(honest, zip, "the bundle is deterministic");
    let forged = swap_entry(&zip, &files[1].0, &changed[1].1, &files, &meta);
    match verify_bundle(&forged) {
        Err(DocsError::BundleInvalid(problems)) => {
            assert_eq!(problems, [BundleProblem::Altered(files[1].0.clone())])
        }
        other => panic!("expected a changed file, got {other:?}"),
    }
}

/// A bundle whose manifest lists `files`, but with one entry's content replaced.
fn swap_entry(
    _zip: &[u8],
    path: &str,
    content: &[u8],
    files: &[(String, Vec<u8>)],
    meta: &taizhang_docs::bundle::BundleMeta,
) -> Vec<u8> {
    use std::io::Write;
    let honest = taizhang_docs::bundle::build_bundle(files, meta).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(honest)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(if name == path { content } else { &bytes }).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn other_units_get_their_own_reports() {
    let (source, _) = demo("县水利局党委", "2026H1").await;
    let docx = report_docx(&source, ReportKind::SelfInspection).unwrap();
    let paras = body(&docx);
    let title: String = paras.iter().filter(|p| p.style == "Title").map(|p| p.text.as_str()).collect();
    assert!(title.starts_with("中共县水利局党委关于"), "{title}");
    let text = joined(&paras);
    assert!(text.contains("2026年第2季度未开展意识形态领域情况分析研判"), "{text}");
    assert!(text.contains("召开党委会议"), "{text}");
    assert!(!text.contains("县民政局"), "no other unit's data");
}
