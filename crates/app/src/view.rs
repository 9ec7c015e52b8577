//! Shared steps of pages and API: loading the organisation, checking
//! access, choosing the period and running the engine.

use crate::access::Access;
use crate::App;
use crate::Caller;
use crate::Error;
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use taizhang_core::engine::{combine, Evaluation, RollupRow};
use taizhang_core::org::{Person, Unit, UnitKind, UnitTree};
use taizhang_core::period::Period;
use taizhang_store::{EvaluationInputs, Org};

/// The organisation as one request sees it.
pub struct View {
    pub org: Arc<Org>,
    pub tree: UnitTree,
    /// The organisation's data version it was read at (see
    /// `taizhang_store::ORGANISATION`): what cached evaluations made with
    /// it are stamped with.
    pub version: i64,
}

/// The last organisation loaded, with the version it was loaded at. The
/// organisation changes only by audited writes, each of which moves the
/// organisation's version in the same transaction when it touches units,
/// people, roles, channels or duty lists; while the version is the same
/// the snapshot is current, so a request asks the database one indexed
/// question instead of reading every unit, person, role and channel. Each
/// app server keeps its own; a write through any of them moves the
/// version for all.
#[derive(Clone, Default)]
pub struct OrgCache(Arc<Mutex<Option<Arc<View>>>>);

impl std::fmt::Debug for OrgCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OrgCache")
    }
}

impl View {
    /// The current organisation, from the cache when nothing in it was
    /// written since it was loaded.
    pub async fn load(app: &App) -> Result<Arc<View>, Error> {
        let version = app.store.organisation_version().await?;
        let cached = app.org_cache.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(view) = cached.filter(|v| v.version == version) {
            return Ok(view);
        }
        // Read after the version: the snapshot is at least as new as it.
        let org = Arc::new(app.store.org().await?);
        let tree = org.tree();
        let view = Arc::new(View { org, tree, version });
        *app.org_cache.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(view.clone());
        Ok(view)
    }

    /// The Party groups within `root`'s subtree, in tree order.
    pub fn party_groups_under(&self, root: i64) -> Vec<i64> {
        taizhang_store::party_groups_in(&self.tree, root)
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
    let inputs = app.store.evaluation_inputs(groups, period).await?;
    Ok(with_clock(app, inputs))
}

/// [`load_inputs`] with the organisation of `view`, already read.
pub async fn load_inputs_in(
    app: &App,
    view: &View,
    groups: &[i64],
    period: Period,
) -> Result<EvaluationInputs, taizhang_store::StoreError> {
    let inputs = app.store.evaluation_inputs_in(view.org.clone(), &view.tree, groups, period).await?;
    Ok(with_clock(app, inputs))
}

/// The inputs of these Party groups with their records still packed (see
/// [`taizhang_store::PackedInputs`]); [`Clock::set`] finishes them.
pub async fn load_packed_inputs_in(
    app: &App,
    view: &View,
    groups: &[i64],
    period: Period,
) -> Result<taizhang_store::PackedInputs, taizhang_store::StoreError> {
    app.store.evaluation_inputs_packed(view.org.clone(), &view.tree, groups, period).await
}

/// Sets the feedback register's time limits and the instant to judge them at.
pub(crate) fn with_clock(app: &App, inputs: EvaluationInputs) -> EvaluationInputs {
    Clock::of(app).set(inputs)
}

/// The feedback register's time limits in force and the instant to judge
/// them at: what the app adds to the inputs read from the database.
pub(crate) struct Clock {
    limits: taizhang_core::feedback::Limits,
    now: chrono::DateTime<chrono::Utc>,
}

impl Clock {
    pub(crate) fn of(app: &App) -> Clock {
        Clock { limits: app.feedback_limits.clone(), now: app.now() }
    }

    pub(crate) fn set(&self, mut inputs: EvaluationInputs) -> EvaluationInputs {
        for g in &mut inputs.groups {
            g.feedback.limits = self.limits.clone();
            g.feedback.now = Some(self.now);
        }
        inputs
    }
}

/// The evaluation of a Party group for a period (kept between requests:
/// see [`crate::evaluations`]).
pub async fn evaluate_group(app: &App, view: &View, group: i64, period: Period) -> Result<Arc<Evaluation>, Error> {
    crate::evaluations::evaluation(app, view, group, period).await
}

/// The superior's roll-up of the Party groups under `root`, built from
/// each group's cached row.
pub async fn rollup_under(
    app: &App,
    view: &View,
    root: i64,
    period: Period,
) -> Result<(Vec<String>, Vec<RollupRow>), Error> {
    let groups = view.party_groups_under(root);
    let rows = crate::evaluations::summaries(app, view, &groups, period, None).await?;
    Ok(combine(rows.iter().map(|s| s.row.as_ref())))
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
