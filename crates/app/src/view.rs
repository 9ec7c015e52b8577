//! Shared steps of pages and API: loading the organisation, checking
//! access, choosing the period and running the engine.

use crate::access::Access;
use crate::App;
use crate::Caller;
use crate::Error;
use chrono::NaiveDate;
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use taizhang_core::engine::{evaluate, evaluate_many, rollup, Evaluation, RollupRow};
use taizhang_core::org::{Person, Unit, UnitKind, UnitTree};
use taizhang_core::period::Period;
use taizhang_store::{party_groups_under, EvaluationInputs, Org};

/// The organisation as one request sees it.
pub struct View {
    pub org: Org,
    pub tree: UnitTree,
}

/// The last organisation loaded, with the audit position it was loaded at.
/// The organisation changes only by audited writes, so while the audit
/// log's last id is the same the snapshot is current: a request asks the
/// database one indexed question instead of reading every unit, person,
/// role and channel. Each app server keeps its own; a write through any of
/// them moves the audit position for all.
#[derive(Clone, Default)]
pub struct OrgCache(Arc<Mutex<Option<Snapshot>>>);

/// A snapshot and the audit position it was read at.
type Snapshot = (i64, Arc<View>);

impl std::fmt::Debug for OrgCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OrgCache")
    }
}

impl View {
    /// The current organisation, from the cache when nothing was written
    /// since it was loaded.
    pub async fn load(app: &App) -> Result<Arc<View>, Error> {
        let position = app.store.audit_position().await?;
        let cached = app.org_cache.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((_, view)) = cached.filter(|(at, _)| *at == position) {
            return Ok(view);
        }
        // Read after the position: the snapshot is at least as new as it.
        let org = app.store.org().await?;
        let tree = org.tree();
        let view = Arc::new(View { org, tree });
        *app.org_cache.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((position, view.clone()));
        Ok(view)
    }

    pub fn access<'a>(&'a self, caller: &'a Caller) -> Access<'a> {
        Access::new(&caller.roles, &self.tree)
    }

    pub fn unit(&self, id: i64) -> Result<&Unit, Error> {
        self.tree.get(id).ok_or_else(|| Error::NotFound(format!("没有编号为{id}的单位")))
    }

    /// The Party group a unit belongs to (itself if it is one).
    pub fn group_of(&self, id: i64) -> Result<&Unit, Error> {
        self.tree.party_group_of(id).ok_or_else(|| Error::NotFound("该单位不属于任何党组（党委）".into()))
    }

    /// The people of a Party group: those of its own units and branches.
    pub fn people_of(&self, group: i64) -> Vec<&Person> {
        self.org.people.iter().filter(|p| self.tree.is_within(p.unit_id, group)).collect()
    }

    pub fn person(&self, id: i64) -> Result<&Person, Error> {
        self.org.person(id).ok_or_else(|| Error::NotFound(format!("没有编号为{id}的人员")))
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
    pub fn resolve(&self, app: &App) -> Result<Period, Error> {
        let text = self.period.as_deref().or(self.year.as_deref()).filter(|t| !t.trim().is_empty());
        match text {
            Some(t) => Period::parse(t).map_err(|e| Error::Invalid(e.to_string())),
            None => Ok(Period::year(chrono::Datelike::year(&app.today()))),
        }
    }
}

/// The engine's inputs for some Party groups and a period, with the app's
/// feedback time limits and clock (the register's limits run in hours).
pub async fn load_inputs(
    app: &App,
    groups: &[i64],
    period: Period,
) -> Result<EvaluationInputs, taizhang_store::StoreError> {
    let mut inputs = app.store.evaluation_inputs(groups, period).await?;
    let now = app.now();
    for g in &mut inputs.groups {
        g.feedback.limits = app.feedback_limits.clone();
        g.feedback.now = Some(now);
    }
    Ok(inputs)
}

pub async fn evaluate_group(app: &App, group: i64, period: Period) -> Result<Evaluation, Error> {
    let inputs = load_inputs(app, &[group], period).await?;
    let g = inputs.groups.first().ok_or_else(|| Error::NotFound("该单位不是党组（党委），没有责任清单".into()))?;
    Ok(evaluate(&g.items, &g.context(&inputs.org), period, app.today()))
}

pub async fn rollup_under(
    app: &App,
    view: &View,
    root: i64,
    period: Period,
) -> Result<(Vec<String>, Vec<RollupRow>), Error> {
    let groups = party_groups_under(&view.org, root);
    let inputs = load_inputs(app, &groups, period).await?;
    Ok(rollup(&evaluate_inputs(&inputs, period, app.today())))
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

/// What a route's `{id}` names: a unit itself, or an item kept by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Unit,
    Record,
    Risk,
    Draft,
    Channel,
    Rectification,
    Feedback,
    News,
    Attachment,
}

impl View {
    /// The unit that keeps the item `id` of kind `owner`, so that one rule
    /// about the unit decides who may use a route about the item.
    pub async fn unit_of(&self, app: &App, owner: Owner, id: i64) -> Result<i64, Error> {
        let missing = || Error::NotFound(format!("没有编号为{id}的{}", owner.label()));
        let unit = match owner {
            Owner::Unit => self.tree.get(id).map(|u| u.id),
            Owner::Channel => self.org.channels.iter().find(|c| c.id == id).map(|c| c.unit_id),
            // A voided record still belongs to its unit (its page shows it).
            Owner::Record => app.store.record_with_void(id).await?.map(|(r, _, _)| r.unit_id),
            Owner::Risk => app.store.risk(id).await?.map(|r| r.unit_id),
            Owner::Draft => app.store.draft(id).await?.map(|d| d.unit_id),
            Owner::Rectification => app.store.rectification(id).await?.map(|(r, _)| r.unit_id),
            Owner::Feedback => app.store.feedback_item(id).await?.map(|f| f.unit_id),
            Owner::News => app.store.news_submission(id).await?.map(|(s, _)| s.unit_id),
            Owner::Attachment => app.store.attachment(id).await?.map(|a| a.unit_id),
        };
        unit.ok_or_else(missing)
    }
}

impl Owner {
    fn label(self) -> &'static str {
        match self {
            Owner::Unit => "单位",
            Owner::Record => "记录",
            Owner::Risk => "风险点",
            Owner::Draft => "稿件",
            Owner::Channel => "宣传阵地",
            Owner::Rectification => "整改问题",
            Owner::Feedback => "舆情与诉求",
            Owner::News => "报送信息",
            Owner::Attachment => "文件",
        }
    }
}
