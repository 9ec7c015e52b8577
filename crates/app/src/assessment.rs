//! Shared steps of the assessment pages and API: the live automatic card
//! of a Party group and year (the engine, then the score), loading an
//! assessment with the caller's access checked, applying a step, the
//! superior's ranking and its import of review scores. The rules are
//! `taizhang_core::assessment`.

use crate::view::View;
use crate::App;
use crate::Caller;
use crate::Error;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use taizhang_core::assessment::{
    auto_score, parse_review_csv, rank, Adjustment, Assessment, AutoCard, ReviewScore, Rules, Scorecard, Standing,
    StandingInput, State,
};
use taizhang_core::import::ImportError;
use taizhang_core::org::Unit;
use taizhang_core::period::Period;

/// `?year=2026`; the current year when absent.
#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

impl YearQuery {
    pub fn resolve(&self, app: &App) -> Result<i32, Error> {
        match self.year.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(chrono::Datelike::year(&app.today())),
            Some(t) => parse_year(t),
        }
    }
}

pub fn parse_year(text: &str) -> Result<i32, Error> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| Error::Invalid(format!("考核年度应为四位年份（如 2026）：{text}")))
}

/// A Party group's assessment of a year with everything pages show.
pub struct Loaded {
    pub group: Unit,
    pub assessment: Assessment,
    pub revision: i64,
    /// The card as the engine judges the year today.
    pub live: AutoCard,
    pub rules: Rules,
    /// The app's today, for what may be done now.
    pub today: chrono::NaiveDate,
}

impl Loaded {
    pub fn scorecard(&self) -> Scorecard<'_> {
        self.assessment.scorecard(&self.live)
    }
}

/// One change, by whoever may make it.
#[derive(Debug, Clone)]
pub enum Step {
    Adjust(Adjustment),
    RemoveAdjustment(String),
    Submit,
    /// 重新开放: after the deadline, the superior lets the unit submit up to a day.
    Reopen {
        until: chrono::NaiveDate,
        reason: String,
    },
    /// The superior's scores for some items, then perhaps a decision.
    Review {
        scores: Vec<ReviewScore>,
        decision: Option<Decision>,
    },
}

#[derive(Debug, Clone)]
pub enum Decision {
    Finalise { opinion: String },
    SendBack { opinion: String },
}

/// The live cards and parameters of some Party groups for a year, from
/// the evaluation cache where current.
async fn live_cards(
    app: &App,
    view: &View,
    groups: &[i64],
    year: i32,
) -> Result<(HashMap<i64, Arc<AutoCard>>, HashMap<i64, Rules>), Error> {
    let rules = app.store.assessment_rules_for(groups).await?;
    let summaries = crate::evaluations::summaries(app, view, groups, Period::year(year), Some(&rules)).await?;
    let cards = summaries.into_iter().filter_map(|s| Some((s.group, s.card?))).collect();
    Ok((cards, rules))
}

/// A Party group's whole live card for `year`, every deduction with its
/// reason, and its parameters: scored from the group's whole evaluation
/// (kept for the groups most recently shown), not from the cached scores
/// a ranking reads.
pub async fn live_card(app: &App, view: &View, group: i64, year: i32) -> Result<(Arc<AutoCard>, Rules), Error> {
    let (evaluation, stamp) = crate::evaluations::evaluation_stamped(app, view, group, Period::year(year)).await?;
    let rules = app.store.assessment_rules_for(&[group]).await?.remove(&group).unwrap_or_default();
    let items = app.store.duty_items_for_many(&[group]).await?.remove(&group).unwrap_or_default();
    let card = auto_score(&items, &evaluation, &rules);
    // The dashboard that follows finds the scores.
    crate::evaluations::keep_scores(app, group, year, stamp, &card);
    Ok((Arc::new(card), rules))
}

/// The assessment of the Party group of `unit`, if the caller may see it.
pub async fn load(app: &App, view: &View, caller: &Caller, unit: i64, year: i32) -> Result<Loaded, Error> {
    view.access(caller).require_view(unit)?;
    let group = view.group_of(unit)?.clone();
    let (live, rules) = live_card(app, view, group.id, year).await?;
    let live = Arc::unwrap_or_clone(live);
    let (assessment, revision) = app.store.assessment(group.id, year).await?;
    Ok(Loaded { assessment, revision, live, rules, group, today: app.today() })
}

/// Applies a step after checking who may take it: the unit's own steps
/// need [`crate::access::Access::can_self_assess`], the superior's
/// [`crate::access::Access::can_review_assessment`].
pub async fn apply(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    year: i32,
    revision: Option<i64>,
    step: Step,
) -> Result<Loaded, Error> {
    let loaded = load(app, view, caller, unit, year).await?;
    let access = view.access(caller);
    let group = loaded.group.id;
    let allowed = match step {
        Step::Review { .. } | Step::Reopen { .. } => access.can_review_assessment(group),
        _ => access.can_self_assess(group),
    };
    if !allowed {
        return Err(Error::Forbidden);
    }
    let today = app.today();
    let (live, rules) = (&loaded.live, &loaded.rules);
    let mut w = app.store.begin_write().await?;
    w.change_assessment(&caller.actor(), group, year, revision, |a| match step {
        Step::Adjust(adjustment) => a.adjust(live, adjustment),
        Step::RemoveAdjustment(item) => a.remove_adjustment(&item),
        Step::Submit => a.submit(live.clone(), today, rules),
        Step::Reopen { until, reason } => a.reopen(until, today, &reason),
        Step::Review { scores, decision } => {
            for s in scores {
                a.review(&s.item_id, s.score, &s.opinion)?;
            }
            match decision {
                Some(Decision::Finalise { opinion }) => a.finalise(today, &opinion),
                Some(Decision::SendBack { opinion }) => a.send_back(&opinion),
                None => Ok(()),
            }
        }
    })
    .await?;
    w.commit().await?;
    load(app, view, caller, unit, year).await
}

/// The Party groups under `root` ranked for `year`.
pub async fn ranking(app: &App, view: &View, root: i64, year: i32) -> Result<Vec<Standing>, Error> {
    let groups = view.party_groups_under(root);
    let (cards, rules) = live_cards(app, view, &groups, year).await?;
    let mut written = app.store.assessments_of_year(year).await?;
    let inputs = groups
        .iter()
        .filter_map(|g| {
            let live = cards.get(g)?;
            let (a, _) = written.remove(g).unwrap_or_else(|| (Assessment::new(*g, year), 0));
            let card = a.scorecard(live);
            let submitted = matches!(a.state, State::Submitted | State::Finalised);
            Some(StandingInput {
                unit_id: *g,
                unit_name: view.tree.get(*g).map(|u| u.name.clone()).unwrap_or_default(),
                state: a.state,
                full_marks: rules.get(g).map(|r| r.full_marks).unwrap_or(100),
                max: card.max(),
                auto: card.auto(),
                self_total: submitted.then(|| card.self_total()),
                final_total: card.final_total(),
            })
        })
        .collect();
    Ok(rank(inputs))
}

/// Imports the superior's review scores for `year` under `root`: every
/// line is checked (the unit by name, reviewable by the caller and
/// submitted; the item on its submitted card; the score within its points)
/// before one transaction writes them, one audited change per unit.
pub async fn import_reviews(
    app: &App,
    view: &View,
    caller: &Caller,
    root: i64,
    year: i32,
    text: &str,
) -> Result<Result<usize, Vec<ImportError>>, Error> {
    let access = view.access(caller);
    access.require_view(root)?;
    let groups: Vec<i64> =
        view.party_groups_under(root).into_iter().filter(|g| access.can_review_assessment(*g)).collect();
    if groups.is_empty() {
        return Err(Error::Forbidden);
    }
    let (rows, mut errors) = parse_review_csv(text);
    let mut written = app.store.assessments_of_year(year).await?;
    let mut by_unit: Vec<(i64, i64, Vec<ReviewScore>)> = Vec::new();
    for row in rows {
        let fail = |message: String| ImportError { line: row.line, message };
        let Some(group) = groups.iter().copied().find(|g| view.tree.get(*g).is_some_and(|u| u.name == row.unit)) else {
            errors.push(fail(format!("“{}”不是您可审核的单位", row.unit)));
            continue;
        };
        let Some((a, revision)) = written.get_mut(&group) else {
            errors.push(fail(format!("{}的{year}年度自评尚未提交", row.unit)));
            continue;
        };
        // Checked on a copy, so that every line's own error is found.
        if let Err(e) = a.clone().review(&row.item_id, row.score, &row.opinion) {
            errors.push(fail(e.to_string()));
            continue;
        }
        let score = ReviewScore { item_id: row.item_id, score: row.score, opinion: row.opinion };
        match by_unit.iter_mut().find(|(g, _, _)| *g == group) {
            Some((_, _, scores)) => scores.push(score),
            None => by_unit.push((group, *revision, vec![score])),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    let mut w = app.store.begin_write().await?;
    let mut count = 0;
    for (group, revision, scores) in by_unit {
        count += scores.len();
        w.change_assessment(&caller.actor(), group, year, Some(revision), |a| {
            scores.into_iter().try_for_each(|s| a.review(&s.item_id, s.score, &s.opinion))
        })
        .await?;
    }
    w.commit().await?;
    Ok(Ok(count))
}
