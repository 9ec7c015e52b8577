//! Calendar periods (month, quarter, half-year, year) in Asia/Shanghai.
//!
//! China has used UTC+8 without daylight saving since 1991, so a fixed offset
//! is exact for every date this system handles.

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Offset of Asia/Shanghai from UTC, in seconds.
const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

/// Today's date in Asia/Shanghai.
pub fn today_in_shanghai() -> NaiveDate {
    shanghai_date(Utc::now())
}

/// Asia/Shanghai (Beijing time) as an offset.
pub fn shanghai_offset() -> FixedOffset {
    FixedOffset::east_opt(SHANGHAI_OFFSET_SECS).expect("valid offset")
}

/// The Asia/Shanghai calendar date of an instant.
pub fn shanghai_date(instant: chrono::DateTime<Utc>) -> NaiveDate {
    shanghai_offset().from_utc_datetime(&instant.naive_utc()).date_naive()
}

/// An instant as Beijing time to the minute, as pages and ledgers show
/// it: 2026-11-20 09:30.
pub fn shanghai_minute(instant: chrono::DateTime<Utc>) -> String {
    instant.with_timezone(&shanghai_offset()).format("%Y-%m-%d %H:%M").to_string()
}

/// The instant a Shanghai calendar day begins.
pub fn shanghai_day_start(date: NaiveDate) -> chrono::DateTime<Utc> {
    shanghai_offset().from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight")).unwrap().with_timezone(&Utc)
}

crate::coded_enum!(
    /// How often a duty recurs.
    pub enum Cadence {
        Month = "month", "每月";
        Quarter = "quarter", "每季度";
        Half = "half", "每半年";
        Year = "year", "每年";
    }
);

impl Cadence {
    /// Number of periods of this cadence in a year.
    fn per_year(self) -> u32 {
        match self {
            Cadence::Month => 12,
            Cadence::Quarter => 4,
            Cadence::Half => 2,
            Cadence::Year => 1,
        }
    }

    fn months(self) -> u32 {
        12 / self.per_year()
    }
}

/// A calendar period: `index` counts from 1 within the year (month 1–12,
/// quarter 1–4, half 1–2, year 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub cadence: Cadence,
    pub index: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("无法识别的期间“{0}”：应为 2026、2026H1、2026Q3 或 2026-03 这样的格式")]
pub struct PeriodParseError(pub String);

/// A period as people write it, in the codes [`Period::parse`] reads:
/// full-width digits and letters made half-width, spaces dropped, and the
/// Chinese forms (年, 上半年/下半年, 第三季度/三季度/第3季度, 3月) turned
/// into `H1`, `Q3`, `M03`. Anything else is left for the parser to refuse.
fn canonical_code(text: &str) -> String {
    let half: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .to_ascii_uppercase();
    let digit = |c: char| "一二三四".find(c).map(|i| i / 3 + 1);
    let Some(rest) = half.get(4..) else { return half };
    let year = &half[..4];
    let rest = rest.strip_prefix('年').unwrap_or(rest);
    // 2026年度 is the year.
    let rest = if rest == "度" { "" } else { rest };
    let code = match rest {
        "" => String::new(),
        "上半年" => "H1".into(),
        "下半年" => "H2".into(),
        _ => {
            let quarter = rest.strip_prefix('第').unwrap_or(rest).strip_suffix("季度");
            let month = rest.strip_suffix('月');
            match (quarter, month) {
                (Some(q), _) => {
                    let chinese = || q.chars().next().filter(|_| q.chars().count() == 1).and_then(digit);
                    let n = q.parse::<usize>().ok().or_else(chinese);
                    n.map_or_else(|| rest.to_string(), |n| format!("Q{n}"))
                }
                (None, Some(m)) if !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()) => format!("M{m}"),
                _ => rest.to_string(),
            }
        }
    };
    format!("{year}{code}")
}

impl Period {
    pub fn year(year: i32) -> Self {
        Period { year, cadence: Cadence::Year, index: 1 }
    }

    pub fn new(year: i32, cadence: Cadence, index: u32) -> Option<Self> {
        (1..=cadence.per_year()).contains(&index).then_some(Period { year, cadence, index })
    }

    /// Parses `2026`, `2026H1`, `2026Q3` and `2026-03` (also `2026M03`),
    /// and the same as people write them: `2026年`, `2026年上半年`,
    /// `2026年第三季度`, `2026年3月`, with full-width digits or spaces.
    pub fn parse(text: &str) -> Result<Self, PeriodParseError> {
        let err = || PeriodParseError(text.to_string());
        let t = canonical_code(text);
        if t.len() < 4 || !t.is_char_boundary(4) {
            return Err(err());
        }
        let (year_part, rest) = t.split_at(4);
        let year: i32 = year_part.parse().map_err(|_| err())?;
        if !(1949..=2200).contains(&year) {
            return Err(err());
        }
        let (cadence, index_text) = match rest.chars().next() {
            None => return Ok(Period::year(year)),
            Some('H') => (Cadence::Half, &rest[1..]),
            Some('Q') => (Cadence::Quarter, &rest[1..]),
            Some('M') | Some('-') => (Cadence::Month, &rest[1..]),
            _ => return Err(err()),
        };
        let index: u32 = index_text.parse().map_err(|_| err())?;
        Period::new(year, cadence, index).ok_or_else(err)
    }

    /// The instants the period covers: from the start of its first day to
    /// the start of the day after its last, Beijing time.
    pub fn instants(&self) -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
        (shanghai_day_start(self.first_day()), shanghai_day_start(self.last_day().succ_opt().expect("a next day")))
    }

    pub fn first_day(&self) -> NaiveDate {
        let month = (self.index - 1) * self.cadence.months() + 1;
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("valid period start")
    }

    pub fn last_day(&self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("date in range")
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    pub fn next(&self) -> Period {
        if self.index == self.cadence.per_year() {
            Period { year: self.year + 1, cadence: self.cadence, index: 1 }
        } else {
            Period { index: self.index + 1, ..*self }
        }
    }

    pub fn previous(&self) -> Period {
        if self.index == 1 {
            Period { year: self.year - 1, cadence: self.cadence, index: self.cadence.per_year() }
        } else {
            Period { index: self.index - 1, ..*self }
        }
    }

    /// The period of the given cadence that contains `date`.
    pub fn containing(date: NaiveDate, cadence: Cadence) -> Period {
        let index = (date.month() - 1) / cadence.months() + 1;
        Period { year: date.year(), cadence, index }
    }

    /// The periods of `cadence` that overlap this period, in order.
    /// A cadence longer than the period yields the one period containing it.
    pub fn split(&self, cadence: Cadence) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = Period::containing(self.first_day(), cadence);
        while p.first_day() <= self.last_day() {
            out.push(p);
            p = p.next();
        }
        out
    }

    /// A stable code: `2026`, `2026H1`, `2026Q3`, `2026-03`.
    pub fn code(&self) -> String {
        match self.cadence {
            Cadence::Year => format!("{}", self.year),
            Cadence::Half => format!("{}H{}", self.year, self.index),
            Cadence::Quarter => format!("{}Q{}", self.year, self.index),
            Cadence::Month => format!("{}-{:02}", self.year, self.index),
        }
    }

    /// The Chinese label used in pages and documents: 2026年上半年, 2026年第3季度, 2026年3月.
    pub fn label(&self) -> String {
        match self.cadence {
            Cadence::Year => format!("{}年", self.year),
            Cadence::Half if self.index == 1 => format!("{}年上半年", self.year),
            Cadence::Half => format!("{}年下半年", self.year),
            Cadence::Quarter => format!("{}年第{}季度", self.year, self.index),
            Cadence::Month => format!("{}年{}月", self.year, self.index),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// A date in the official style, without leading zeros: 2026年3月5日.
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A short date for tables and reasons: 3月5日.
pub fn short_date(date: NaiveDate) -> String {
    format!("{}月{}日", date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_form_and_rejects_nonsense() {
        let cases = [
            ("2026", Some((Cadence::Year, 1))),
            ("2026H1", Some((Cadence::Half, 1))),
            ("2026h2", Some((Cadence::Half, 2))),
            ("2026Q3", Some((Cadence::Quarter, 3))),
            ("2026-03", Some((Cadence::Month, 3))),
            ("2026M12", Some((Cadence::Month, 12))),
            ("2026H3", None),
            ("2026Q0", None),
            ("2026-13", None),
            ("26", None),
            ("二〇二六", None),
            ("2026X1", None),
        ];
        for (text, want) in cases {
            let got = Period::parse(text).ok().map(|p| (p.cadence, p.index));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn boundaries_of_each_cadence() {
        let cases = [
            ("2026", d(2026, 1, 1), d(2026, 12, 31)),
            ("2026H1", d(2026, 1, 1), d(2026, 6, 30)),
            ("2026H2", d(2026, 7, 1), d(2026, 12, 31)),
            ("2026Q1", d(2026, 1, 1), d(2026, 3, 31)),
            ("2026Q4", d(2026, 10, 1), d(2026, 12, 31)),
            ("2024-02", d(2024, 2, 1), d(2024, 2, 29)),
            ("2026-02", d(2026, 2, 1), d(2026, 2, 28)),
            ("2026-12", d(2026, 12, 1), d(2026, 12, 31)),
        ];
        for (code, first, last) in cases {
            let p = Period::parse(code).unwrap();
            assert_eq!((p.first_day(), p.last_day()), (first, last), "{code}");
            assert_eq!(p.code(), code.to_ascii_uppercase().replace("M", "-"));
        }
    }

    #[test]
    fn instants_run_from_beijing_midnight_to_midnight() {
        use chrono::TimeZone;
        let (from, to) = Period::parse("2026").unwrap().instants();
        assert_eq!(from, Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap());
        assert_eq!(shanghai_minute(to), "2027-01-01 00:00");
    }

    #[test]
    fn next_and_previous_cross_year_ends() {
        let dec = Period::parse("2025-12").unwrap();
        assert_eq!(dec.next().code(), "2026-01");
        assert_eq!(dec.next().previous(), dec);
        assert_eq!(Period::parse("2026Q1").unwrap().previous().code(), "2025Q4");
        assert_eq!(Period::parse("2025H2").unwrap().next().code(), "2026H1");
    }

    #[test]
    fn containing_and_split() {
        assert_eq!(Period::containing(d(2026, 3, 31), Cadence::Quarter).code(), "2026Q1");
        assert_eq!(Period::containing(d(2026, 4, 1), Cadence::Quarter).code(), "2026Q2");
        assert_eq!(Period::containing(d(2026, 7, 1), Cadence::Half).code(), "2026H2");
        let months: Vec<_> = Period::parse("2026H2").unwrap().split(Cadence::Month).iter().map(|p| p.code()).collect();
        assert_eq!(months, ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]);
        // A cadence longer than the period gives the enclosing period.
        let years = Period::parse("2026Q2").unwrap().split(Cadence::Year);
        assert_eq!(years, vec![Period::year(2026)]);
    }

    #[test]
    fn shanghai_date_switches_at_sixteen_utc() {
        use chrono::TimeZone;
        let before = Utc.with_ymd_and_hms(2025, 12, 31, 15, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).unwrap();
        assert_eq!(shanghai_date(before), d(2025, 12, 31));
        assert_eq!(shanghai_date(after), d(2026, 1, 1));
    }

    #[test]
    fn labels_and_dates_have_no_leading_zeros() {
        assert_eq!(Period::parse("2026H1").unwrap().label(), "2026年上半年");
        for (typed, code) in [
            ("2026年", "2026"),
            ("2026年度", "2026"),
            ("２０２６", "2026"),
            ("2026上半年", "2026H1"),
            ("2026年下半年", "2026H2"),
            ("2026年第三季度", "2026Q3"),
            ("2026年三季度", "2026Q3"),
            ("2026第4季度", "2026Q4"),
            ("２０２６年３月", "2026-03"),
            ("2026年12月", "2026-12"),
            (" 2026 h1 ", "2026H1"),
            ("２０２６Ｑ２", "2026Q2"),
        ] {
            assert_eq!(Period::parse(typed).map(|p| p.code()), Ok(code.to_string()), "{typed}");
        }
        for bad in ["2026年第五季度", "2026年13月", "2026年中", "二〇二六年", "2026年第季度"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Period::parse("2026Q3").unwrap().label(), "2026年第3季度");
        assert_eq!(Period::parse("2026-03").unwrap().label(), "2026年3月");
        assert_eq!(chinese_date(d(2026, 3, 5)), "2026年3月5日");
    }
}
