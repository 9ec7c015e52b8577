//! Inspection findings and their rectification (督查/巡察反馈问题整改):
//! each problem with measures, a responsible person and a deadline; the
//! unit reports it rectified with evidence (申请销号), and the superior
//! closes it (销号) or returns it. Pure: the store keeps the rows, the
//! engine's `rectification` rule turns them into statuses.

use crate::org::{PersonId, UnitId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    /// 上级督查 (e.g. the county 宣传部's inspection).
    Inspection,
    /// 巡察 / 巡视 feedback.
    Patrol,
    /// 自查.
    SelfInspection,
}

impl FindingSource {
    pub const ALL: [FindingSource; 3] =
        [FindingSource::Inspection, FindingSource::Patrol, FindingSource::SelfInspection];

    pub fn code(self) -> &'static str {
        match self {
            FindingSource::Inspection => "inspection",
            FindingSource::Patrol => "patrol",
            FindingSource::SelfInspection => "self_inspection",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code || s.label() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingSource::Inspection => "上级督查",
            FindingSource::Patrol => "巡察反馈",
            FindingSource::SelfInspection => "自查发现",
        }
    }
}

/// One problem and its rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub id: i64,
    pub unit_id: UnitId,
    pub source: FindingSource,
    pub found_on: NaiveDate,
    pub problem: String,
    pub measures: String,
    pub owner: Option<PersonId>,
    pub deadline: NaiveDate,
    /// What was done and where the proof is (documents, records).
    pub evidence: String,
    /// The date the unit reported it rectified (申请销号).
    pub rectified_on: Option<NaiveDate>,
    /// The date the superior closed it (销号).
    pub closed_on: Option<NaiveDate>,
    /// The superior's opinion on closing or returning.
    pub opinion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectificationError {
    #[error("请填写问题描述")]
    NoProblem,
    #[error("整改期限不能早于发现日期")]
    DeadlineBeforeFound,
    #[error("申请销号须写明整改措施和佐证材料")]
    NoEvidence,
    #[error("整改完成日期不能早于发现日期，也不能晚于今天")]
    BadRectifiedDate,
    #[error("该问题尚未申请销号")]
    NotRectified,
    #[error("该问题已销号，不能再修改")]
    Closed,
    #[error("退回须写明意见")]
    NoOpinion,
}

impl Rectification {
    /// Checks a new or edited problem.
    pub fn validate(&self) -> Result<(), RectificationError> {
        if self.problem.trim().is_empty() {
            return Err(RectificationError::NoProblem);
        }
        if self.deadline < self.found_on {
            return Err(RectificationError::DeadlineBeforeFound);
        }
        Ok(())
    }

    fn check_open(&self) -> Result<(), RectificationError> {
        if self.closed_on.is_some() {
            Err(RectificationError::Closed)
        } else {
            Ok(())
        }
    }

    /// The unit reports the problem rectified on `on` (申请销号).
    pub fn report_rectified(
        &mut self,
        on: NaiveDate,
        today: NaiveDate,
        evidence: &str,
    ) -> Result<(), RectificationError> {
        self.check_open()?;
        if evidence.trim().is_empty() || self.measures.trim().is_empty() {
            return Err(RectificationError::NoEvidence);
        }
        if on < self.found_on || on > today {
            return Err(RectificationError::BadRectifiedDate);
        }
        self.evidence = evidence.trim().to_string();
        self.rectified_on = Some(on);
        Ok(())
    }

    /// The superior closes a reported problem (销号).
    pub fn close(&mut self, on: NaiveDate, opinion: &str) -> Result<(), RectificationError> {
        self.check_open()?;
        if self.rectified_on.is_none() {
            return Err(RectificationError::NotRectified);
        }
        self.closed_on = Some(on);
        self.opinion = opinion.trim().to_string();
        Ok(())
    }

    /// The superior returns a report: the problem is open again.
    pub fn send_back(&mut self, opinion: &str) -> Result<(), RectificationError> {
        self.check_open()?;
        if self.rectified_on.is_none() {
            return Err(RectificationError::NotRectified);
        }
        if opinion.trim().is_empty() {
            return Err(RectificationError::NoOpinion);
        }
        self.rectified_on = None;
        self.opinion = opinion.trim().to_string();
        Ok(())
    }

    /// 已销号 / 待销号 / 整改中.
    pub fn state_label(&self) -> &'static str {
        match (self.rectified_on, self.closed_on) {
            (_, Some(_)) => "已销号",
            (Some(_), None) => "待上级销号",
            (None, None) => "整改中",
        }
    }

    /// The problem as reasons quote it: at most 30 characters.
    pub fn short_problem(&self) -> String {
        let chars: Vec<char> = self.problem.trim().chars().collect();
        if chars.len() <= 30 {
            chars.iter().collect()
        } else {
            format!("{}…", chars[..30].iter().collect::<String>())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn problem() -> Rectification {
        Rectification {
            id: 1,
            unit_id: 2,
            source: FindingSource::Inspection,
            found_on: d(9, 10),
            problem: "中心组学习研讨不深入".into(),
            measures: "制定研讨计划".into(),
            owner: None,
            deadline: d(10, 31),
            evidence: String::new(),
            rectified_on: None,
            closed_on: None,
            opinion: String::new(),
        }
    }

    #[test]
    fn report_close_and_return() {
        let mut p = problem();
        assert_eq!(p.close(d(11, 1), ""), Err(RectificationError::NotRectified));
        assert_eq!(p.report_rectified(d(10, 20), d(11, 1), " "), Err(RectificationError::NoEvidence));
        assert_eq!(p.report_rectified(d(11, 2), d(11, 1), "学习记录"), Err(RectificationError::BadRectifiedDate));
        p.report_rectified(d(10, 20), d(11, 1), "学习记录").unwrap();
        assert_eq!(p.state_label(), "待上级销号");
        assert_eq!(p.send_back(" "), Err(RectificationError::NoOpinion));
        p.send_back("佐证不足").unwrap();
        assert_eq!((p.rectified_on, p.state_label()), (None, "整改中"));
        p.report_rectified(d(10, 25), d(11, 1), "学习记录、研讨发言").unwrap();
        p.close(d(11, 3), "同意销号").unwrap();
        assert_eq!(p.report_rectified(d(10, 25), d(11, 3), "x"), Err(RectificationError::Closed));
    }

    #[test]
    fn a_deadline_before_the_finding_is_refused() {
        let p = Rectification { deadline: d(9, 1), ..problem() };
        assert_eq!(p.validate(), Err(RectificationError::DeadlineBeforeFound));
        assert_eq!(Rectification { problem: " ".into(), ..problem() }.validate(), Err(RectificationError::NoProblem));
    }
}
