//! Keeps the province's roll-up rows current before anybody asks. A
//! scheduled job (one server at a time, by the job claim) builds this
//! year's summaries of every Party group: only groups whose stamp moved
//! are evaluated, and their rows are kept in the database for every
//! server (see [`super::shared`]). After midnight every stamp moves, so
//! the day's first roll-up would otherwise evaluate the whole province
//! while its reader waits.

use crate::view::View;
use crate::{App, Error};
use chrono::Datelike;
use std::time::Duration;
use taizhang_core::period::Period;

const JOB: &str = "warm-rollup";

/// Brings this year's row of every Party group up to date; returns how
/// many groups there are.
pub async fn warm(app: &App) -> Result<usize, Error> {
    let view = View::load(app).await?;
    let roots: Vec<i64> = view.org.units.iter().filter(|u| u.parent_id.is_none()).map(|u| u.id).collect();
    let groups: Vec<i64> = roots.iter().flat_map(|r| view.party_groups_under(*r)).collect();
    let period = Period::year(app.today().year());
    let warmed = super::summaries(app, &view, &groups, period, None).await?.len();
    // The job is done when every server can take the rows.
    app.evaluations.kept_in_database().await;
    Ok(warmed)
}

/// Claims the job and warms, unless another server has it or ran it less
/// than `every` ago. `None` when this server did not run it.
pub async fn run_once(app: &App, every: Duration) -> Result<Option<usize>, Error> {
    crate::schedule::claimed(app, JOB, every, warm(app)).await
}

/// Runs [`run_once`] every `every` for as long as the server runs, the
/// first time shortly after start.
pub fn spawn(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    crate::schedule::repeat(every, move || {
        let app = app.clone();
        async move {
            match run_once(&app, crate::schedule::claim_for(every)).await {
                Ok(Some(groups)) => tracing::debug!(groups, "roll-up rows warmed"),
                Ok(None) => tracing::debug!("roll-up warming skipped: run elsewhere or recently"),
                Err(e) => tracing::warn!(error = %e, "roll-up warming failed"),
            }
        }
    })
}
