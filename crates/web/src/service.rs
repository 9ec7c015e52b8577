//! Shared steps of pages and API: loading the organisation, checking
//! access, choosing the period and running the engine.

use crate::access::Access;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;
use serde::Deserialize;
use taizhang_core::engine::{evaluate, evaluate_many, rollup, Evaluation, RollupRow};
use taizhang_core::org::{Person, Unit, UnitKind, UnitTree};
use taizhang_core::period::Period;
use taizhang_store::{party_groups_under, EvaluationInputs, Org};

/// The organisation as one request sees it.
pub struct View {
    pub org: Org,
    pub tree: UnitTree,
}

impl View {
    pub async fn load(state: &AppState) -> Result<View, AppError> {
        let org = state.store.org().await?;
        let tree = org.tree();
        Ok(View { org, tree })
    }

    pub fn access<'a>(&'a self, user: &'a CurrentUser) -> Access<'a> {
        Access::new(&user.roles, &self.tree)
    }

    pub fn unit(&self, id: i64) -> Result<&Unit, AppError> {
        self.tree.get(id).ok_or_else(|| AppError::NotFound(format!("没有编号为{id}的单位")))
    }

    /// The Party group a unit belongs to (itself if it is one).
    pub fn group_of(&self, id: i64) -> Result<&Unit, AppError> {
        self.tree.party_group_of(id).ok_or_else(|| AppError::NotFound("该单位不属于任何党组（党委）".into()))
    }

    /// The people of a Party group: those of its own units and branches.
    pub fn people_of(&self, group: i64) -> Vec<&Person> {
        self.org.people.iter().filter(|p| self.tree.is_within(p.unit_id, group)).collect()
    }

    /// A person's name; empty when the id is absent or names nobody.
    pub fn person_name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.org.person(id)).map(|p| p.name.clone()).unwrap_or_default()
    }

    /// A Party group and its branches: where records of the group may go.
    pub fn record_units(&self, group: i64) -> Vec<&Unit> {
        self.tree
            .subtree(group)
            .into_iter()
            .filter(|u| matches!(u.kind, UnitKind::PartyGroup | UnitKind::Branch))
            .collect()
    }
}

/// `?year=2026` or `?period=2026H1`; defaults to the current year.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    pub year: Option<String>,
    pub period: Option<String>,
}

impl PeriodQuery {
    pub fn resolve(&self, state: &AppState) -> Result<Period, AppError> {
        let text = self.period.as_deref().or(self.year.as_deref()).filter(|t| !t.trim().is_empty());
        match text {
            Some(t) => Period::parse(t).map_err(|e| AppError::BadRequest(e.to_string())),
            None => Ok(Period::year(chrono::Datelike::year(&state.today()))),
        }
    }
}

pub async fn evaluate_group(state: &AppState, group: i64, period: Period) -> Result<Evaluation, AppError> {
    let inputs = state.store.evaluation_inputs(&[group], period).await?;
    let g = inputs.groups.first().ok_or_else(|| AppError::NotFound("该单位不是党组（党委），没有责任清单".into()))?;
    Ok(evaluate(&g.items, &g.context(&inputs.org), period, state.today()))
}

pub async fn rollup_under(
    state: &AppState,
    view: &View,
    root: i64,
    period: Period,
) -> Result<(Vec<String>, Vec<RollupRow>), AppError> {
    let groups = party_groups_under(&view.org, root);
    let inputs = state.store.evaluation_inputs(&groups, period).await?;
    Ok(rollup(&evaluate_inputs(&inputs, period, state.today())))
}

/// Evaluates every Party group of `inputs`, in the order loaded; over the
/// available cores when they share one list. Units may have adopted
/// different lists: then each is evaluated with its own.
pub fn evaluate_inputs(inputs: &EvaluationInputs, period: Period, today: NaiveDate) -> Vec<Evaluation> {
    if inputs.groups.windows(2).all(|w| w[0].items == w[1].items) {
        let contexts: Vec<_> = inputs.groups.iter().map(|g| g.context(&inputs.org)).collect();
        let items = inputs.groups.first().map(|g| g.items.as_slice()).unwrap_or(&[]);
        evaluate_many(items, &contexts, period, today)
    } else {
        inputs.groups.iter().map(|g| evaluate(&g.items, &g.context(&inputs.org), period, today)).collect()
    }
}
