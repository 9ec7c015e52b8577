//! Login, logout and the home redirect.

use super::layout::page;
use crate::auth::{self, clear_cookie, cookie_value, CurrentUser};
use crate::error::AppError;
use crate::form::Pressed;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use taizhang_app::view::View;

/// Login forms carry a double-submit token: the same random value in a
/// cookie and in the form, so another site cannot log a browser in.
const LOGIN_CSRF_COOKIE: &str = "tz_login_csrf";

fn login_form(error: Option<&str>, csrf: &str, username: &str) -> maud::Markup {
    page(
        "登录",
        None,
        html! {
            div.login {
                h1 { "登录" }
                @if let Some(e) = error { div.flash.error { (e) } }
                form method="post" action="/login" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="username" { "用户名" }
                    input #username type="text" name="username" autocomplete="username" required autofocus value=(username);
                    label for="password" { "密码" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    button.btn type="submit" { "登录" }
                }
            }
        },
    )
}

/// The login form's double-submit cookie lives on the login address only,
/// and is set and cleared with the same path and flags.
fn login_csrf_cookie(state: &AppState, token: Option<&str>) -> String {
    let secure = auth::secure_flag(state);
    match token {
        Some(t) => format!("{LOGIN_CSRF_COOKIE}={t}; Path=/login; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{LOGIN_CSRF_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}

fn with_login_csrf(state: &AppState, error: Option<&str>, status: axum::http::StatusCode, username: &str) -> Response {
    let token = auth::random_token();
    let cookie = login_csrf_cookie(state, Some(&token));
    (status, [(header::SET_COOKIE, cookie)], login_form(error, &token, username)).into_response()
}

pub async fn show(State(state): State<AppState>) -> Response {
    with_login_csrf(&state, None, axum::http::StatusCode::OK, "")
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn submit(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    if let Err(e) = crate::error::refuse_nul(&form.username).and(crate::error::refuse_nul(&form.password)) {
        return with_login_csrf(&state, Some(&e.message()), e.status(), "");
    }
    let expected = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return with_login_csrf(
            &state,
            Some("页面已过期，请重新登录"),
            axum::http::StatusCode::FORBIDDEN,
            &form.username,
        );
    }
    match auth::login(&state, &form.username, &form.password, "web").await {
        Ok(token) => {
            let mut response = Redirect::to("/").into_response();
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, auth::session_cookie(&state, &token).parse().expect("cookie header"));
            headers.append(header::SET_COOKIE, login_csrf_cookie(&state, None).parse().expect("cookie header"));
            response
        }
        Err(e) => with_login_csrf(&state, Some(&e.message()), e.status(), &form.username),
    }
}

pub async fn logout(State(state): State<AppState>, Pressed { user, .. }: Pressed) -> Result<Response, AppError> {
    user.logout(&state).await?;
    Ok(([(header::SET_COOKIE, clear_cookie(&state, auth::SESSION_COOKIE))], Redirect::to("/login")).into_response())
}

pub async fn home(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Result<Response, AppError> {
    // On a phone (opened from a 企业微信/钉钉 reminder) the first thing is
    // what the person must do.
    let phone = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains("Mobile") || ua.contains("Android"));
    if phone {
        return Ok(Redirect::to("/todo").into_response());
    }
    let view = View::load(&state).await?;
    match view.access(&user).home() {
        Some(to) => Ok(Redirect::to(&to).into_response()),
        None => {
            Ok(page("首页", Some(&user), html! { h1 { "欢迎" } p { "您的账号尚未分配任何单位，请联系系统管理员。" } })
                .into_response())
        }
    }
}
