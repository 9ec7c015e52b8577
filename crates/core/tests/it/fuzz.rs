//! Property tests over everything that reads outside input: the CSV
//! importers, the period, date and time parsers and the duty-list loader.
//! Whatever the bytes, none panics, every error points at a line of the
//! file, and what comes back is bounded by what went in.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use taizhang_core::import::ImportError;
use taizhang_core::org::Person;

/// Pieces that reach the parsers' edge cases: separators, quotes, both
/// line endings, a BOM, header names, dates, numbers and Chinese text.
const PIECES: &[&str] = &[
    ",",
    ",",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    " ",
    "",
    "0",
    "7.5",
    "-1",
    "99999999999999999999",
    "2026-11-02",
    "2026/11/3 9:30",
    "2026-13-01",
    "2026-02-30",
    "2026-11-02 09:00",
    "高",
    "极高",
    "一般",
    "李红梅",
    "刘晓雯",
    "县民政局党组",
    "县民政局机关第二党支部",
    "branch_meeting",
    "analysis",
    "党小组会",
    "https://a.cn/x",
    "javascript:alert(1)",
    "类别",
    "单位",
    "日期",
    "标题",
    "科室",
    "作者",
    "刊物",
    "级别",
    "报送日期",
    "风险领域",
    "风险点",
    "风险等级",
    "责任人",
    "来源",
    "内容摘要",
    "发现时间",
    "问题",
    "事项编号",
    "审核得分",
    "\0",
    "𠀀",
];

/// A CSV-like text: one of the real headers (or none), then pieces.
fn csv_text(header: &'static str) -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(prop::sample::select(PIECES), 0..120), ".{0,20}").prop_map(
        move |(with_header, pieces, tail)| {
            let mut text = if with_header { header.to_string() } else { String::new() };
            text.extend(pieces);
            text.push_str(&tail);
            text
        },
    )
}

/// Lines a text has, as a person counts them in an editor.
fn lines(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// Every error names a line of the file; there are at most a few per line
/// (one per column of the widest importer): output bounded by the input.
fn check_errors(text: &str, errors: &[ImportError]) {
    let n = lines(text);
    assert!(errors.len() <= 32 * n, "{} errors for {n} lines", errors.len());
    for e in errors {
        assert!((1..=n).contains(&e.line), "line {} of {n}: {}", e.line, e.message);
        assert!(!e.message.is_empty());
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn people() -> Vec<Person> {
    ["李红梅", "刘晓雯", "陈静"]
        .iter()
        .enumerate()
        .map(|(i, name)| Person { id: i as i64 + 1, unit_id: 1, name: name.to_string(), title: "科员".into() })
        .collect()
}

const RECORDS: &str = "类别,单位,日期,meeting_type,topic,due,present,absentees\n";
const RISKS: &str = "风险领域,风险点,风险等级,风险描述,防范化解措施,责任人,状态,登记日期\n";
const FEEDBACK: &str = "来源,来源说明,链接,内容摘要,类别,等级,责任人,发现时间,发现人,核实时间,核实人,核实情况,处置时间,处置人,处置情况,回应时间,回应人,回应方式,回应情况,办结时间,办结人,办结情况\n";
const NEWS: &str = "标题,科室,作者,刊物,级别,报送日期,录用日期,期号或链接\n";
const REVIEWS: &str = "单位,事项编号,审核得分,审核意见\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_record_import_never_panics(text in csv_text(RECORDS)) {
        match taizhang_core::import::parse_csv(&text) {
            Ok(rows) => prop_assert!(rows.len() <= lines(&text)),
            Err(errors) => check_errors(&text, &errors),
        }
    }

    #[test]
    fn the_risk_import_never_panics(text in csv_text(RISKS)) {
        match taizhang_core::risk::parse_risks_csv(&text, today()) {
            Ok(rows) => prop_assert!(rows.iter().all(|r| (1..=lines(&text)).contains(&r.line))),
            Err(errors) => check_errors(&text, &errors),
        }
    }

    #[test]
    fn the_feedback_import_never_panics(text in csv_text(FEEDBACK)) {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        let people: Vec<taizhang_core::drafts::Person> =
            people().into_iter().map(|p| taizhang_core::drafts::Person { id: p.id, name: p.name }).collect();
        match taizhang_core::feedback::import::parse_csv(&text, &people, now) {
            Ok(rows) => prop_assert!(rows.len() <= lines(&text)),
            Err(errors) => check_errors(&text, &errors),
        }
    }

    #[test]
    fn the_news_import_never_panics(text in csv_text(NEWS)) {
        let departments = [(2, "办公室".to_string())];
        let people = people();
        let target = taizhang_core::news::import::Target { unit_id: 1, departments: &departments, people: &people, today: today() };
        match taizhang_core::news::import::parse_csv(&text, &target) {
            Ok(rows) => prop_assert!(rows.len() <= lines(&text)),
            Err(errors) => check_errors(&text, &errors),
        }
    }

    #[test]
    fn the_rectification_import_never_panics(text in csv_text(""), header in any::<bool>()) {
        let text = if header { format!("{}\n{text}", taizhang_core::rectification::CSV_HEADER.join(",")) } else { text };
        match taizhang_core::rectification::parse_csv(&text) {
            Ok(rows) => prop_assert!(rows.len() <= lines(&text)),
            Err(errors) => check_errors(&text, &errors),
        }
    }

    #[test]
    fn the_assessment_review_import_never_panics(text in csv_text(REVIEWS)) {
        let (rows, errors) = taizhang_core::assessment::parse_review_csv(&text);
        prop_assert!(rows.len() <= lines(&text));
        check_errors(&text, &errors);
    }

    #[test]
    fn periods_dates_and_times_parse_or_refuse(text in "(20[0-9]{2}|[0-9]{1,6})?([HQMhqm-][0-9]{0,3})?.{0,4}") {
        if let Ok(period) = taizhang_core::period::Period::parse(&text) {
            prop_assert!(period.first_day() <= period.last_day());
            prop_assert!(period.contains(period.first_day()));
        }
        let _ = taizhang_core::fields::parse_date(&text);
        let _ = taizhang_core::feedback::parse_beijing_time(&text);
        let _ = taizhang_core::feedback::parse_week(&text);
        let _ = taizhang_core::duty::parse_due(&text, 2026);
    }

    #[test]
    fn any_text_as_a_period_or_date(text in ".{0,24}") {
        let _ = taizhang_core::period::Period::parse(&text);
        let _ = taizhang_core::fields::parse_date(&text);
        let _ = taizhang_core::feedback::parse_beijing_time(&text);
        let _ = taizhang_core::duty::parse_due(&text, i32::MAX);
    }
}

/// Duty lists: the built-in list cut, spliced and garbled; an error names
/// a line of the document.
fn duty_list_text() -> impl Strategy<Value = String> {
    let source = taizhang_core::duty::DEFAULT_LIST_TOML;
    let len = source.len();
    (
        0..len,
        0..len,
        prop::collection::vec(
            prop::sample::select(&["", "\n", "\"", "[[item]]\n", "= 1\n", "]", "id = \"x\"\n", "𠀀"][..]),
            0..6,
        ),
    )
        .prop_map(move |(a, b, inserts)| {
            let (from, to) = (a.min(b), a.max(b));
            let cut = |i: usize| (0..=i).rev().find(|j| source.is_char_boundary(*j)).unwrap_or(0);
            let mut text = source[..cut(from)].to_string();
            text.extend(inserts);
            text.push_str(&source[cut(to)..]);
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn the_duty_list_loader_never_panics(text in duty_list_text()) {
        if let Err(e) = taizhang_core::duty::load_duty_list(&text) {
            prop_assert!((1..=lines(&text)).contains(&e.line), "line {} of {}: {}", e.line, lines(&text), e.message);
        }
    }

    #[test]
    fn the_duty_list_loader_refuses_noise(text in ".{0,400}") {
        let _ = taizhang_core::duty::load_duty_list(&text);
    }
}
