//! taizhang's web server: server-rendered pages for people, a JSON API for
//! other systems, both over one store and one engine.

pub mod access;
mod api;
pub mod auth;
mod drafting;
pub mod error;
mod feedback_service;
mod pages;
mod rectify;
mod risking;
pub mod service;
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
            get(drafts::list)
                .post(drafts::create)
                .layer(DefaultBodyLimit::max(drafts::UPLOAD_MAX_BYTES + FORM_FIELDS_MAX_BYTES)),
        )
        .route("/units/{id}/drafts.xlsx", get(drafts::export))
        .route("/units/{id}/drafts/new", get(drafts::new_page))
        .route("/drafts/{id}", get(drafts::show))
        .route("/drafts/{id}/edit", get(drafts::edit_page).post(drafts::edit))
        .route("/drafts/{id}/sign", post(drafts::sign))
        .route("/drafts/{id}/publish", post(drafts::publish))
        .route("/units/{id}/rectifications", get(rectifications::list).post(rectifications::create))
        .route("/units/{id}/rectifications.xlsx", get(rectifications::export))
        .route("/units/{id}/rectifications/import", post(rectifications::import))
        .route("/rectifications/{id}", get(rectifications::show))
        .route("/rectifications/{id}/update", post(rectifications::update))
        .route("/rectifications/{id}/report", post(rectifications::report))
        .route("/rectifications/{id}/review", post(rectifications::review))
        .route("/rollup/{id}", get(rollup::show))
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
        .route("/units/{id}/risks/import", post(risks::import))
        .route("/risks/{id}", get(risks::show).post(risks::update))
        .route("/risks/{id}/edit", get(risks::edit_page))
        .route("/risks/{id}/reviews", post(risks::review))
        .route("/units/{id}/feedback", get(feedback::list).post(feedback::create))
        .route("/units/{id}/feedback/new", get(feedback::new_page))
        .route("/units/{id}/feedback/weekly", get(feedback::weekly_page))
        .route("/units/{id}/feedback/import", post(feedback::import))
        .route("/units/{id}/feedback.xlsx", get(feedback::export))
        .route("/feedback/{id}", get(feedback::show))
        .route("/feedback/{id}/steps", post(feedback::record_step))
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

/// Serves until Ctrl-C.
pub async fn serve(state: AppState, listen: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
