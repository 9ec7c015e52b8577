//! What the server tidies by itself: expired sessions and old failed logins
//! would otherwise grow without bound (anyone can add a failed login).

use crate::App;
use std::time::Duration;

/// How often a server prunes; every server may, deleting is idempotent.
pub const EVERY: Duration = Duration::from_secs(3600);

/// Removes expired sessions and failed logins older than a day.
pub async fn prune(app: &App) -> crate::Result<()> {
    Ok(app.store.prune_sessions(chrono::Utc::now()).await?)
}

/// Runs [`prune`] every `every`, the first time shortly after start.
pub fn spawn(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    crate::schedule::repeat(every, move || {
        let app = app.clone();
        async move {
            if let Err(e) = prune(&app).await {
                tracing::warn!(error = %e, "pruning sessions failed");
            }
        }
    })
}
