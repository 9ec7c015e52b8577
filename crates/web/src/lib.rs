//! taizhang's web server: server-rendered pages for people, a JSON API for
//! other systems, both over one store and one engine.

mod api;
pub mod auth;
pub(crate) mod context;
pub mod error;
mod flash;
mod form;
mod pages;
mod register_form;
mod routes;
pub mod state;

pub use state::AppState;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub use routes::{router, routes, Level, RouteSpec};

pub(crate) async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// The browser's tab icon (a ledger's lines on red), cached for a day.
pub(crate) async fn favicon() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "image/svg+xml"), (axum::http::header::CACHE_CONTROL, "max-age=86400")],
        include_str!("../assets/favicon.svg"),
    )
}

/// An address no route has: the error page, with the header of whoever
/// is signed in (the route guard, which frames the other error pages,
/// does not see these).
pub(crate) async fn not_found(State(state): State<AppState>, mut parts: axum::http::request::Parts) -> Response {
    use axum::extract::FromRequestParts;
    let user = auth::CurrentUser::from_request_parts(&mut parts, &state).await.ok();
    error::with_header(error::AppError::NotFound("页面不存在".into()).into_response(), user.as_ref())
}

/// How `taizhang serve` runs the web server.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub listen: String,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// How often this server runs the reminder scan; `None` = never.
    pub reminder_every: Option<std::time::Duration>,
    /// The address people reach the server at, for absolute links
    /// (`--base-url`); `None` = from each request's `Host`.
    pub base_url: Option<String>,
    /// Scheduled backups (`--backup-dir`); `None` = none.
    pub backup: Option<taizhang_app::backup::Schedule>,
    /// How often this server brings the roll-up rows up to date
    /// (`--warm-every`); `None` = never (they are then computed when asked).
    pub warm_every: Option<std::time::Duration>,
}

/// Serves until Ctrl-C, running the reminder scheduler when asked to.
pub async fn serve(app: taizhang_app::App, options: ServeOptions) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(&options.listen).await?;
    if let Some(every) = options.reminder_every {
        taizhang_app::reminders::spawn_scheduler(app.clone(), every);
    }
    if let Some(schedule) = options.backup.clone() {
        taizhang_app::backup::spawn_scheduler(app.clone(), schedule);
    }
    if let Some(every) = options.warm_every {
        taizhang_app::evaluations::warming::spawn(app.clone(), every);
    }
    taizhang_app::housekeeping::spawn(app.clone(), taizhang_app::housekeeping::EVERY);
    let state = AppState { secure_cookies: options.secure_cookies, base_url: options.base_url, ..AppState::new(app) };
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
