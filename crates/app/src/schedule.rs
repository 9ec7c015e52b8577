//! Work a server does by itself on a timer (reminder scans, backups,
//! warming the roll-up rows, pruning sessions), and the claim that lets
//! only one of several servers run a job at a time.

use crate::App;
use std::future::Future;
use std::time::Duration;
use taizhang_store::StoreError;

/// Calls `tick` every `every` (at least a second apart), the first time
/// shortly after start, for as long as the server runs; a tick that runs
/// late delays the next instead of bunching them.
pub fn repeat<F, Fut>(every: Duration, mut tick: F) -> tokio::task::JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every.max(Duration::from_secs(1)));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            tick().await;
        }
    })
}

/// Runs `job` under the claim `name`, unless another server holds it or it
/// last started less than `every` ago (then `None`); records how it ended.
pub async fn claimed<T, E, Fut>(app: &App, name: &str, every: Duration, job: Fut) -> Result<Option<T>, E>
where
    Fut: Future<Output = Result<T, E>>,
    E: From<StoreError> + std::fmt::Display,
{
    let Some(claim) = app.store.claim_job(name, every).await? else { return Ok(None) };
    let result = job.await;
    let error = result.as_ref().err().map(ToString::to_string);
    app.store.finish_job(claim, error).await?;
    result.map(Some)
}

/// The claim of a job run every `every`: a little shorter than the tick, so
/// this server's own next tick is never refused by its previous run.
pub fn claim_for(every: Duration) -> Duration {
    every.mul_f64(0.9)
}
