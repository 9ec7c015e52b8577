//! The assessment's parameters in one place. None is a national rule (see
//! `reference/duty-rules.md` rows 18 and 18a): each is a local default a
//! superior changes with an `[assessment]` table in the duty list it issues.

use crate::duty::parse_due;
use crate::engine::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// 满分 of the converted total (百分制): the list's points need not
    /// add up to it, so units on different lists compare fairly.
    pub full_marks: u32,
    /// Share of a period's points lost when the duty was done after its
    /// deadline (逾期完成). It stays lost once the duty is done.
    pub late: f64,
    /// Share lost when a counted record lacks required evidence (缺少佐证),
    /// times the share of the period's records that lack it.
    pub missing_evidence: f64,
    /// Share lost when the duty was not done (已逾期), times the shortfall
    /// of a count (1 of 2 meetings held loses half).
    pub overdue: f64,
    /// `MM-DD`: from this day of the assessed year the unit may submit.
    pub open_from: String,
    /// The submission deadline as a due code (`+01-15`: 15 January of the
    /// following year).
    pub submit_by: String,
    /// Days before the deadline the dashboard starts to warn.
    pub remind_days: u32,
    /// The weight (考核权重, percent) of this assessment in the annual
    /// performance score, when the superior sets one; shown, never assumed.
    pub weight_percent: Option<f64>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            full_marks: 100,
            late: 0.5,
            missing_evidence: 0.5,
            overdue: 1.0,
            open_from: "12-01".into(),
            submit_by: "+01-15".into(),
            remind_days: 15,
            weight_percent: None,
        }
    }
}

impl Rules {
    /// Checks values serde cannot: shares within 0..=1, valid dates.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [("late", self.late), ("missing_evidence", self.missing_evidence), ("overdue", self.overdue)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("考核参数 {name} 须在0到1之间（扣分比例），实为{v}"));
            }
        }
        if self.full_marks == 0 {
            return Err("考核参数 full_marks（满分）须大于0".into());
        }
        if parse_due(&self.open_from, 2024).is_none() || self.open_from.starts_with('+') {
            return Err(format!("考核参数 open_from 应为本年的 MM-DD（如 12-01），实为“{}”", self.open_from));
        }
        if parse_due(&self.submit_by, 2024).is_none() {
            return Err(format!("考核参数 submit_by 应如 +01-15（次年1月15日），实为“{}”", self.submit_by));
        }
        if let Some(w) = self.weight_percent.filter(|w| !(*w > 0.0 && *w <= 100.0)) {
            return Err(format!("考核参数 weight_percent（权重）须在0到100之间，实为{w}"));
        }
        Ok(())
    }

    /// The share of a period's points a status loses.
    pub fn share_lost(&self, status: Status) -> f64 {
        match status {
            Status::Late => self.late,
            Status::MissingEvidence => self.missing_evidence,
            Status::Overdue => self.overdue,
            Status::Pending | Status::Met | Status::DueSoon => 0.0,
        }
    }

    /// What a 百分制 score carries into the annual performance score, when
    /// the superior set a weight: 92 at 10 % is 9.2.
    pub fn weighted(&self, score_100: super::Score) -> Option<super::Score> {
        self.weight_percent.map(|w| super::Score::from_f64(score_100.as_f64() * w / 100.0))
    }

    /// The first day the self-assessment of `year` may be submitted.
    pub fn opens_on(&self, year: i32) -> NaiveDate {
        parse_due(&self.open_from, year).unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 1).expect("valid"))
    }

    /// The submission deadline of `year`'s self-assessment.
    pub fn deadline(&self, year: i32) -> NaiveDate {
        parse_due(&self.submit_by, year).unwrap_or_else(|| NaiveDate::from_ymd_opt(year + 1, 1, 15).expect("valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_dated() {
        let r = Rules::default();
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.deadline(2025), NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(r.opens_on(2025), NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(r.share_lost(Status::DueSoon), 0.0);
        assert_eq!(r.share_lost(Status::Late), 0.5);
        assert_eq!(r.weighted(crate::assessment::Score::points(92)), None, "no weight unless set");
        let weighted = Rules { weight_percent: Some(10.0), ..Rules::default() };
        assert_eq!(
            weighted.weighted(crate::assessment::Score::parse("92.5").unwrap()),
            crate::assessment::Score::parse("9.25")
        );
    }

    #[test]
    fn bad_values_are_named() {
        let bad = Rules { late: 1.5, ..Rules::default() };
        assert!(bad.validate().unwrap_err().contains("late"));
        let bad = Rules { submit_by: "01-32".into(), ..Rules::default() };
        assert!(bad.validate().unwrap_err().contains("submit_by"));
        let bad = Rules { open_from: "+12-01".into(), ..Rules::default() };
        assert!(bad.validate().unwrap_err().contains("open_from"));
        let bad = Rules { weight_percent: Some(0.0), ..Rules::default() };
        assert!(bad.validate().unwrap_err().contains("权重"));
    }
}
