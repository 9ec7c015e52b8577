//! The risk ledger (风险隐患台账): risk points of a Party group by domain,
//! with their level, measures, owner and status, and when each is next due
//! for review. Reviewing the ledger is also a duty of the duty list (a
//! freshness rule over `risk_review` records); the schedule here only
//! proposes the next date, capped so that it never falls later than that
//! rule allows.

use crate::coded::Coded;
use crate::duty::{DutyItem, Rule};
use crate::import::ImportError;
use crate::record::{FieldError, RecordKind};
use crate::register::{field, Fallback, FieldKind::*, Reader, Register, RegisterField, Values, Writer};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest title (风险点) and longest free text accepted.
pub const TITLE_MAX_CHARS: usize = 100;
pub const TEXT_MAX_CHARS: usize = 5_000;

/// Domains offered on the forms; any other domain may be typed in.
pub const DOMAINS: &[&str] = &["社会救助", "养老服务", "殡葬改革", "社会组织", "评残", "网络阵地", "舆情应对", "其他"];

crate::coded_enum!(
    /// 风险等级, most serious first: the order of the ledger. Spreadsheets
    /// write 高风险 as often as 高.
    pub enum RiskLevel {
        High = "high", "高" | "高风险";
        Medium = "medium", "中" | "中风险";
        Low = "low", "低" | "低风险";
    }
);

crate::coded_enum!(
    /// 风险状态.
    pub enum RiskStatus {
        /// 在控: measures under way, reviewed each quarter.
        Controlled = "controlled", "在控";
        /// 已化解: closed (销号); needs no further review.
        Resolved = "resolved", "已化解";
    }
);

/// A risk point as entered: what the forms, the API and the import produce.
/// The owner is a person id; the caller checks that the person works in
/// the Party group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskInput {
    pub domain: String,
    /// 风险点: a short name, unique in the group's ledger; 研判 records
    /// name the risks they reviewed by it.
    pub title: String,
    pub level: RiskLevel,
    #[serde(default)]
    pub description: String,
    pub measures: String,
    pub owner_id: Option<i64>,
    /// 登记日期: when the risk was identified.
    pub identified_on: NaiveDate,
    pub status: RiskStatus,
}

/// The risk ledger's fields, in the order of the form, the import
/// template and the exported ledger.
pub const FIELDS: &[RegisterField] = &[
    field("domain", "风险领域", Text).required().max(TITLE_MAX_CHARS).help("如 殡葬改革、社会救助、评残、网络阵地"),
    field("title", "风险点", Text).required().max(TITLE_MAX_CHARS).help("本单位台账内不重复；研判记录按此名称关联"),
    field("level", "风险等级", Choice(RiskLevel::choices)).required(),
    field("description", "风险描述", LongText).max(TEXT_MAX_CHARS),
    field("measures", "防范化解措施", LongText).required().max(TEXT_MAX_CHARS),
    field("owner_id", "责任人", Person).required().column("owner_person_id").help("本单位人员"),
    field("identified_on", "登记日期", Date).required().or(Fallback::Today),
    field("status", "状态", Choice(RiskStatus::choices)).required().or(Fallback::Value("controlled")),
];

impl Register for RiskInput {
    const NAME: &'static str = "RiskInput";
    const FIELDS: &'static [RegisterField] = FIELDS;

    fn read(r: &mut Reader) -> Self {
        RiskInput {
            domain: r.get("domain"),
            title: r.get("title"),
            level: r.get("level"),
            description: r.get("description"),
            measures: r.get("measures"),
            owner_id: r.get("owner_id"),
            identified_on: r.get("identified_on"),
            status: r.get("status"),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.put("domain", &self.domain);
        w.put("title", &self.title);
        w.put("level", &self.level);
        w.put("description", &self.description);
        w.put("measures", &self.measures);
        w.put("owner_id", &self.owner_id);
        w.put("identified_on", &self.identified_on);
        w.put("status", &self.status);
    }
}

/// A blank entry ([`Register::blank`]): the base of struct literals in the
/// demo and the tests (`..Default::default()`), so that a new optional
/// field needs no edit there.
impl Default for RiskInput {
    fn default() -> Self {
        RiskInput::blank()
    }
}

/// The import's columns: (field, Chinese header, required), from [`FIELDS`].
pub const IMPORT_COLUMNS: [(&str, &str, bool); FIELDS.len()] = crate::register::import_columns(FIELDS);

impl RiskInput {
    /// Trims the texts and checks what a ledger entry must have, apart
    /// from the owner: an import names the owner, resolved later.
    pub fn validated(self) -> Result<RiskInput, Vec<FieldError>> {
        self.revalidated()
    }

    /// [`RiskInput::validated`], and an owner: what a stored entry needs.
    pub fn complete(self) -> Result<RiskInput, Vec<FieldError>> {
        let owner = self.owner_id;
        let mut result = self.validated();
        if owner.is_none() {
            let missing = FieldError { field: "owner_id", message: "请选择责任人".into() };
            match &mut result {
                Ok(_) => result = Err(vec![missing]),
                Err(e) => e.push(missing),
            }
        }
        result
    }

    /// An entry from text values by field name, as a form or a CSV row has
    /// them. Without 状态 a risk is 在控; without 登记日期, identified `today`.
    pub fn parse(get: &dyn Fn(&str) -> String, today: NaiveDate) -> Result<RiskInput, Vec<FieldError>> {
        RiskInput::from_values(&Values::from_fn(FIELDS, get), Some(today))
    }
}

/// When ledger reviews fall: the `day` of the last month of each quarter
/// (late March, June, September, December), at least `min_gap_days` after
/// the previous review, and never more than `max_gap_days` after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewSchedule {
    pub day: u32,
    pub min_gap_days: u32,
    pub max_gap_days: u32,
}

/// The default day of the quarter's last month on which the ledger is
/// reviewed (a local custom, configurable).
pub const REVIEW_DAY: u32 = 25;
/// A review this close before a scheduled day counts as that quarter's.
pub const MIN_GAP_DAYS: u32 = 30;
/// The default list's limit (`risk-ledger`, 92 days), used when a unit's
/// list has no freshness rule over `risk_review` records.
pub const DEFAULT_MAX_GAP_DAYS: u32 = 92;

impl Default for ReviewSchedule {
    fn default() -> Self {
        ReviewSchedule { day: REVIEW_DAY, min_gap_days: MIN_GAP_DAYS, max_gap_days: DEFAULT_MAX_GAP_DAYS }
    }
}

impl ReviewSchedule {
    /// The default schedule, capped by the unit's duty list: the limit of
    /// its freshness rule over `risk_review` records, when it has one.
    pub fn for_items(items: &[DutyItem]) -> Self {
        let limit = items.iter().find_map(|i| match i.rule {
            Rule::Freshness { record: RecordKind::RiskReview, max_days } => Some(max_days),
            _ => None,
        });
        ReviewSchedule { max_gap_days: limit.unwrap_or(DEFAULT_MAX_GAP_DAYS), ..Default::default() }
    }

    /// The scheduled day of a quarter-end month; every such month has 30 days.
    fn scheduled(&self, year: i32, month: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, self.day.clamp(1, 30)).expect("day 1..=30 exists in Mar/Jun/Sep/Dec")
    }

    /// The next review after one held on `reviewed_on`.
    pub fn next_after(&self, reviewed_on: NaiveDate) -> NaiveDate {
        let earliest = reviewed_on + Days::new(u64::from(self.min_gap_days.max(1)));
        let quarter_end = |d: NaiveDate| (d.year(), (d.month() - 1) / 3 * 3 + 3);
        let (year, month) = quarter_end(earliest);
        let mut next = self.scheduled(year, month);
        if next < earliest {
            next = match month {
                12 => self.scheduled(year + 1, 3),
                m => self.scheduled(year, m + 3),
            };
        }
        next.min(reviewed_on + Days::new(u64::from(self.max_gap_days)))
    }

    /// When a risk is next due for review: as its last review set, or for
    /// a risk never reviewed, the review after it was identified.
    pub fn due(&self, identified_on: NaiveDate, last_review: Option<(NaiveDate, Option<NaiveDate>)>) -> NaiveDate {
        match last_review {
            Some((_, Some(next))) => next,
            Some((on, None)) => self.next_after(on),
            None => self.next_after(identified_on),
        }
    }
}

/// Whether a risk needs reviewing, as the ledger flags it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// 已化解: no further review.
    Closed,
    InTime {
        due: NaiveDate,
    },
    DueSoon {
        due: NaiveDate,
    },
    Overdue {
        due: NaiveDate,
        days: i64,
    },
}

/// How many days ahead a review counts as due soon (the `risk-ledger`
/// item's `remind_days`).
pub const DUE_SOON_DAYS: i64 = 15;

impl ReviewState {
    pub fn of(status: RiskStatus, due: NaiveDate, today: NaiveDate) -> Self {
        if status == RiskStatus::Resolved {
            return ReviewState::Closed;
        }
        let days = (today - due).num_days();
        if days > 0 {
            ReviewState::Overdue { due, days }
        } else if -days <= DUE_SOON_DAYS {
            ReviewState::DueSoon { due }
        } else {
            ReviewState::InTime { due }
        }
    }

    /// When the review is due; `None` for a closed risk.
    pub fn due(self) -> Option<NaiveDate> {
        match self {
            ReviewState::Closed => None,
            ReviewState::InTime { due } | ReviewState::DueSoon { due } | ReviewState::Overdue { due, .. } => Some(due),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, ReviewState::Overdue { .. })
    }

    /// 逾期N天未复核, 即将复核, 按期, 无需复核.
    pub fn label(self) -> String {
        match self {
            ReviewState::Closed => "已化解，无需复核".into(),
            ReviewState::InTime { .. } => "按期".into(),
            ReviewState::DueSoon { .. } => "即将到期".into(),
            ReviewState::Overdue { days, .. } => format!("逾期{days}天未复核"),
        }
    }
}

/// One row of a risk import, with the owner still a name.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    pub line: usize,
    pub owner: String,
    /// `owner_id` is left `None` for the caller to resolve from `owner`.
    pub input: RiskInput,
}

/// Parses a whole CSV file of risks (header row of [`FIELDS`] labels or
/// names). Rows without 状态 are 在控; without 登记日期, `today`.
/// Returns every row, or every problem with its line number.
pub fn parse_risks_csv(text: &str, today: NaiveDate) -> Result<Vec<RiskRow>, Vec<ImportError>> {
    parse_risks(&crate::sheet::Sheet::from_csv(text)?, today)
}

/// Parses a whole sheet of risks (CSV or .xlsx), as [`parse_risks_csv`].
pub fn parse_risks(sheet: &crate::sheet::Sheet, today: NaiveDate) -> Result<Vec<RiskRow>, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut rows: Vec<RiskRow> = Vec::new();
    for row in crate::register::read_sheet(FIELDS, sheet)? {
        let line = row.line;
        // The file names the owner; `owner_id` stays empty for the caller.
        let owner = row.names.get("owner_id").cloned().unwrap_or_default();
        let mut messages: Vec<String> = Vec::new();
        let input = RiskInput::from_values(&row.values, Some(today))
            .map_err(|e| messages.extend(e.into_iter().map(|f| f.message)))
            .ok();
        if owner.is_empty() {
            messages.push("请填写责任人".into());
        }
        match input {
            Some(input) if messages.is_empty() && rows.iter().any(|r| r.input.title == input.title) => errors
                .push(ImportError { line, message: format!("风险点“{}”在文件中重复出现", input.title) }),
            Some(input) if messages.is_empty() => rows.push(RiskRow { line, owner, input }),
            _ => errors.extend(messages.into_iter().map(|message| ImportError { line, message })),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_next_review_is_the_next_quarter_end_day() {
        let s = ReviewSchedule::default();
        let cases = [
            // Early in a quarter: that quarter's review day.
            (d(2026, 1, 5), d(2026, 3, 25)),
            (d(2026, 7, 10), d(2026, 9, 25)),
            (d(2026, 11, 1), d(2026, 12, 25)),
            // On the review day itself: the next quarter's (exactly 92 days).
            (d(2026, 3, 25), d(2026, 6, 25)),
            (d(2026, 9, 25), d(2026, 12, 25)),
            // Across the year: late December goes to next March.
            (d(2026, 12, 26), d(2027, 3, 25)),
            (d(2026, 12, 31), d(2027, 3, 25)),
            // Too close to 25 December, and 25 March is past the limit.
            (d(2026, 11, 30), d(2027, 3, 2)),
        ];
        for (reviewed, want) in cases {
            assert_eq!(s.next_after(reviewed), want, "after {reviewed}");
        }
    }

    #[test]
    fn a_review_just_before_the_day_counts_for_the_quarter_and_the_limit_caps_the_next() {
        let s = ReviewSchedule::default();
        // 20 March: 25 March is too close, 25 June is 97 days on: capped at 92.
        assert_eq!(s.next_after(d(2026, 3, 20)), d(2026, 6, 20));
        // 18 December 2025 (the demo's review): capped in March 2026.
        assert_eq!(s.next_after(d(2025, 12, 18)), d(2026, 3, 20));
        // The cap counts a leap year's 29 February.
        assert_eq!(s.next_after(d(2026, 12, 1)), d(2027, 3, 3));
        assert_eq!(s.next_after(d(2027, 12, 1)), d(2028, 3, 2));
        // A stricter list caps sooner; a configured day moves the date.
        let strict = ReviewSchedule { max_gap_days: 60, ..s };
        assert_eq!(strict.next_after(d(2026, 1, 5)), d(2026, 3, 6));
        let day_20 = ReviewSchedule { day: 20, ..s };
        assert_eq!(day_20.next_after(d(2026, 7, 10)), d(2026, 9, 20));
        // Every result stays within the limit, whatever the day of the year.
        let mut on = d(2025, 1, 1);
        while on < d(2027, 1, 1) {
            let next = s.next_after(on);
            assert!(next > on && (next - on).num_days() <= 92, "{on} → {next}");
            on = on.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_schedule_follows_the_units_duty_list() {
        let list = crate::load_duty_list(crate::duty::DEFAULT_LIST_TOML).unwrap();
        assert_eq!(ReviewSchedule::for_items(&list.items).max_gap_days, 92);
        assert_eq!(ReviewSchedule::for_items(&[]), ReviewSchedule::default());
    }

    #[test]
    fn review_state_flags_overdue_and_due_soon() {
        let today = d(2026, 11, 23);
        let s = ReviewSchedule::default();
        let due = s.due(d(2026, 1, 1), Some((d(2026, 7, 10), Some(d(2026, 9, 25)))));
        assert_eq!(ReviewState::of(RiskStatus::Controlled, due, today), ReviewState::Overdue { due, days: 59 });
        assert_eq!(ReviewState::of(RiskStatus::Controlled, due, today).label(), "逾期59天未复核");
        assert_eq!(ReviewState::of(RiskStatus::Resolved, due, today), ReviewState::Closed);
        let never = s.due(d(2026, 11, 20), None);
        assert_eq!(never, d(2026, 12, 25));
        assert_eq!(ReviewState::of(RiskStatus::Controlled, never, today), ReviewState::InTime { due: never });
        assert!(matches!(ReviewState::of(RiskStatus::Controlled, d(2026, 12, 1), today), ReviewState::DueSoon { .. }));
    }

    #[test]
    fn levels_and_statuses_parse_codes_and_labels() {
        assert_eq!(RiskLevel::parse("高"), Some(RiskLevel::High));
        assert_eq!(RiskLevel::parse("中风险"), Some(RiskLevel::Medium));
        assert_eq!(RiskLevel::parse("low"), Some(RiskLevel::Low));
        assert_eq!(RiskLevel::parse("极高"), None);
        assert_eq!(RiskStatus::parse("已化解"), Some(RiskStatus::Resolved));
        assert_eq!(RiskStatus::parse("controlled"), Some(RiskStatus::Controlled));
    }

    const HEADER: &str = "风险领域,风险点,风险等级,风险描述,防范化解措施,责任人,状态,登记日期\n";

    #[test]
    fn an_import_reads_every_row_with_defaults() {
        let csv = format!("\u{feff}{HEADER}殡葬改革,清明祭扫舆情风险,高,,加强政策解读,孙卫东,,2026-03-01\n网络阵地,评论区不当言论风险,低风险,,专人值守,刘晓雯,已化解,\n");
        let rows = parse_risks_csv(&csv, d(2026, 11, 23)).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!((rows[0].input.level, rows[0].input.status), (RiskLevel::High, RiskStatus::Controlled));
        assert_eq!(rows[1].input.identified_on, d(2026, 11, 23));
        assert_eq!((rows[1].owner.as_str(), rows[1].input.owner_id), ("刘晓雯", None));
    }

    #[test]
    fn a_bad_import_reports_every_line() {
        let csv = format!(
            "{HEADER}殡葬改革,A,高,,措施,张三,,\n社会救助,B,极高,,措施,张三,,\n,C,中,,措施,张三,,\n社会救助,A,低,,措施,张三,,\n社会救助,D,低,,,,,2026-02-30\n"
        );
        let errors = parse_risks_csv(&csv, d(2026, 11, 23)).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4, 5, 6, 6, 6], "{text:?}");
        assert_eq!(text[0], "第3行：风险等级“极高”无法识别，应填高、中或低");
        assert!(text[1].contains("请填写风险领域") && text[2].contains("“A”在文件中重复出现"), "{text:?}");
        assert!(text[3].contains("登记日期") && text[4].contains("防范化解措施") && text[5].contains("责任人"));
        let missing = parse_risks_csv("风险点,颜色\n", d(2026, 1, 1)).unwrap_err();
        assert!(missing.iter().all(|e| e.line == 1) && missing[0].message.contains("颜色"), "{missing:?}");
    }
}
