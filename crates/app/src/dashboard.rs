//! What a unit dashboard shows besides its evaluation, kept between
//! requests: the feedback register's entries, the assessment parameters
//! and the assessment rows of this year and the last. Reading them took
//! most of a dashboard's queries, and they change only with a write.
//!
//! An entry is kept under the [`Stamp`] of the group's evaluation (the
//! organisation's version and the group's data version, read from the
//! database): feedback entries, assessments, reopenings and adoptions
//! belong to the group's unit, duty lists to the organisation, so every
//! write to them, through any app server, moves the stamp. What depends
//! on the clock alone (which entries are overdue now, what a submission
//! still needs today) is computed from the kept rows on every request.

use crate::evaluations::{cached_card, evaluation_stamped, Stamp};
use crate::view::View;
use crate::{App, Error};
use chrono::Datelike;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use taizhang_core::assessment::{Assessment, AutoCard, Rules};
use taizhang_core::engine::Evaluation;
use taizhang_core::period::Period;
use taizhang_store::FeedbackItem;

/// Groups whose rows are kept at most; beyond, all are dropped (a
/// dashboard is cheap to read again, and this is rare).
const CAPACITY: usize = 4096;

/// The rows a dashboard reads for a group, as of one stamp.
#[derive(Debug)]
pub struct Rows {
    /// The group's feedback entries, newest first.
    pub feedback: Vec<FeedbackItem>,
    /// The group's assessment parameters.
    pub rules: Rules,
    /// The assessments of last year and this year, in that order.
    pub assessments: [(i32, Assessment); 2],
}

/// A group's rows and the stamp they were read at.
type Kept = (Stamp, Arc<Rows>);

/// The rows one app server keeps, by Party group (cheap to clone: shared).
#[derive(Clone, Default)]
pub struct Dashboards(Arc<Mutex<HashMap<i64, Kept>>>);

impl std::fmt::Debug for Dashboards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dashboards")
    }
}

impl Dashboards {
    fn get(&self, group: i64, stamp: Stamp) -> Option<Arc<Rows>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&group).filter(|(s, _)| s.same_versions(&stamp)).map(|(_, rows)| rows.clone())
    }

    fn put(&self, group: i64, stamp: Stamp, rows: Arc<Rows>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(group, (stamp, rows));
    }
}

/// Everything a Party group's dashboard shows for a period.
pub struct Dashboard {
    pub evaluation: Arc<Evaluation>,
    pub rows: Arc<Rows>,
    /// This year's automatic assessment card as the engine judges it today.
    pub card: Arc<AutoCard>,
}

/// The dashboard of a Party group: its evaluation, then what else it
/// shows, from what this server keeps when the stamp is unchanged.
pub async fn load(app: &App, view: &View, group: i64, period: Period) -> Result<Dashboard, Error> {
    let (evaluation, stamp) = evaluation_stamped(app, view, group, period).await?;
    let year = app.today().year();
    let rows = match app.dashboards.get(group, stamp) {
        Some(rows) => rows,
        // Read after the stamp: at least as new as it.
        None => {
            let rows = Arc::new(read_rows(app, group, year).await?);
            app.dashboards.put(group, stamp, rows.clone());
            rows
        }
    };
    let card = match cached_card(app, group, year, stamp) {
        Some(card) => card,
        None => crate::assessment::live_card(app, view, group, year).await?.0,
    };
    Ok(Dashboard { evaluation, rows, card })
}

async fn read_rows(app: &App, group: i64, year: i32) -> Result<Rows, Error> {
    let feedback = app.store.feedback_items(&[group]).await?;
    let rules = app.store.assessment_rules_for(&[group]).await?.remove(&group).unwrap_or_default();
    let last = app.store.assessment(group, year - 1).await?.0;
    let this = app.store.assessment(group, year).await?.0;
    Ok(Rows { feedback, rules, assessments: [(year - 1, last), (year, this)] })
}
