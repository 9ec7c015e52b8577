//! The superior's ranking of its units for a year: by the 审定得分 where
//! the assessment is finalised, otherwise by the automatic score — each
//! row says which — both converted to 百分制 so lists of different totals
//! compare.

use super::{Score, State};
use crate::org::UnitId;
use serde::Serialize;

/// What a unit is ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBasis {
    /// 审定得分.
    Final,
    /// 自动得分（未审定）.
    Automatic,
}

impl RankBasis {
    pub fn label(self) -> &'static str {
        match self {
            RankBasis::Final => "审定得分",
            RankBasis::Automatic => "自动得分（未审定）",
        }
    }
}

/// One unit's totals, as the caller worked them out from its scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct StandingInput {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub state: State,
    pub full_marks: u32,
    pub max: Score,
    pub auto: Score,
    /// Once submitted.
    pub self_total: Option<Score>,
    /// Once finalised.
    pub final_total: Option<Score>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// 1-based; units with equal scores share a rank (1, 1, 3).
    pub rank: usize,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub state: State,
    pub state_label: &'static str,
    pub max: Score,
    pub auto: Score,
    pub self_total: Option<Score>,
    pub final_total: Option<Score>,
    pub basis: RankBasis,
    pub basis_label: &'static str,
    /// The score ranked by, in 百分制.
    pub score: Score,
}

pub fn rank(inputs: Vec<StandingInput>) -> Vec<Standing> {
    let mut rows: Vec<Standing> = inputs
        .into_iter()
        .map(|i| {
            let (basis, total) = match i.final_total {
                Some(t) => (RankBasis::Final, t),
                None => (RankBasis::Automatic, i.auto),
            };
            Standing {
                rank: 0,
                unit_id: i.unit_id,
                unit_name: i.unit_name,
                state: i.state,
                state_label: i.state.label(),
                max: i.max,
                auto: i.auto,
                self_total: i.self_total,
                final_total: i.final_total,
                basis,
                basis_label: basis.label(),
                score: total.scaled(i.max, i.full_marks),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.unit_name.cmp(&b.unit_name)));
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].score == rows[i - 1].score { rows[i - 1].rank } else { i + 1 };
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: i64, name: &str, auto: &str, final_total: Option<&str>) -> StandingInput {
        StandingInput {
            unit_id: id,
            unit_name: name.into(),
            state: if final_total.is_some() { State::Finalised } else { State::Draft },
            full_marks: 100,
            max: Score::points(101),
            auto: Score::parse(auto).unwrap(),
            self_total: None,
            final_total: final_total.map(|t| Score::parse(t).unwrap()),
        }
    }

    #[test]
    fn final_scores_where_finalised_else_automatic_ties_share_a_rank() {
        let rows = rank(vec![
            input(1, "甲", "60", Some("90.9")),
            input(2, "乙", "95.95", None),
            input(3, "丙", "70", Some("90.9")),
            input(4, "丁", "50", None),
        ]);
        let got: Vec<(usize, &str, RankBasis, String)> =
            rows.iter().map(|r| (r.rank, r.unit_name.as_str(), r.basis, r.score.to_string())).collect();
        assert_eq!(
            got,
            [
                (1, "乙", RankBasis::Automatic, "95".to_string()),
                (2, "丙", RankBasis::Final, "90".to_string()),
                (2, "甲", RankBasis::Final, "90".to_string()),
                (4, "丁", RankBasis::Automatic, "49.5".to_string()),
            ]
        );
        assert_eq!(rows[0].basis_label, "自动得分（未审定）");
    }
}
