//! Evaluations kept between requests. The dashboard, the duties API, the
//! superior's roll-up and the assessment ranking all start from the
//! engine's evaluation of a Party group for a period; at province scale
//! recomputing it on every request is most of a page's cost.
//!
//! An entry is current while its [`Stamp`] is: the same day, the same
//! organisation version (the snapshot it was computed with) and the same
//! data version of the group (the largest version of its units in the
//! database's `data_versions`, moved by every audited write in the same
//! transaction); and the same hour when the evaluation tells the time left
//! or overdue on a feedback entry's limit (those run in hours). Most groups
//! have no limit running, so their entries outlive the hour. The versions
//! live in the database, so a write through any app server makes every
//! server's entry stale; one unit's write leaves the other units' entries
//! alone.
//!
//! Memory is bounded: whole evaluations (what a dashboard shows) for the
//! most recently used few; for every group only its roll-up row and, for a
//! year, its automatic assessment card's scores.
//!
//! A roll-up answers as soon as its rows are computed; a task of their
//! own keeps them in the database for the other servers after it.

mod shared;
pub mod warming;

use crate::view::{load_inputs_in, load_packed_inputs_in, Clock, View};
use crate::{App, Error};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use taizhang_core::assessment::{auto_score, AutoCard, Rules};
use taizhang_core::engine::{evaluate, rollup, Evaluation, RollupRow};
use taizhang_core::feedback::{deadlines, DeadlineState};
use taizhang_core::period::Period;
use taizhang_store::{EvaluationInputs, GroupInputs};

/// What an evaluation was computed from, besides its group and period.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    today: NaiveDate,
    hour: i64,
    organisation: i64,
    data: i64,
    /// The instant it is checked at (not compared: entries expire by it).
    now: DateTime<Utc>,
}

impl Stamp {
    /// Whether an entry computed at `self` still holds at `now`; `hourly`
    /// when its text changes with the hour.
    fn holds_at(&self, now: &Stamp, hourly: bool) -> bool {
        (self.today, self.organisation, self.data) == (now.today, now.organisation, now.data)
            && (!hourly || self.hour == now.hour)
    }

    /// Whether nothing read from the database moved between `self` and
    /// `now` (the same day and versions; the hour aside): what rows kept
    /// beside an evaluation are checked by (see [`crate::dashboard`]).
    pub fn same_versions(&self, now: &Stamp) -> bool {
        self.holds_at(now, false)
    }
}

/// Whole evaluations kept at most (each some tens of kilobytes).
const FULL_CAPACITY: usize = 512;
/// (group, period) entries kept at most (each about a kilobyte); beyond
/// it the least recently used half is dropped.
const MAX_ENTRIES: usize = 60_000;
/// Stale groups read and evaluated together: a cold roll-up holds
/// [`LANES`] chunks' records at once, never the province's.
const CHUNK: usize = 100;
/// Chunks in flight. Two took a province's cold roll-up 0.15–0.3 s less
/// than one read beside one evaluated (runs taken in turn), peak memory
/// 5–15 MB more; three about 0.2 s less again and 30 MB more
/// (docs/performance.md).
const LANES: usize = 2;
/// Up to this many groups, their units' versions are read by name;
/// beyond, the whole (small) table is read.
const NAMED_GROUPS: usize = 100;

struct Entry {
    stamp: Stamp,
    /// The next instant a feedback time limit of the group falls due: the
    /// evaluation changes then, within the hour.
    expires: Option<DateTime<Utc>>,
    /// A limit is running or overdue: the text counts its hours.
    hourly: bool,
    row: Arc<RollupRow>,
    full: Option<Arc<Evaluation>>,
    card: Option<Arc<AutoCard>>,
    used: u64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<(i64, Period), Entry>,
    clock: u64,
    full: usize,
    /// Evaluations the engine ran for this cache, ever.
    computed: u64,
}

/// The cache one app server keeps (cheap to clone: shared).
#[derive(Clone, Default)]
pub struct Evaluations {
    entries: Arc<Mutex<Entries>>,
    /// Rows being kept in the database after the answer that computed
    /// them (see [`Evaluations::kept_in_database`]).
    keeping: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl std::fmt::Debug for Evaluations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Evaluations")
    }
}

/// A group's cached row and, when asked for, its card.
pub struct Summary {
    pub group: i64,
    pub row: Arc<RollupRow>,
    /// The automatic card's scores, without the deductions' reasons
    /// ([`AutoCard::scores_only`]; the whole card: `assessment::live_card`).
    pub card: Option<Arc<AutoCard>>,
}

impl Evaluations {
    /// How many evaluations the engine has run to fill this cache: what a
    /// test or a benchmark reads to tell a hit from a miss.
    pub fn computed(&self) -> u64 {
        self.lock().computed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the rows computed so far are kept in the database for
    /// the other servers: what the warming job, tests and benchmarks wait
    /// for. A request that computed rows does not wait: keeping them was a
    /// tenth of a province's cold roll-up.
    pub async fn kept_in_database(&self) {
        let handles = std::mem::take(&mut *self.keeping.lock().unwrap_or_else(|e| e.into_inner()));
        for h in handles {
            // A panic while keeping rows is only rows not shared: the
            // next server evaluates them itself.
            let _ = h.await;
        }
    }

    fn keeping(&self, handle: tokio::task::JoinHandle<()>) {
        let mut handles = self.keeping.lock().unwrap_or_else(|e| e.into_inner());
        handles.retain(|h| !h.is_finished());
        handles.push(handle);
    }

    fn full(&self, key: (i64, Period), stamp: Stamp) -> Option<Arc<Evaluation>> {
        let mut entries = self.lock();
        entries.clock += 1;
        let clock = entries.clock;
        let entry = entries.map.get_mut(&key).filter(|e| e.current(stamp))?;
        entry.used = clock;
        entry.full.clone()
    }

    fn summary(&self, key: (i64, Period), stamp: Stamp, with_card: bool) -> Option<Summary> {
        let mut entries = self.lock();
        entries.clock += 1;
        let clock = entries.clock;
        let entry = entries.map.get_mut(&key).filter(|e| e.current(stamp) && (!with_card || e.card.is_some()))?;
        entry.used = clock;
        Some(Summary { group: key.0, row: entry.row.clone(), card: entry.card.clone() })
    }

    /// A summary-only entry from a row kept in the database.
    fn put_kept(&self, key: (i64, Period), stamp: Stamp, kept: Kept) {
        let (row, card) = (Arc::new(kept.row), kept.card.map(Arc::new));
        let entry = Entry { stamp, expires: kept.expires, hourly: kept.hourly, row, full: None, card, used: 0 };
        self.lock().insert(key, entry);
    }

    /// What to keep in the database of a current entry.
    fn kept(&self, key: (i64, Period), stamp: Stamp) -> Option<Kept> {
        let entries = self.lock();
        let e = entries.map.get(&key).filter(|e| e.current(stamp))?;
        Some(Kept {
            row: e.row.as_ref().clone(),
            card: e.card.as_deref().cloned(),
            expires: e.expires,
            hourly: e.hourly,
        })
    }

    /// What an entry's validity depends on besides its stamp.
    fn clock_of(&self, key: (i64, Period)) -> (Option<DateTime<Utc>>, bool) {
        self.lock().map.get(&key).map_or((None, true), |e| (e.expires, e.hourly))
    }

    /// Keeps what was computed for `key` at `stamp`; `full` only for the
    /// few most recently used.
    fn put(&self, key: (i64, Period), stamp: Stamp, fresh: Fresh) {
        let Fresh { full, row, expires, hourly, card } = fresh;
        let row = Arc::new(row);
        let mut entries = self.lock();
        let kept = entries.map.get(&key).filter(|o| o.current(stamp));
        let full = full.or_else(|| kept.and_then(|o| o.full.clone()));
        let card = card.map(Arc::new).or_else(|| kept.and_then(|o| o.card.clone()));
        entries.insert(key, Entry { stamp, expires, hourly, row, full, card, used: 0 });
    }
}

/// A group's row as kept in the database, with what decides how long it
/// holds.
struct Kept {
    row: RollupRow,
    card: Option<AutoCard>,
    expires: Option<DateTime<Utc>>,
    hourly: bool,
}

/// What was just computed for a group.
struct Fresh {
    /// The whole evaluation, when it is to be kept (a dashboard's): a
    /// roll-up's are dropped where they were made, on the evaluating
    /// thread, and the entry keeps whatever whole evaluation it had.
    full: Option<Arc<Evaluation>>,
    /// The evaluation's roll-up row, made where it was evaluated.
    row: RollupRow,
    expires: Option<DateTime<Utc>>,
    hourly: bool,
    card: Option<AutoCard>,
}

impl Entry {
    fn current(&self, stamp: Stamp) -> bool {
        self.stamp.holds_at(&stamp, self.hourly) && self.expires.is_none_or(|t| stamp.now < t)
    }
}

/// How the group's evaluation changes by the clock alone: the next instant
/// a feedback time limit falls due or an entry dated later starts to
/// count (`None`: never), and whether it tells hours left or overdue (an
/// open entry has a limit not yet met). One pass over the entries'
/// deadlines for both.
fn clock_dependence(g: &GroupInputs) -> (Option<DateTime<Utc>>, bool) {
    let data = &g.feedback;
    let Some(now) = data.now else { return (None, false) };
    let (mut expires, mut hourly) = (None::<DateTime<Utc>>, false);
    for e in &data.entries {
        for d in deadlines(&e.feedback, &data.limits, now) {
            match d.state {
                DeadlineState::Due { .. } => {
                    hourly = true;
                    expires = Some(expires.map_or(d.due_at, |t| t.min(d.due_at)));
                }
                DeadlineState::Overdue { .. } => hourly = true,
                _ => {}
            }
        }
        let discovered = e.feedback.discovered_at();
        if discovered > now {
            expires = Some(expires.map_or(discovered, |t| t.min(discovered)));
        }
    }
    (expires, hourly)
}

impl Entries {
    /// Puts `entry` in place of what was kept for `key`, as the most
    /// recently used, keeping the count of whole evaluations and the bounds.
    fn insert(&mut self, key: (i64, Period), mut entry: Entry) {
        self.clock += 1;
        entry.used = self.clock;
        self.full += usize::from(entry.full.is_some());
        if let Some(old) = self.map.insert(key, entry) {
            self.full -= usize::from(old.full.is_some());
        }
        self.bound();
    }

    /// Drops the least recently used whole evaluations, then entries, when
    /// over their bounds (by half, so that this is rare).
    fn bound(&mut self) {
        if self.full > FULL_CAPACITY {
            let cut = median_use(self.map.values().filter(|e| e.full.is_some()));
            for e in self.map.values_mut().filter(|e| e.used < cut) {
                e.full = None;
            }
            self.full = self.map.values().filter(|e| e.full.is_some()).count();
        }
        if self.map.len() > MAX_ENTRIES {
            let cut = median_use(self.map.values());
            self.map.retain(|_, e| e.used >= cut);
            self.full = self.map.values().filter(|e| e.full.is_some()).count();
        }
    }
}

fn median_use<'a>(entries: impl Iterator<Item = &'a Entry>) -> u64 {
    let mut used: Vec<u64> = entries.map(|e| e.used).collect();
    used.sort_unstable();
    used.get(used.len() / 2).copied().unwrap_or(0)
}

/// The stamps the given Party groups would be evaluated at now, with the
/// organisation of `view`: one read of the data versions.
async fn stamps(app: &App, view: &View, groups: &[i64]) -> Result<HashMap<i64, Stamp>, Error> {
    let units: Vec<(i64, Vec<i64>)> =
        groups.iter().map(|g| (*g, view.tree.subtree(*g).iter().map(|u| u.id).collect())).collect();
    let named: Vec<i64> = units.iter().flat_map(|(_, u)| u.iter().copied()).collect();
    let versions = app.store.data_versions(if groups.len() <= NAMED_GROUPS { &named } else { &[] }).await?;
    let (today, now) = (app.today(), app.now());
    let hour = now.timestamp().div_euclid(3600);
    Ok(units
        .into_iter()
        .map(|(g, units)| {
            let data = units.iter().filter_map(|u| versions.get(u)).copied().max().unwrap_or(0);
            (g, Stamp { today, hour, organisation: view.version, data, now })
        })
        .collect())
}

/// The evaluation of one Party group for a period, from the cache when
/// nothing it depends on moved.
pub async fn evaluation(app: &App, view: &View, group: i64, period: Period) -> Result<Arc<Evaluation>, Error> {
    Ok(evaluation_stamped(app, view, group, period).await?.0)
}

/// [`evaluation`] and the stamp it is current at: what a page keys what
/// else it keeps for the group by (see [`crate::dashboard`]).
pub async fn evaluation_stamped(
    app: &App,
    view: &View,
    group: i64,
    period: Period,
) -> Result<(Arc<Evaluation>, Stamp), Error> {
    let stamp = stamps(app, view, &[group]).await?[&group];
    if let Some(e) = app.evaluations.full((group, period), stamp) {
        return Ok((e, stamp));
    }
    let inputs = load_inputs_in(app, view, &[group], period).await?;
    let g = inputs.groups.first().ok_or_else(|| Error::NotFound("该单位不是党组（党委），没有责任清单".into()))?;
    let e = Arc::new(evaluate(&g.items, &g.context(), period, app.today()));
    let (expires, hourly) = clock_dependence(g);
    let fresh = Fresh { row: row_of(&e), full: Some(e.clone()), expires, hourly, card: None };
    app.evaluations.lock().computed += 1;
    app.evaluations.put((group, period), stamp, fresh);
    Ok((e, stamp))
}

/// The scores of the group's automatic assessment card for `year` kept at
/// `stamp` (without the deductions' reasons), if a ranking or an earlier
/// page computed it and nothing it depends on moved.
pub fn cached_card(app: &App, group: i64, year: i32, stamp: Stamp) -> Option<Arc<AutoCard>> {
    app.evaluations.summary((group, Period::year(year)), stamp, true)?.card
}

/// Keeps the scores of a card just scored from the group's whole
/// evaluation of `year` at `stamp` (see [`cached_card`]), if that entry is
/// still current.
pub(crate) fn keep_scores(app: &App, group: i64, year: i32, stamp: Stamp, card: &AutoCard) {
    let mut entries = app.evaluations.lock();
    if let Some(entry) = entries.map.get_mut(&(group, Period::year(year))).filter(|e| e.current(stamp)) {
        entry.card = Some(Arc::new(card.clone().scores_only()));
    }
}

/// Each group's roll-up row (and, with `rules`, its automatic card for the
/// period's year), in the order of `groups`; only groups whose stamp moved
/// are evaluated, a chunk at a time. Groups of no Party group are left out.
pub async fn summaries(
    app: &App,
    view: &View,
    groups: &[i64],
    period: Period,
    rules: Option<&HashMap<i64, Rules>>,
) -> Result<Vec<Summary>, Error> {
    let stamps = stamps(app, view, groups).await?;
    let cache = &app.evaluations;
    let with_card = rules.is_some();
    let mut found: HashMap<i64, Summary> = HashMap::new();
    let mut stale = Vec::new();
    for g in groups {
        match cache.summary((*g, period), stamps[g], with_card) {
            Some(s) => {
                found.insert(*g, s);
            }
            None => stale.push(*g),
        }
    }
    // Another server (or this one before a restart) may have kept rows.
    let stale = shared::take_kept(app, period, stale, &stamps, with_card, &mut found).await;
    // A dashboard's whole evaluation may be there already.
    let (known, rest): (Vec<i64>, Vec<i64>) =
        stale.iter().partition(|g| cache.full((**g, period), stamps[*g]).is_some());
    let cards = with_cards(app, &known, period, &stamps, rules).await?;
    let mut computed = keep(cache, cards, period, &stamps, with_card, &mut found);
    // A year's evaluation is scored as it is made, rules asked for or
    // not: scoring costs a tenth of evaluating, and the ranking that
    // follows a roll-up then finds every card.
    let rules = match rules {
        Some(r) => Some(Arc::new(r.clone())),
        None if period == Period::year(period.year) && !rest.is_empty() => {
            Some(Arc::new(app.store.assessment_rules_for(&rest).await?))
        }
        None => None,
    };
    // Each chunk is read, then unpacked and evaluated on a blocking
    // thread; two chunks are in flight, so that one is read while the
    // other is evaluated, or both are read. The results come in order.
    // (Chunks owned: a stream of borrowed slices does not compile here.)
    let owned: Vec<Vec<i64>> = rest.chunks(CHUNK).map(<[i64]>::to_vec).collect();
    let mut evaluated = futures_util::stream::iter(owned)
        .map(|chunk: Vec<i64>| {
            let (today, rules, clock) = (app.today(), rules.clone(), Clock::of(app));
            async move {
                let packed = load_packed_inputs_in(app, view, &chunk, period).await?;
                let evaluating = tokio::task::spawn_blocking(move || {
                    let inputs = clock.set(packed.unpack()?);
                    Ok::<_, taizhang_store::StoreError>(evaluate_chunk(&inputs, period, today, rules.as_deref()))
                });
                let fresh = evaluating.await.map_err(|e| Error::Internal(format!("评估线程异常终止：{e}")))??;
                Ok::<_, Error>(fresh)
            }
        })
        .buffered(LANES);
    while let Some(fresh) = evaluated.next().await {
        let fresh = fresh?;
        cache.lock().computed += fresh.len() as u64;
        computed.extend(keep(cache, fresh, period, &stamps, with_card, &mut found));
    }
    keep_in_database(app, period, computed, stamps);
    Ok(groups.iter().filter_map(|g| found.remove(g)).collect())
}

/// Keeps the rows of `groups`, just computed, in the database for the
/// other servers, after the answer: a task of its own, a chunk at a time.
fn keep_in_database(app: &App, period: Period, groups: Vec<i64>, stamps: HashMap<i64, Stamp>) {
    if groups.is_empty() {
        return;
    }
    let shared_app = app.clone();
    let handle = tokio::spawn(async move {
        for chunk in groups.chunks(CHUNK) {
            shared::share(&shared_app, period, chunk, &stamps).await;
        }
    });
    app.evaluations.keeping(handle);
}

/// Puts what was computed into the cache and takes each group's summary;
/// returns the groups put.
fn keep(
    cache: &Evaluations,
    computed: Vec<(i64, Fresh)>,
    period: Period,
    stamps: &HashMap<i64, Stamp>,
    with_card: bool,
    found: &mut HashMap<i64, Summary>,
) -> Vec<i64> {
    let mut put = Vec::with_capacity(computed.len());
    for (g, fresh) in computed {
        cache.put((g, period), stamps[&g], fresh);
        if let Some(s) = cache.summary((g, period), stamps[&g], with_card) {
            found.insert(g, s);
        }
        put.push(g);
    }
    put
}

/// Cards for groups whose whole evaluation is cached (when `rules` asks
/// for cards), to be put back with their entries' own expiry.
async fn with_cards(
    app: &App,
    known: &[i64],
    period: Period,
    stamps: &HashMap<i64, Stamp>,
    rules: Option<&HashMap<i64, Rules>>,
) -> Result<Vec<(i64, Fresh)>, Error> {
    let cache = &app.evaluations;
    let items = if rules.is_some() { app.store.duty_items_for_many(known).await? } else { HashMap::new() };
    let mut out = Vec::new();
    for g in known {
        let Some(e) = cache.full((*g, period), stamps[g]) else { continue };
        let card =
            rules.map(|r| auto_score(items.get(g).map_or(&[], Vec::as_slice), &e, &rules_of(r, *g)).scores_only());
        let (expires, hourly) = cache.clock_of((*g, period));
        out.push((*g, Fresh { row: row_of(&e), full: None, expires, hourly, card }));
    }
    Ok(out)
}

/// Evaluates one chunk of groups (and scores each, given `rules`).
fn evaluate_chunk(
    inputs: &EvaluationInputs,
    period: Period,
    today: NaiveDate,
    rules: Option<&HashMap<i64, Rules>>,
) -> Vec<(i64, Fresh)> {
    inputs
        .groups
        .iter()
        .map(|g| {
            let e = evaluate(&g.items, &g.context(), period, today);
            let card = rules.map(|r| auto_score(&g.items, &e, &rules_of(r, g.unit.id)).scores_only());
            let (expires, hourly) = clock_dependence(g);
            (g.unit.id, Fresh { row: row_of(&e), full: None, expires, hourly, card })
        })
        .collect()
}

/// A group's roll-up row.
fn row_of(e: &Evaluation) -> RollupRow {
    rollup(std::slice::from_ref(e)).1.remove(0)
}

fn rules_of(rules: &HashMap<i64, Rules>, group: i64) -> Rules {
    rules.get(&group).cloned().unwrap_or_default()
}
