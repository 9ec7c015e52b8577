//! taizhang's web server: server-rendered pages for people, a JSON API for
//! other systems, both over one store and one engine.

mod api;
pub mod auth;
pub mod error;
mod pages;
pub mod state;

pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

/// Room for a multipart form's text fields beside its file.
const FORM_FIELDS_MAX_BYTES: usize = 1024 * 1024;

/// The body limit of a route taking a file of up to `file_bytes`: the
/// page's own check then refuses a larger file with a Chinese message,
/// instead of axum's default 2MB cutting the upload off first.
fn upload_limit(file_bytes: usize) -> DefaultBodyLimit {
    DefaultBodyLimit::max(file_bytes + FORM_FIELDS_MAX_BYTES)
}

pub fn router(state: AppState) -> Router {
    use pages::*;
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/units/{id}", get(dashboard::show))
        .route("/units/{id}/duties/{item}", get(dashboard::duty))
        .route("/units/{id}/report.docx", get(downloads::report))
        .route("/units/{id}/ledger.xlsx", get(downloads::ledger))
        .route("/units/{id}/bundle.zip", get(downloads::bundle))
        .route("/units/{id}/records", get(records::list).post(records::create))
        .route("/units/{id}/records/new", get(records::new_form))
        .route("/records/{id}", get(records::show).post(records::update))
        .route("/records/{id}/edit", get(records::edit_form))
        .route("/units/{id}/channels", get(channels::list))
        .route("/channels/{id}/reviewers", post(channels::set_reviewers))
        .route(
            "/units/{id}/drafts",
            get(drafts::list).post(drafts::create).layer(upload_limit(drafts::UPLOAD_MAX_BYTES)),
        )
        .route("/units/{id}/drafts.xlsx", get(drafts::export))
        .route("/units/{id}/drafts/new", get(drafts::new_page))
        .route("/drafts/{id}", get(drafts::show))
        .route("/drafts/{id}/edit", get(drafts::edit_page).post(drafts::edit))
        .route("/drafts/{id}/sign", post(drafts::sign))
        .route("/drafts/{id}/publish", post(drafts::publish))
        .route("/units/{id}/rectifications", get(rectifications::list).post(rectifications::create))
        .route("/units/{id}/rectifications.xlsx", get(rectifications::export))
        .route(
            "/units/{id}/rectifications/import",
            post(rectifications::import).layer(upload_limit(rectifications::IMPORT_MAX_BYTES)),
        )
        .route("/rectifications/{id}", get(rectifications::show))
        .route("/rectifications/{id}/update", post(rectifications::update))
        .route("/rectifications/{id}/report", post(rectifications::report))
        .route("/rectifications/{id}/review", post(rectifications::review))
        .route("/rollup/{id}", get(rollup::show))
        .route("/units/{id}/assessment", get(assessment::show))
        .route("/units/{id}/assessment.xlsx", get(assessment::export))
        .route("/units/{id}/assessment/adjustments", post(assessment::adjust))
        .route("/units/{id}/assessment/adjustments/remove", post(assessment::remove))
        .route("/units/{id}/assessment/submit", post(assessment::submit))
        .route("/units/{id}/assessment/review", post(assessment::review))
        .route("/rollup/{id}/assessment", get(assessment_ranking::show))
        .route("/rollup/{id}/assessment.xlsx", get(assessment_ranking::export))
        .route("/rollup/{id}/assessment/import", post(assessment_ranking::import))
        .route("/units/{id}/duty-list", get(duty_list::show))
        .route("/admin", get(admin::show))
        .route("/admin/units", post(admin::create_unit))
        .route("/admin/people", post(admin::create_person))
        .route("/admin/channels", post(admin::create_channel))
        .route("/admin/duty-lists", post(admin::issue_list))
        .route("/units/{id}/risks", get(risks::list).post(risks::create))
        .route("/units/{id}/risks.xlsx", get(risks::export))
        .route("/units/{id}/risks/new", get(risks::new_page))
        .route("/units/{id}/risks/review", get(risks::ledger_review_form).post(risks::ledger_review))
        .route("/units/{id}/risks/analysis", get(risks::analysis_form).post(risks::analysis))
        .route("/units/{id}/risks/import", post(risks::import).layer(upload_limit(risks::IMPORT_MAX_BYTES)))
        .route("/risks/{id}", get(risks::show).post(risks::update))
        .route("/risks/{id}/edit", get(risks::edit_page))
        .route("/risks/{id}/reviews", post(risks::review))
        .route("/units/{id}/feedback", get(feedback::list).post(feedback::create))
        .route("/units/{id}/feedback/new", get(feedback::new_page))
        .route("/units/{id}/feedback/weekly", get(feedback::weekly_page))
        .route("/units/{id}/feedback/import", post(feedback::import).layer(upload_limit(feedback::UPLOAD_MAX_BYTES)))
        .route("/units/{id}/feedback.xlsx", get(feedback::export))
        .route("/feedback/{id}", get(feedback::show))
        .route("/feedback/{id}/steps", post(feedback::record_step))
        .route("/notifications", get(pages::reminders::mine))
        .route("/notifications/read", post(pages::reminders::read))
        .route("/units/{id}/reminders", get(pages::reminders::settings).post(pages::reminders::save))
        .route("/units/{id}/reminders/test", post(pages::reminders::test))
        .route("/units/{id}/news", get(news::list).post(news::create))
        .route("/units/{id}/news.xlsx", get(news::export))
        .route("/units/{id}/news/new", get(news::new_page))
        .route("/units/{id}/news/import", post(news::import).layer(upload_limit(news::IMPORT_MAX_BYTES)))
        .route("/units/{id}/news/stats", get(news_settings::stats))
        .route("/units/{id}/news/officers", get(news_settings::officers).post(news_settings::set_officers))
        .route("/units/{id}/news/quotas", get(news_settings::quotas).post(news_settings::set_quota))
        .route("/units/{id}/news/quotas/{quota}/delete", post(news_settings::delete_quota))
        .route("/news/{id}", get(news::show).post(news::update))
        .route("/news/{id}/edit", get(news::edit_page))
        .route("/news/{id}/adopt", post(news::adopt))
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::router())
        .fallback(not_found)
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn not_found() -> error::AppError {
    error::AppError::NotFound("页面不存在".into())
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
}

/// Serves until Ctrl-C, running the reminder scheduler when asked to.
pub async fn serve(app: taizhang_app::App, options: ServeOptions) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(&options.listen).await?;
    if let Some(every) = options.reminder_every {
        taizhang_app::reminders::spawn_scheduler(app.clone(), every);
    }
    let state = AppState { secure_cookies: options.secure_cookies, ..AppState::new(app) };
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
