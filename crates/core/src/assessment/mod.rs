//! The annual assessment (考核): a scorecard built from the duty list's
//! points and the engine's statuses for a year, the unit's self-assessment
//! (自评调整, 提交自评) and the superior's review (审核得分, 审定 or 退回),
//! and the superior's ranking of its units. Pure: the store keeps the
//! rows, the web runs the engine and calls these functions.
//!
//! - [`score`]: the automatic score — points minus deductions derived from
//!   the engine's findings, each deduction with the engine's reason.
//! - [`workflow`]: the assessment of one unit and year and its steps.
//! - [`rank`]: the superior's ranking.
//! - [`import`]: the superior's review scores from a CSV file.
//!
//! The parameters (deduction shares, the submission window, full marks)
//! are [`Rules`]: defaults here, settable per duty list (`[assessment]`).

mod import;
mod rank;
mod rules;
mod score;
mod workflow;

pub use import::{parse_review_csv, ImportedReview, REVIEW_CSV_HEADER};
pub use rank::{rank, RankBasis, Standing, StandingInput};
pub use rules::Rules;
pub use score::{auto_score, AutoCard, Deduction, ItemScore};
pub use workflow::{Adjustment, Assessment, AssessmentError, Line, ReviewScore, Scorecard, State};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// Points, held exactly in hundredths: shares such as 4 ÷ 2 branches ÷ 12
/// months are rounded once, to 0.01, and every total adds up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Score(i64);

impl Score {
    pub const ZERO: Score = Score(0);

    pub fn points(p: u32) -> Score {
        Score(i64::from(p) * 100)
    }

    /// Rounds to the nearest hundredth (half away from zero).
    pub fn from_f64(x: f64) -> Score {
        Score((x * 100.0).round() as i64)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses what a person types: `8`, `8.5`, `-1.25`, `+2`, `８．５`
    /// (full-width digits); at most two decimals.
    pub fn parse(text: &str) -> Option<Score> {
        let t: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '－' | '−' => '-',
                '＋' => '+',
                other => other,
            })
            .collect();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || whole.len() > 6 || fraction.len() > 2 || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
        let value = whole.parse::<i64>().ok()? * 100 + cents;
        Some(Score(if negative { -value } else { value }))
    }

    /// `self / of × full`, to the hundredth: a total converted to 百分制.
    pub fn scaled(self, of: Score, full: u32) -> Score {
        if of.0 <= 0 {
            return Score::ZERO;
        }
        let num = i128::from(self.0) * i128::from(full) * 100;
        let den = i128::from(of.0);
        // Rounded half up, in integers so equal totals always rank equal.
        Score(((2 * num + den) / (2 * den)) as i64)
    }

    pub fn clamp_to(self, max: Score) -> Score {
        self.max(Score::ZERO).min(max)
    }

    /// With a sign, for adjustments: +1.5, -2.
    pub fn signed(self) -> String {
        if self.0 > 0 {
            format!("+{self}")
        } else {
            self.to_string()
        }
    }
}

/// `8`, `8.5`, `8.25`: no trailing zeros.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, cents) = (self.0.abs() / 100, self.0.abs() % 100);
        match cents {
            0 => write!(f, "{sign}{whole}"),
            c if c % 10 == 0 => write!(f, "{sign}{whole}.{}", c / 10),
            c => write!(f, "{sign}{whole}.{c:02}"),
        }
    }
}

impl Add for Score {
    type Output = Score;
    fn add(self, rhs: Score) -> Score {
        Score(self.0 + rhs.0)
    }
}

impl AddAssign for Score {
    fn add_assign(&mut self, rhs: Score) {
        self.0 += rhs.0;
    }
}

impl Sub for Score {
    type Output = Score;
    fn sub(self, rhs: Score) -> Score {
        Score(self.0 - rhs.0)
    }
}

impl Neg for Score {
    type Output = Score;
    fn neg(self) -> Score {
        Score(-self.0)
    }
}

impl std::iter::Sum for Score {
    fn sum<I: Iterator<Item = Score>>(iter: I) -> Score {
        iter.fold(Score::ZERO, Add::add)
    }
}

/// A number in JSON (8.5), as API clients expect.
impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Score, D::Error> {
        let x = f64::deserialize(d)?;
        if !x.is_finite() || x.abs() > 1e9 {
            return Err(serde::de::Error::custom("分值超出范围"));
        }
        Ok(Score::from_f64(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parse_display_and_scale() {
        assert_eq!(Score::parse("8.5"), Some(Score(850)));
        assert_eq!(Score::parse(" -1.25 "), Some(Score(-125)));
        assert_eq!(Score::parse("+2"), Some(Score(200)));
        assert_eq!(Score::parse("８．５"), Some(Score(850)));
        for bad in ["", "1.234", "abc", "1e3", "--1", ".5", "1.2.3"] {
            assert_eq!(Score::parse(bad), None, "{bad}");
        }
        assert_eq!(Score(850).to_string(), "8.5");
        assert_eq!(Score(825).to_string(), "8.25");
        assert_eq!(Score(-50).to_string(), "-0.5");
        assert_eq!(Score(1000).to_string(), "10");
        assert_eq!(Score(150).signed(), "+1.5");
        assert_eq!(Score(9000).scaled(Score(10100), 100), Score(8911));
        assert_eq!(Score(100).scaled(Score::ZERO, 100), Score::ZERO);
        assert_eq!(Score::from_f64(4.0 / 24.0), Score(17));
        assert_eq!(serde_json::to_string(&Score(850)).unwrap(), "8.5");
        assert_eq!(serde_json::from_str::<Score>("8.499").unwrap(), Score(850));
    }
}
