//! The assessment of one unit for one year and its steps: the unit adjusts
//! its self-score item by item (each with a reason and evidence) and
//! submits; the superior scores each item and finalises (审定), or returns
//! it with an opinion. The automatic card is frozen at submission, so the
//! superior reviews, and the ranking keeps, what the unit submitted.

use super::{AutoCard, ItemScore, Rules, Score};
use crate::engine::Status;
use crate::org::UnitId;
use crate::period::chinese_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 未提交: the unit is working on it.
    Draft,
    /// 已提交: with the superior.
    Submitted,
    /// 已退回: back with the unit, with the superior's opinion.
    Returned,
    /// 已审定: final.
    Finalised,
}

impl State {
    pub const ALL: [State; 4] = [State::Draft, State::Submitted, State::Returned, State::Finalised];

    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "未提交",
            State::Submitted => "已提交",
            State::Returned => "已退回",
            State::Finalised => "已审定",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Finalised => "finalised",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the unit may still change its self-assessment.
    pub fn with_unit(self) -> bool {
        matches!(self, State::Draft | State::Returned)
    }
}

/// 自评调整: the unit's change to an item's automatic score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub item_id: String,
    pub delta: Score,
    pub reason: String,
    /// Where the proof is: names of records, documents, ledgers.
    pub evidence: String,
}

/// 审核得分: the superior's score for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewScore {
    pub item_id: String,
    pub score: Score,
    #[serde(default)]
    pub opinion: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub unit_id: UnitId,
    pub year: i32,
    pub state: State,
    pub adjustments: Vec<Adjustment>,
    pub reviews: Vec<ReviewScore>,
    /// The automatic card as submitted; `None` while it is with the unit
    /// (the live card applies).
    pub submitted: Option<AutoCard>,
    pub submitted_on: Option<NaiveDate>,
    pub finalised_on: Option<NaiveDate>,
    /// The superior's opinion on returning or finalising.
    pub opinion: String,
    /// After the deadline, the day up to which the superior reopened
    /// submission (重新开放), if it did.
    #[serde(default)]
    pub reopened_until: Option<NaiveDate>,
    /// Why the superior reopened it last (kept with the reopening).
    #[serde(default)]
    pub reopen_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    #[error("自评已提交上级审核，不能再修改；如需修改，请上级退回")]
    WithSuperior,
    #[error("考核已审定，不能再修改")]
    Finalised,
    #[error("考核表中没有事项“{0}”")]
    UnknownItem(String),
    #[error("调整分值不能为0")]
    ZeroDelta,
    #[error("自评调整须写明理由")]
    NoReason,
    #[error("自评调整须写明佐证材料（记录、文件或台账的名称）")]
    NoEvidence,
    #[error("“{title}”调整后须在0至{points}分之间：自动得分{auto}分，可调整{min}至+{max}分")]
    AdjustmentOutOfRange { title: String, points: Score, auto: Score, min: Score, max: Score },
    #[error("{year}年度自评自{opens}起方可提交")]
    TooEarly { year: i32, opens: String },
    #[error("自评尚未提交，不能审核")]
    NotSubmitted,
    #[error("“{title}”的审核得分须在0至{points}分之间")]
    ReviewOutOfRange { title: String, points: Score },
    #[error("退回须写明意见")]
    NoOpinion,
    #[error("{year}年度自评的提交期限（{deadline}）已过，须由上级重新开放后方可提交")]
    Closed { year: i32, deadline: String },
    #[error("重新开放的期限应在今天（{today}）或以后")]
    ReopenInPast { today: String },
    #[error("只有未提交或已退回的自评可以重新开放")]
    NotReopenable,
    #[error("重新开放须写明理由")]
    NoReopenReason,
}

/// One line of the scorecard: the item and what the unit and the
/// superior made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub item: &'a ItemScore,
    pub adjustment: Option<&'a Adjustment>,
    /// 自评得分: the automatic score plus the adjustment, within 0..=points.
    pub self_score: Score,
    pub review: Option<&'a ReviewScore>,
}

/// The scorecard as people read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard<'a> {
    pub assessment: &'a Assessment,
    /// The frozen card once submitted, the live one before.
    pub card: &'a AutoCard,
    pub lines: Vec<Line<'a>>,
}

impl Scorecard<'_> {
    pub fn max(&self) -> Score {
        self.card.max()
    }

    pub fn auto(&self) -> Score {
        self.card.total()
    }

    pub fn self_total(&self) -> Score {
        self.lines.iter().map(|l| l.self_score).sum()
    }

    /// 审核得分: once every item has one (always after 审定).
    pub fn review_total(&self) -> Option<Score> {
        self.lines.iter().map(|l| l.review.map(|r| r.score)).sum()
    }

    /// 审定得分: the review total once finalised.
    pub fn final_total(&self) -> Option<Score> {
        (self.assessment.state == State::Finalised).then(|| self.review_total()).flatten()
    }
}

impl Assessment {
    /// A unit's assessment before anything is written: 未提交.
    pub fn new(unit_id: UnitId, year: i32) -> Assessment {
        Assessment {
            unit_id,
            year,
            state: State::Draft,
            adjustments: Vec::new(),
            reviews: Vec::new(),
            submitted: None,
            submitted_on: None,
            finalised_on: None,
            opinion: String::new(),
            reopened_until: None,
            reopen_reason: String::new(),
        }
    }

    /// The scorecard: the frozen card once submitted, else `live`.
    pub fn scorecard<'a>(&'a self, live: &'a AutoCard) -> Scorecard<'a> {
        let card = self.submitted.as_ref().unwrap_or(live);
        let lines = card
            .items
            .iter()
            .map(|item| {
                let adjustment = self.adjustment(&item.item_id);
                let delta = adjustment.map(|a| a.delta).unwrap_or_default();
                Line {
                    item,
                    adjustment,
                    self_score: (item.auto + delta).clamp_to(item.points),
                    review: self.reviews.iter().find(|r| r.item_id == item.item_id),
                }
            })
            .collect();
        Scorecard { assessment: self, card, lines }
    }

    pub fn adjustment(&self, item_id: &str) -> Option<&Adjustment> {
        self.adjustments.iter().find(|a| a.item_id == item_id)
    }

    fn check_with_unit(&self) -> Result<(), AssessmentError> {
        match self.state {
            State::Draft | State::Returned => Ok(()),
            State::Submitted => Err(AssessmentError::WithSuperior),
            State::Finalised => Err(AssessmentError::Finalised),
        }
    }

    fn check_submitted(&self) -> Result<&AutoCard, AssessmentError> {
        match (self.state, &self.submitted) {
            (State::Submitted, Some(card)) => Ok(card),
            (State::Finalised, _) => Err(AssessmentError::Finalised),
            _ => Err(AssessmentError::NotSubmitted),
        }
    }

    /// Adds or replaces the adjustment of an item, checked against the
    /// live card: the adjusted score must stay within 0..=points.
    pub fn adjust(&mut self, live: &AutoCard, adjustment: Adjustment) -> Result<(), AssessmentError> {
        self.check_with_unit()?;
        let item =
            live.item(&adjustment.item_id).ok_or_else(|| AssessmentError::UnknownItem(adjustment.item_id.clone()))?;
        if adjustment.delta == Score::ZERO {
            return Err(AssessmentError::ZeroDelta);
        }
        if adjustment.reason.trim().is_empty() {
            return Err(AssessmentError::NoReason);
        }
        if adjustment.evidence.trim().is_empty() {
            return Err(AssessmentError::NoEvidence);
        }
        let adjusted = item.auto + adjustment.delta;
        if adjusted < Score::ZERO || adjusted > item.points {
            return Err(AssessmentError::AdjustmentOutOfRange {
                title: item.title.clone(),
                points: item.points,
                auto: item.auto,
                min: -item.auto,
                max: item.points - item.auto,
            });
        }
        let adjustment = Adjustment {
            reason: adjustment.reason.trim().to_string(),
            evidence: adjustment.evidence.trim().to_string(),
            ..adjustment
        };
        match self.adjustments.iter_mut().find(|a| a.item_id == adjustment.item_id) {
            Some(existing) => *existing = adjustment,
            None => self.adjustments.push(adjustment),
        }
        Ok(())
    }

    pub fn remove_adjustment(&mut self, item_id: &str) -> Result<(), AssessmentError> {
        self.check_with_unit()?;
        let before = self.adjustments.len();
        self.adjustments.retain(|a| a.item_id != item_id);
        if self.adjustments.len() == before {
            return Err(AssessmentError::UnknownItem(item_id.to_string()));
        }
        Ok(())
    }

    /// 提交自评: freezes the live card; not before the window opens.
    pub fn submit(&mut self, live: AutoCard, today: NaiveDate, rules: &Rules) -> Result<(), AssessmentError> {
        self.check_with_unit()?;
        let opens = rules.opens_on(self.year);
        if today < opens {
            return Err(AssessmentError::TooEarly { year: self.year, opens: chinese_date(opens) });
        }
        if !self.open_for_submission(today, rules) {
            let deadline = chinese_date(rules.deadline(self.year));
            return Err(AssessmentError::Closed { year: self.year, deadline });
        }
        self.submitted = Some(live);
        self.submitted_on = Some(today);
        self.state = State::Submitted;
        Ok(())
    }

    /// Whether the unit may submit on `today`: up to the deadline, and after
    /// it while the superior has reopened submission.
    pub fn open_for_submission(&self, today: NaiveDate, rules: &Rules) -> bool {
        today <= rules.deadline(self.year) || self.reopened_until.is_some_and(|until| today <= until)
    }

    /// 重新开放: after the deadline the superior lets the unit submit (again)
    /// up to `until`, with a reason.
    pub fn reopen(&mut self, until: NaiveDate, today: NaiveDate, reason: &str) -> Result<(), AssessmentError> {
        if !self.state.with_unit() {
            return Err(AssessmentError::NotReopenable);
        }
        if until < today {
            return Err(AssessmentError::ReopenInPast { today: chinese_date(today) });
        }
        if reason.trim().is_empty() {
            return Err(AssessmentError::NoReopenReason);
        }
        self.reopened_until = Some(until);
        self.reopen_reason = reason.trim().to_string();
        Ok(())
    }

    /// 审核得分 for an item of the submitted card.
    pub fn review(&mut self, item_id: &str, score: Score, opinion: &str) -> Result<(), AssessmentError> {
        let card = self.check_submitted()?;
        let item = card.item(item_id).ok_or_else(|| AssessmentError::UnknownItem(item_id.to_string()))?;
        if score < Score::ZERO || score > item.points {
            return Err(AssessmentError::ReviewOutOfRange { title: item.title.clone(), points: item.points });
        }
        let review = ReviewScore { item_id: item_id.to_string(), score, opinion: opinion.trim().to_string() };
        match self.reviews.iter_mut().find(|r| r.item_id == item_id) {
            Some(existing) => *existing = review,
            None => self.reviews.push(review),
        }
        Ok(())
    }

    /// 审定: every item the superior did not score keeps its self-score.
    pub fn finalise(&mut self, today: NaiveDate, opinion: &str) -> Result<(), AssessmentError> {
        let card = self.check_submitted()?.clone();
        let unscored: Vec<ReviewScore> = self
            .scorecard(&card)
            .lines
            .iter()
            .filter(|l| l.review.is_none())
            .map(|l| ReviewScore { item_id: l.item.item_id.clone(), score: l.self_score, opinion: String::new() })
            .collect();
        self.reviews.extend(unscored);
        self.state = State::Finalised;
        self.finalised_on = Some(today);
        self.opinion = opinion.trim().to_string();
        Ok(())
    }

    /// What the unit must do about its submission, if anything, on `today`:
    /// a returned assessment, or one not submitted when the deadline is
    /// near (due soon) or past (overdue). The sentence names the deadline.
    pub fn gap(&self, rules: &Rules, today: NaiveDate) -> Option<(Status, String)> {
        let deadline = rules.deadline(self.year);
        let days = (deadline - today).num_days();
        let status = if days < 0 { Status::Overdue } else { Status::DueSoon };
        let what = format!("{}年度意识形态工作责任制考核自评", self.year);
        let by = chinese_date(deadline);
        let reopened = self.reopened_until.filter(|until| *until >= today).map(chinese_date);
        match self.state {
            State::Returned if days < 0 => Some((
                status,
                match reopened {
                    Some(until) => {
                        format!(
                            "{what}已被上级退回（意见：{}），上级已重新开放至{until}，请修改后在此前重新提交",
                            self.opinion
                        )
                    }
                    None => format!(
                        "{what}已被上级退回（意见：{}），提交期限{by}已过，须请上级重新开放后再提交",
                        self.opinion
                    ),
                },
            )),
            State::Returned => {
                Some((status, format!("{what}已被上级退回（意见：{}），请修改后于{by}前重新提交", self.opinion)))
            }
            State::Draft if days < 0 => Some((
                status,
                match reopened {
                    Some(until) => format!("{what}应于{by}前提交，已逾期{}天；上级已重新开放至{until}", -days),
                    None => format!("{what}应于{by}前提交，已逾期{}天未提交，须请上级重新开放后再提交", -days),
                },
            )),
            State::Draft if days <= i64::from(rules.remind_days) => {
                Some((status, format!("{what}须于{by}前提交（剩{days}天）")))
            }
            _ => None,
        }
    }

    /// 退回: back to the unit, which sees the live card again.
    pub fn send_back(&mut self, opinion: &str) -> Result<(), AssessmentError> {
        self.check_submitted()?;
        if opinion.trim().is_empty() {
            return Err(AssessmentError::NoOpinion);
        }
        self.state = State::Returned;
        self.submitted = None;
        self.submitted_on = None;
        self.opinion = opinion.trim().to_string();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Deduction;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn s(text: &str) -> Score {
        Score::parse(text).unwrap()
    }

    fn card(late_h1: bool) -> AutoCard {
        let lost = Deduction {
            status: Status::Late,
            period: Some("2025H1".into()),
            reason: "2025年上半年意识形态工作专题报告逾期12天报送".into(),
            how: "该期分值5分，逾期完成扣50%".into(),
            points: s("2.5"),
        };
        let item = |id: &str, points: u32, deductions: Vec<Deduction>| ItemScore {
            item_id: id.into(),
            title: format!("事项{id}"),
            category: "类别".into(),
            points: Score::points(points),
            auto: Score::points(points) - deductions.iter().map(|x| x.points).sum(),
            deductions,
            running: false,
            note: String::new(),
        };
        AutoCard {
            year: 2025,
            as_of: d(2026, 1, 10),
            items: vec![item("report", 10, if late_h1 { vec![lost] } else { vec![] }), item("study", 5, vec![])],
        }
    }

    fn adjustment(item: &str, delta: &str) -> Adjustment {
        Adjustment { item_id: item.into(), delta: s(delta), reason: "理由".into(), evidence: "《台账》".into() }
    }

    #[test]
    fn adjustments_need_reason_evidence_and_stay_in_range() {
        let live = card(true);
        let mut a = Assessment::new(1, 2025);
        let blank = Adjustment { reason: " ".into(), ..adjustment("report", "1") };
        assert_eq!(a.adjust(&live, blank), Err(AssessmentError::NoReason));
        let no_proof = Adjustment { evidence: "".into(), ..adjustment("report", "1") };
        assert_eq!(a.adjust(&live, no_proof), Err(AssessmentError::NoEvidence));
        assert_eq!(a.adjust(&live, adjustment("report", "0")), Err(AssessmentError::ZeroDelta));
        assert_eq!(a.adjust(&live, adjustment("nope", "1")), Err(AssessmentError::UnknownItem("nope".into())));
        let too_much = a.adjust(&live, adjustment("report", "3")).unwrap_err();
        assert_eq!(too_much.to_string(), "“事项report”调整后须在0至10分之间：自动得分7.5分，可调整-7.5至+2.5分");
        a.adjust(&live, adjustment("report", "2.5")).unwrap();
        a.adjust(&live, adjustment("report", "1")).unwrap();
        a.adjust(&live, adjustment("study", "-1")).unwrap();
        assert_eq!(a.adjustments.len(), 2, "one adjustment per item, the latest");
        let sc = a.scorecard(&live);
        assert_eq!((sc.auto(), sc.self_total(), sc.review_total()), (s("12.5"), s("12.5"), None));
        assert_eq!(sc.lines[0].self_score, s("8.5"));
        a.remove_adjustment("study").unwrap();
        assert!(a.remove_adjustment("study").is_err());
    }

    #[test]
    fn submission_freezes_the_card_and_waits_for_the_window() {
        let rules = Rules::default();
        let mut a = Assessment::new(1, 2025);
        let err = a.submit(card(true), d(2025, 11, 30), &rules).unwrap_err();
        assert_eq!(err.to_string(), "2025年度自评自2025年12月1日起方可提交");
        a.submit(card(true), d(2026, 1, 10), &rules).unwrap();
        assert_eq!((a.state, a.submitted_on), (State::Submitted, Some(d(2026, 1, 10))));
        // A live card that changed later does not change what was submitted.
        let later = card(false);
        assert_eq!(a.scorecard(&later).auto(), s("12.5"));
        assert_eq!(a.adjust(&later, adjustment("report", "1")), Err(AssessmentError::WithSuperior));
        assert_eq!(a.submit(later, d(2026, 1, 11), &rules), Err(AssessmentError::WithSuperior));
    }

    #[test]
    fn the_superior_reviews_returns_and_finalises() {
        let rules = Rules::default();
        let mut a = Assessment::new(1, 2025);
        assert_eq!(a.review("report", s("8"), ""), Err(AssessmentError::NotSubmitted));
        a.adjust(&card(true), adjustment("report", "2.5")).unwrap();
        a.submit(card(true), d(2026, 1, 10), &rules).unwrap();
        assert!(matches!(a.review("report", s("10.5"), ""), Err(AssessmentError::ReviewOutOfRange { .. })));
        a.review("report", s("8"), "报告逾期，扣2分").unwrap();
        assert_eq!(a.send_back(" "), Err(AssessmentError::NoOpinion));
        a.send_back("佐证材料不具体").unwrap();
        assert_eq!((a.state, a.submitted.is_none(), a.opinion.as_str()), (State::Returned, true, "佐证材料不具体"));
        a.adjust(&card(true), adjustment("report", "2")).unwrap();
        a.submit(card(true), d(2026, 1, 14), &rules).unwrap();
        a.finalise(d(2026, 1, 20), "同意").unwrap();
        let later = card(false);
        let sc = a.scorecard(&later);
        // The unreviewed item keeps its self-score; the reviewed one its review.
        assert_eq!(sc.lines[1].review.map(|r| r.score), Some(s("5")));
        assert_eq!((sc.self_total(), sc.final_total()), (s("14.5"), Some(s("13"))));
        assert_eq!(a.review("report", s("9"), ""), Err(AssessmentError::Finalised));
        assert_eq!(a.send_back("再改"), Err(AssessmentError::Finalised));
        assert_eq!(a.remove_adjustment("report"), Err(AssessmentError::Finalised));
    }

    #[test]
    fn after_the_deadline_only_a_reopened_assessment_is_submitted() {
        let rules = Rules::default();
        let mut a = Assessment::new(1, 2025);
        a.submit(card(false), d(2026, 1, 10), &rules).unwrap();
        a.send_back("佐证不具体").unwrap();
        // The deadline (15 January) passes before the unit resubmits.
        let late = d(2026, 3, 2);
        assert_eq!(
            a.submit(card(false), late, &rules),
            Err(AssessmentError::Closed { year: 2025, deadline: "2026年1月15日".into() })
        );
        assert!(a.gap(&rules, late).unwrap().1.contains("须请上级重新开放后再提交"));
        assert_eq!(
            a.reopen(d(2026, 3, 1), late, "补充佐证"),
            Err(AssessmentError::ReopenInPast { today: "2026年3月2日".into() })
        );
        assert_eq!(a.reopen(d(2026, 3, 9), late, " "), Err(AssessmentError::NoReopenReason));
        a.reopen(d(2026, 3, 9), late, "同意补充佐证后重新提交").unwrap();
        assert!(a.gap(&rules, late).unwrap().1.contains("上级已重新开放至2026年3月9日"));
        assert!(a.submit(card(false), d(2026, 3, 10), &rules).is_err(), "not after the reopened date");
        a.submit(card(false), d(2026, 3, 9), &rules).unwrap();
        assert_eq!(
            a.reopen(d(2026, 3, 20), late, "再改"),
            Err(AssessmentError::NotReopenable),
            "it is with the superior"
        );
    }

    #[test]
    fn the_submission_deadline_is_a_gap_until_submitted() {
        let rules = Rules::default();
        let mut a = Assessment::new(1, 2025);
        assert_eq!(a.gap(&rules, d(2025, 12, 30)), None, "more than 15 days before 15 January");
        let (status, text) = a.gap(&rules, d(2026, 1, 5)).unwrap();
        assert_eq!(
            (status, text.as_str()),
            (Status::DueSoon, "2025年度意识形态工作责任制考核自评须于2026年1月15日前提交（剩10天）")
        );
        let (status, text) = a.gap(&rules, d(2026, 1, 20)).unwrap();
        assert_eq!(
            (status, text.as_str()),
            (
                Status::Overdue,
                "2025年度意识形态工作责任制考核自评应于2026年1月15日前提交，已逾期5天未提交，须请上级重新开放后再提交"
            )
        );
        a.submit(card(false), d(2026, 1, 10), &rules).unwrap();
        assert_eq!(a.gap(&rules, d(2026, 1, 20)), None, "with the superior");
        a.send_back("佐证不具体").unwrap();
        let (status, text) = a.gap(&rules, d(2026, 1, 12)).unwrap();
        assert_eq!(status, Status::DueSoon);
        assert!(text.contains("已被上级退回（意见：佐证不具体），请修改后于2026年1月15日前重新提交"), "{text}");
        assert_eq!(a.gap(&rules, d(2026, 11, 23)).unwrap().0, Status::Overdue);
    }

    #[test]
    fn states_round_trip() {
        for st in State::ALL {
            assert_eq!(State::parse(st.code()), Some(st));
        }
        assert!(State::Returned.with_unit() && !State::Submitted.with_unit());
    }
}
