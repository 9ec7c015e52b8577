//! Loading what the engine needs for one or many Party groups.

use crate::db::Store;
use crate::org::Org;
use crate::packed_records::PackedRecords;
use crate::StoreError;
use std::collections::HashMap;
use std::sync::Arc;
use taizhang_core::attachment::FileKinds;
use taizhang_core::duty::DutyItem;
use taizhang_core::engine::{Channel, UnitContext};
use taizhang_core::feedback::{FeedbackData, RegisterEntry};
use taizhang_core::news::NewsData;
use taizhang_core::org::{Person, Role, Unit, UnitKind, UnitTree};
use taizhang_core::period::Period;
use taizhang_core::record::Record;
use taizhang_core::rectification::Rectification;

/// How far around a period the engine looks: before it, for freshness rules
/// that need the last record before the period started; after it, for a
/// report on the period submitted late (the engine ignores what it must).
const LOOKBACK_DAYS: u64 = 400;

/// Owned inputs for evaluating some Party groups over a period.
pub struct EvaluationInputs {
    pub org: Arc<Org>,
    pub groups: Vec<GroupInputs>,
}

pub struct GroupInputs {
    pub unit: Unit,
    pub branches: Vec<Unit>,
    pub departments: Vec<Unit>,
    pub channels: Vec<Channel>,
    /// The people and roles the group's duties can name: those of its own
    /// units, and whoever its roles, channels, problems and officers name.
    /// A province has tens of thousands; the engine looks people up by
    /// scanning, so each group gets its own few.
    pub people: Vec<Person>,
    pub roles: Vec<Role>,
    pub records: Vec<Record>,
    pub items: Vec<DutyItem>,
    pub rectifications: Vec<taizhang_core::rectification::Rectification>,
    pub news: NewsData,
    /// The register's entries that matter to the period; the app sets the
    /// time limits in force and the instant to judge them at.
    pub feedback: FeedbackData,
}

impl GroupInputs {
    /// The engine's view of the group (which carries its own part of the
    /// organisation).
    pub fn context(&self) -> UnitContext<'_> {
        UnitContext {
            unit: &self.unit,
            branches: &self.branches,
            departments: &self.departments,
            channels: &self.channels,
            people: &self.people,
            roles: &self.roles,
            records: &self.records,
            rectifications: &self.rectifications,
            news: &self.news,
            feedback: &self.feedback,
        }
    }
}

/// Evaluation inputs as read, but for their records, still packed as the
/// database sent them: [`PackedInputs::unpack`] takes them apart, CPU
/// only. A province's roll-up reads a chunk of groups while the chunk
/// before is unpacked and evaluated on another thread; unpacking on the
/// reading side had made reading the slower half (docs/performance.md).
pub struct PackedInputs {
    inputs: EvaluationInputs,
    records: PackedRecords,
    /// The index in `inputs.groups` of each unit's group.
    group_of: HashMap<i64, usize>,
    /// The kinds of file attached to each record.
    kinds: HashMap<i64, FileKinds>,
}

impl PackedInputs {
    fn nothing(org: Arc<Org>) -> PackedInputs {
        PackedInputs {
            inputs: EvaluationInputs { org, groups: Vec::new() },
            records: PackedRecords::default(),
            group_of: HashMap::new(),
            kinds: HashMap::new(),
        }
    }

    /// The inputs with each group's records, sorted by date: for a
    /// blocking thread (some tens of milliseconds for a hundred groups).
    pub fn unpack(self) -> Result<EvaluationInputs, StoreError> {
        let PackedInputs { mut inputs, records, group_of, kinds } = self;
        let records = records.unpack()?;
        // Each group's vector sized once (records are a few hundred bytes).
        let mut counts = vec![0; inputs.groups.len()];
        for r in &records {
            if let Some(i) = group_of.get(&r.unit_id) {
                counts[*i] += 1;
            }
        }
        for (g, n) in inputs.groups.iter_mut().zip(counts) {
            g.records.reserve_exact(n);
        }
        for mut r in records {
            if let Some(k) = kinds.get(&r.id) {
                r.files = *k;
            }
            if let Some(i) = group_of.get(&r.unit_id) {
                inputs.groups[*i].records.push(r);
            }
        }
        for g in &mut inputs.groups {
            g.records.sort_unstable_by_key(|r| (r.occurred_on, r.id));
        }
        Ok(inputs)
    }
}

/// Gives each group the people and roles its duties can name (see
/// [`GroupInputs::people`]), in the organisation's order, through the
/// organisation's index: a chunk of groups costs its own units, not a
/// pass over the province (quadratic when it was a pass per group).
fn hand_out_people(org: &Org, group_of: &HashMap<i64, usize>, groups: &mut [GroupInputs]) {
    let index = org.index();
    let mut roles: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut people: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (unit, g) in group_of {
        roles[*g].extend(index.roles_at_unit.get(unit).into_iter().flatten());
        people[*g].extend(index.people_of_unit.get(unit).into_iter().flatten());
    }
    for ((group, mut roles), mut people) in groups.iter_mut().zip(roles).zip(people) {
        roles.sort_unstable();
        roles.dedup();
        group.roles = roles.into_iter().map(|i| org.roles[i].clone()).collect();
        let named = group
            .roles
            .iter()
            .map(|r| r.person_id)
            .chain(group.channels.iter().filter_map(|c| c.owner))
            .chain(group.rectifications.iter().filter_map(|p| p.owner))
            .chain(group.news.officers.iter().map(|o| o.person_id));
        people.extend(named.filter_map(|id| index.person.get(&id).copied()));
        people.sort_unstable();
        people.dedup();
        group.people = people.into_iter().map(|i| org.people[i].clone()).collect();
    }
}

/// Up to how many unit ids a query names; beyond it reads every unit's
/// rows and sorts them out here (both backends bind far more, but a plan
/// over a huge IN list is no faster than a scan).
const MAX_NAMED_UNITS: usize = 5000;

impl Store {
    /// Loads the inputs for the given Party groups (ids of other kinds of
    /// unit are skipped), reading the organisation first.
    pub async fn evaluation_inputs(&self, group_ids: &[i64], period: Period) -> Result<EvaluationInputs, StoreError> {
        let org = Arc::new(self.org().await?);
        let tree = org.tree();
        self.evaluation_inputs_in(org, &tree, group_ids, period).await
    }

    /// Loads the inputs for the given Party groups of `org` (already read,
    /// with its `tree`). Each table is read with one query for all the
    /// groups, naming their units, or every unit's rows for very many.
    pub async fn evaluation_inputs_in(
        &self,
        org: Arc<Org>,
        tree: &UnitTree,
        group_ids: &[i64],
        period: Period,
    ) -> Result<EvaluationInputs, StoreError> {
        let packed = self.evaluation_inputs_packed(org, tree, group_ids, period).await?;
        crate::joined(tokio::task::spawn_blocking(move || packed.unpack()).await)
    }

    /// [`Store::evaluation_inputs_in`] with the records still packed as
    /// read: what a caller that has a blocking thread at hand finishes
    /// there, while it reads the next groups (see [`PackedInputs`]).
    pub async fn evaluation_inputs_packed(
        &self,
        org: Arc<Org>,
        tree: &UnitTree,
        group_ids: &[i64],
        period: Period,
    ) -> Result<PackedInputs, StoreError> {
        let from = period.first_day() - chrono::Days::new(LOOKBACK_DAYS);
        let to = period.last_day() + chrono::Days::new(LOOKBACK_DAYS);
        let groups: Vec<&Unit> =
            group_ids.iter().filter_map(|id| tree.get(*id)).filter(|u| u.kind == UnitKind::PartyGroup).collect();
        if groups.is_empty() {
            return Ok(PackedInputs::nothing(org));
        }
        let mut group_of: HashMap<i64, usize> = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            for u in tree.subtree(g.id) {
                group_of.insert(u.id, i);
            }
        }
        // An empty list reads every unit's rows.
        let units: Vec<i64> =
            if group_of.len() <= MAX_NAMED_UNITS { group_of.keys().copied().collect() } else { Vec::new() };
        let group_ids: Vec<i64> =
            if group_of.len() <= MAX_NAMED_UNITS { groups.iter().map(|g| g.id).collect() } else { Vec::new() };
        // The records, the most of it, are read beside everything else.
        let rest = async {
            let kinds = self.file_kinds(&units).await?;
            let problems = self.rectifications_of(&units).await?;
            let news = self.news_for_groups(&groups, &group_ids, &group_of, (from, to)).await?;
            let feedback = self.feedback_for_groups(&groups, &group_ids, &group_of, period).await?;
            let items = self.duty_items_for_many(&groups.iter().map(|g| g.id).collect::<Vec<_>>()).await?;
            Ok::<_, StoreError>((kinds, problems, news, feedback, items))
        };
        let (records, (kinds, rectifications, news, feedback, mut items)) =
            tokio::try_join!(self.records_packed(&units, from, to), rest)?;
        let mut problems: Vec<Vec<Rectification>> = vec![Vec::new(); groups.len()];
        for p in rectifications {
            if let Some(i) = group_of.get(&p.unit_id) {
                problems[*i].push(p);
            }
        }
        let mut channels: Vec<Vec<Channel>> = vec![Vec::new(); groups.len()];
        for c in &org.channels {
            if let Some(i) = group_of.get(&c.unit_id) {
                channels[*i].push(c.clone());
            }
        }
        let mut out: Vec<GroupInputs> = groups
            .iter()
            .zip(problems)
            .zip(news)
            .zip(feedback)
            .zip(channels)
            .map(|((((unit, rectifications), news), feedback), channels)| {
                let subtree: Vec<&Unit> = tree.subtree(unit.id);
                let of_kind =
                    |k: UnitKind| subtree.iter().filter(|u| u.kind == k).map(|u| (*u).clone()).collect::<Vec<_>>();
                GroupInputs {
                    unit: (*unit).clone(),
                    branches: of_kind(UnitKind::Branch),
                    departments: of_kind(UnitKind::Department),
                    channels,
                    people: Vec::new(),
                    roles: Vec::new(),
                    records: Vec::new(),
                    items: items.remove(&unit.id).unwrap_or_default(),
                    rectifications,
                    news,
                    feedback,
                }
            })
            .collect();
        hand_out_people(&org, &group_of, &mut out);
        Ok(PackedInputs { inputs: EvaluationInputs { org, groups: out }, records, group_of, kinds })
    }

    /// The feedback entries of each group that matter to the period, in the
    /// order of `groups`, with the default time limits.
    async fn feedback_for_groups(
        &self,
        groups: &[&Unit],
        ids: &[i64],
        group_of: &HashMap<i64, usize>,
        period: Period,
    ) -> Result<Vec<FeedbackData>, StoreError> {
        use taizhang_core::period::shanghai_day_start;
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let from = shanghai_day_start(period.first_day());
        let to = shanghai_day_start(period.last_day() + chrono::Days::new(1));
        let mut out = vec![FeedbackData::default(); groups.len()];
        for item in self.feedback_during(ids, from, to).await? {
            if let Some(i) = group_of.get(&item.unit_id) {
                out[*i].entries.push(RegisterEntry { id: item.id, feedback: item.feedback });
            }
        }
        Ok(out)
    }

    /// The kinds of file attached to each record of these units (of every
    /// unit's records with an empty list): one query either way.
    async fn file_kinds(&self, unit_ids: &[i64]) -> Result<HashMap<i64, FileKinds>, StoreError> {
        let mut kinds: HashMap<i64, FileKinds> = HashMap::new();
        for (record, kind) in self.record_file_kinds(unit_ids).await? {
            kinds.entry(record).or_default().insert(kind);
        }
        Ok(kinds)
    }

    /// The news data of each group, in the order of `groups`: one query per
    /// table, for a roll-up of all groups as for one.
    async fn news_for_groups(
        &self,
        groups: &[&Unit],
        ids: &[i64],
        group_of: &HashMap<i64, usize>,
        between: (chrono::NaiveDate, chrono::NaiveDate),
    ) -> Result<Vec<NewsData>, StoreError> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        // Rows carry their Party group's id.
        let mut out = vec![NewsData::default(); groups.len()];
        for (s, _) in self.news_submissions(ids, Some(between)).await? {
            if let Some(i) = group_of.get(&s.unit_id) {
                out[*i].submissions.push(s);
            }
        }
        for q in self.news_quotas(ids).await? {
            if let Some(i) = group_of.get(&q.unit_id) {
                out[*i].quotas.push(q);
            }
        }
        for (unit, o) in self.news_officers(ids).await? {
            if let Some(i) = group_of.get(&unit) {
                out[*i].officers.push(o);
            }
        }
        Ok(out)
    }
}

/// Party groups within a subtree, in tree order.
pub fn party_groups_under(org: &Org, root: i64) -> Vec<i64> {
    party_groups_in(&org.tree(), root)
}

/// Party groups within a subtree of `tree`, in tree order.
pub fn party_groups_in(tree: &UnitTree, root: i64) -> Vec<i64> {
    tree.subtree(root).iter().filter(|u| u.kind == UnitKind::PartyGroup).map(|u| u.id).collect()
}
