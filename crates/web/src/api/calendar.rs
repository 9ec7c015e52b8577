//! Calendar feeds: the caller's own (`/api/v1/me/calendar.ics`, with a
//! session or bearer token) and the secret subscription address
//! (`/calendar/{token}`, no session: calendar clients cannot log in).

use super::ApiUser;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use taizhang_app::calendar;
use taizhang_app::view::View;

fn ics(body: String) -> Response {
    ([(header::CONTENT_TYPE, calendar::CONTENT_TYPE), (header::CACHE_CONTROL, "private, no-store")], body)
        .into_response()
}

/// GET /api/v1/me/calendar.ics
pub(crate) async fn mine(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = View::load(&state).await?;
    Ok(ics(calendar::for_caller(&state, &view, &user, &state.base_url(&headers)).await?))
}

/// GET /calendar/{token}
pub(crate) async fn feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let caller = calendar::caller_for_feed(&state, &token).await?;
    let view = View::load(&state).await?;
    Ok(ics(calendar::for_caller(&state, &view, &caller, &state.base_url(&headers)).await?))
}
