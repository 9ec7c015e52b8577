//! What a handler about one unit or item starts from: the app, the caller,
//! the organisation and the path's `{id}`. The route guard has checked the
//! route's level for that id and found the caller and the organisation;
//! [`Ctx`] hands them over, so a handler goes straight to its operation.

use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use taizhang_app::view::View;

pub struct Ctx {
    pub state: AppState,
    pub user: CurrentUser,
    pub view: Arc<View>,
    /// The path's `{id}`: a unit, or the record, risk, draft… it names.
    pub id: i64,
}

impl Ctx {
    /// The Party group of the unit `{id}` names (itself if it is one).
    pub fn group(&self) -> Result<i64, AppError> {
        Ok(self.view.group_of(self.id)?.id)
    }
}

impl FromRequestParts<AppState> for Ctx {
    /// A JSON error under `/api/`, an error page elsewhere.
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let api = parts.uri.path().starts_with("/api/");
        let reject = |e: AppError| if api { ApiError(e).into_response() } else { e.into_response() };
        let user = CurrentUser::from_request_parts(parts, state).await.map_err(reject)?;
        let view = match parts.extensions.get::<Arc<View>>() {
            Some(view) => view.clone(),
            None => View::load(state).await.map_err(|e| reject(e.into()))?,
        };
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|e| e.into_response())?;
        let id = params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| reject(AppError::NotFound("页面不存在".into())))?;
        Ok(Ctx { state: state.clone(), user, view, id })
    }
}
