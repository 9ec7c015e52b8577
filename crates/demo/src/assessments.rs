//! The demo's 2025 annual assessment (考核), gone through the real steps.
//!
//! The demo's records start in December 2025, when the units began to use
//! the system: the engine finds most of 2025 undone, and the automatic
//! score says so. Each unit therefore adjusts every item that lost points
//! by what it lost, stating that the work of January–November is in its
//! paper ledgers and naming them, and submits in January 2026. The
//! superior (县委宣传部's 副部长) reviews: 县民政局党组 and 县水利局党委 are
//! finalised with a few points taken off; 县残联党组 named only “纸质台账”
//! as evidence and was returned — the realistic gap, shown on its
//! dashboard. 2026 is left unsubmitted: its window opens in December.
//!
//! Written after the demo's main transaction, since the engine reads
//! committed records.

use crate::org::{GroupSpec, GROUPS, ROOT_PEOPLE};
use chrono::NaiveDate;
use taizhang_core::assessment::{auto_score, Adjustment, AutoCard, Rules, Score};
use taizhang_core::engine::evaluate;
use taizhang_core::Period;
use taizhang_store::{Actor, Store, StoreError, WriteTx};

/// The assessed year.
pub const YEAR: i32 = 2025;

/// The demo unit whose 2025 self-assessment was returned.
pub const RETURNED_UNIT: &str = crate::org::CANLIAN;

/// The day 县委宣传部 reopened the returned 2025 self-assessment until.
const REOPENED_UNTIL: NaiveDate = match NaiveDate::from_ymd_opt(2026, 12, 7) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The superior's opinion when it returned [`RETURNED_UNIT`]'s assessment.
pub const RETURN_OPINION: &str = "自评调整的佐证材料只写了“纸质台账”，请逐项写明台账名称及起止页码后重新提交";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a valid demo date")
}

/// What the superior did with a submitted assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Finalised(NaiveDate),
    /// Returned, then reopened for resubmission until [`REOPENED_UNTIL`].
    Returned,
    /// Not reviewed yet.
    Submitted,
}

/// What happened to one unit's assessment.
pub(crate) struct Course {
    pub submitted_on: NaiveDate,
    /// Evidence named with each adjustment; `false`: only “纸质台账”.
    pub ledgers: bool,
    /// The superior's scores below the self-score: (item, points off, opinion).
    pub cuts: &'static [(&'static str, &'static str, &'static str)],
    pub outcome: Outcome,
}

/// Cuts the superior may make after checking paper ledgers.
pub(crate) const CUTS: [&[(&str, &str, &str)]; 3] = [
    &[
        ("branch-committee", "0.5", "抽查纸质台账：机关第二党支部2025年6月支委会记录无考勤"),
        ("risk-ledger", "1", "2025年第二季度风险隐患台账复核记录无分管领导签字"),
    ],
    &[("quarterly-analysis", "2.5", "纸质台账中未见2025年第二季度分析研判报告")],
    &[],
];

fn courses() -> [(&'static str, Course); 3] {
    [
        (
            crate::org::MINZHENG,
            Course {
                submitted_on: d(2026, 1, 9),
                ledgers: true,
                cuts: CUTS[0],
                outcome: Outcome::Finalised(d(2026, 1, 23)),
            },
        ),
        (
            crate::org::SHUILI,
            Course {
                submitted_on: d(2026, 1, 13),
                ledgers: true,
                cuts: CUTS[1],
                outcome: Outcome::Finalised(d(2026, 1, 23)),
            },
        ),
        (
            crate::org::CANLIAN,
            Course { submitted_on: d(2026, 1, 14), ledgers: false, cuts: CUTS[2], outcome: Outcome::Returned },
        ),
    ]
}

fn spec(name: &str) -> Result<&'static GroupSpec, StoreError> {
    GROUPS.iter().find(|g| g.name == name).ok_or_else(|| StoreError::Invalid(format!("演示数据缺少单位：{name}")))
}

/// The unit assessed and who acts on its assessment.
pub(crate) struct Cast<'a> {
    pub unit: i64,
    /// The unit's short name, for naming its paper ledgers.
    pub short: &'a str,
    pub secretary: Actor,
    pub reviewer: Actor,
}

/// The unit adjusts every item that lost points and submits its 2025
/// self-assessment; the superior then reviews it as `course` says.
pub(crate) async fn assess(
    w: &mut WriteTx<'_>,
    cast: &Cast<'_>,
    card: &AutoCard,
    rules: &Rules,
    course: &Course,
) -> Result<(), StoreError> {
    let unit = cast.unit;
    w.change_assessment(&cast.secretary, unit, YEAR, Some(0), |a| {
        for item in card.items.iter().filter(|i| i.auto < i.points) {
            let evidence = if course.ledgers {
                format!("《{}2025年{}台账》（纸质）1—11月记录", cast.short, item.category)
            } else {
                "纸质台账".to_string()
            };
            let reason = "2025年1—11月的工作在本系统启用（2025年12月）前开展，记录在纸质台账中，系统未计入".into();
            a.adjust(
                card,
                Adjustment { item_id: item.item_id.clone(), delta: item.points - item.auto, reason, evidence },
            )?;
        }
        a.submit(card.clone(), course.submitted_on, rules)
    })
    .await?;
    if course.outcome == Outcome::Submitted {
        return Ok(());
    }
    w.change_assessment(&cast.reviewer, unit, YEAR, Some(1), |a| {
        let self_scores = a.scorecard(card);
        let cut: Vec<(String, Score, &str)> = course
            .cuts
            .iter()
            .filter_map(|(item, off, opinion)| {
                let line = self_scores.lines.iter().find(|l| l.item.item_id == *item)?;
                Some((item.to_string(), line.self_score - Score::parse(off)?, *opinion))
            })
            .collect();
        for (item, score, opinion) in cut {
            a.review(&item, score, opinion)?;
        }
        match course.outcome {
            Outcome::Finalised(day) => a.finalise(day, "经审核，同意自评结果，个别事项按抽查情况扣分"),
            _ => a.send_back(RETURN_OPINION),
        }
    })
    .await?;
    if course.outcome == Outcome::Returned {
        // Returned after the deadline: the superior reopens submission
        // for two weeks, or the unit could not resubmit at all.
        w.change_assessment(&cast.reviewer, unit, YEAR, Some(2), |a| {
            a.reopen(REOPENED_UNTIL, crate::demo_today(), "退回修改，同意补充佐证材料后重新提交")
        })
        .await?;
    }
    Ok(())
}

pub(crate) async fn seed(store: &Store) -> Result<(), StoreError> {
    let org = store.org().await?;
    let person = |name: &str| {
        org.people
            .iter()
            .find(|p| p.name == name)
            .map(|p| Actor { person_id: Some(p.id), name: p.name.clone() })
            .ok_or_else(|| StoreError::Invalid(format!("演示数据缺少人员：{name}")))
    };
    let reviewer = person(ROOT_PEOPLE[2].name)?;
    let period = Period::year(YEAR);
    let mut w = store.begin_write().await?;
    for (name, course) in courses() {
        let g = spec(name)?;
        let unit = org.units.iter().find(|u| u.name == g.name).map(|u| u.id);
        let unit = unit.ok_or_else(|| StoreError::Invalid(format!("演示数据缺少单位：{}", g.name)))?;
        let inputs = store.evaluation_inputs(&[unit], period).await?;
        let rules = store.assessment_rules_for(&[unit]).await?.remove(&unit).unwrap_or_default();
        let input = &inputs.groups[0];
        let evaluation = evaluate(&input.items, &input.context(), period, course.submitted_on);
        let card = auto_score(&input.items, &evaluation, &rules);
        let people = Cast { unit, short: g.short, secretary: person(g.secretary.name)?, reviewer: reviewer.clone() };
        assess(&mut w, &people, &card, &rules, &course).await?;
    }
    w.commit().await
}
