//! The one way a page form comes in and the one way its outcome goes out.
//!
//! In: [`Submitted`] reads the signed-in person, checks the form's CSRF
//! token and only then deserialises the typed form, so no handler checks a
//! token or parses a body itself (multipart uploads get the same from
//! [`crate::pages::upload::Upload::read`]).
//!
//! Out: [`respond`] turns the application's outcome into a 303 to the
//! next page, a 422 with the same form refilled and the refusal's messages
//! (on a conflict also the version saved meanwhile), or the error page.

use crate::auth::CurrentUser;
use crate::error::{refuse_nul, AppError};
use crate::flash::Done;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::de::DeserializeOwned;
use std::collections::HashSet;

/// A url-encoded form whose CSRF token checked out, as `T`, with the person
/// who sent it.
pub struct Submitted<T> {
    pub user: CurrentUser,
    pub form: T,
    /// Every posted pair, for names that repeat (checkbox lists).
    pairs: Vec<(String, String)>,
}

impl<T> Submitted<T> {
    /// Every posted pair whose name starts with `prefix`, the prefix cut
    /// off (fields named by the page, like `ack_body_12`).
    pub fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest.to_string(), v.clone())))
            .collect()
    }

    /// The ids ticked in a checkbox list named `name`.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.pairs.iter().filter(|(k, _)| k == name).filter_map(|(_, v)| v.trim().parse().ok()).collect()
    }
}

fn unreadable(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("表单内容无法读取：{}", crate::error::serde_message(&e.to_string())))
}

/// A page's query string as `T`, refused with a Chinese message (axum's
/// own `Query` answers in English plain text).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, AppError> {
        parse_query(parts).map(Query)
    }
}

/// The query string of a request as `T`, or a Chinese refusal.
pub fn parse_query<T: DeserializeOwned>(parts: &axum::http::request::Parts) -> Result<T, AppError> {
    serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
        .map_err(|e| AppError::BadRequest(format!("网址中的参数有误：{}", crate::error::serde_message(&e.to_string()))))
}

impl<T: DeserializeOwned> FromRequest<AppState> for Submitted<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(unreadable)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(unreadable)?;
        let csrf = pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        user.check_csrf(csrf)?;
        pairs.iter().try_for_each(|(k, v)| refuse_nul(k).and(refuse_nul(v)))?;
        // The struct sees the first value of a repeated name (`ids` sees
        // all), and an empty field as absent: an unchosen `Option<i64>` is
        // `None`, not an error.
        let mut seen = HashSet::new();
        let first: Vec<&(String, String)> =
            pairs.iter().filter(|(k, v)| !v.is_empty() && seen.insert(k.as_str())).collect();
        let encoded = serde_urlencoded::to_string(&first).map_err(unreadable)?;
        let form = serde_urlencoded::from_str(&encoded).map_err(unreadable)?;
        Ok(Submitted { user, form, pairs })
    }
}

/// A form that is only a button (delete, mark read): the token and nothing else.
pub type Pressed = Submitted<serde::de::IgnoredAny>;

/// Why the application refused a form: one message per problem, and
/// whether someone else saved the item in between.
pub struct Refusal {
    pub messages: Vec<String>,
    pub conflict: bool,
}

impl Refusal {
    /// The messages above the refilled form.
    pub fn flash(&self) -> Markup {
        html! {
            div.flash.error {
                @if self.conflict {
                    @for m in &self.messages { (m) " " }
                    "下面保留了您填写的内容；他人保存的当前内容列在表单下方，核对后可再次保存。"
                } @else {
                    "请修改以下内容后再保存："
                    ul { @for m in &self.messages { li { (m) } } }
                }
            }
        }
    }
}

/// The version saved meanwhile, shown under a form refused for a conflict.
pub fn current_version(revision: i64, rows: &[(&str, String)]) -> Markup {
    html! {
        section.current-version {
            h2 { "当前保存的内容（第" (revision) "版）" }
            table.kv { @for (label, value) in rows { tr { th { (label) } td.text { (value) } } } }
        }
    }
}

/// An operation's outcome as the response: on success a 303 to `to(value)`
/// with a one-time success message (see [`crate::flash`]); on a refusal a 422 with
/// `again(refusal)`, the same form with what was typed (a 503 when the
/// database was busy: nothing typed is lost); any other error the error page.
/// The next page says "已保存。" once (see [`crate::flash`]).
pub async fn respond<T>(
    outcome: taizhang_app::Result<T>,
    to: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(Refusal) -> Result<Markup, AppError>,
) -> Result<Response, AppError> {
    respond_done(Done::Saved, outcome, to, again).await
}

/// [`respond`], with the message the next page shows for what was done.
pub async fn respond_done<T>(
    done: Done,
    outcome: taizhang_app::Result<T>,
    to: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(Refusal) -> Result<Markup, AppError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(value) => Ok(([(header::SET_COOKIE, done.cookie())], Redirect::to(&to(value))).into_response()),
        Err(e) => {
            let status = match e {
                taizhang_app::Error::Busy => StatusCode::SERVICE_UNAVAILABLE,
                taizhang_app::Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok((status, again(refusal(e)?).await?).into_response())
        }
    }
}

/// A refusal to show with the form again; any other error for the error page.
pub fn refusal(e: taizhang_app::Error) -> Result<Refusal, AppError> {
    let conflict = matches!(e, taizhang_app::Error::Conflict(_));
    match e.refusal() {
        Some(messages) => Ok(Refusal { messages, conflict }),
        None => Err(e.into()),
    }
}

/// A form value the page could not read, refused like the application's
/// own refusals.
pub fn invalid(message: impl Into<String>) -> taizhang_app::Error {
    taizhang_app::Error::Invalid(message.into())
}
