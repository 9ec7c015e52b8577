//! One's own account: the account page with the calendar subscription,
//! and changing the password (also the page a person lands on after an
//! administrator reset it).

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{respond_done, Query, Submitted};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::{accounts, calendar};
use taizhang_store::password::MIN_PASSWORD_CHARS;

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

fn password_form(user: &CurrentUser, flash: Markup) -> Markup {
    html! {
        h1 { "修改密码" }
        @if user.must_change_password {
            div.flash.error { "管理员已重置您的密码，请先设置新密码再继续使用。" }
        }
        (flash)
        form.record method="post" action="/account/password" {
            (csrf_field(user))
            label for="current" { @if user.must_change_password { "临时密码" } @else { "原密码" } }
            input #current type="password" name="current" autocomplete="current-password" required;
            label for="new" { "新密码（至少" (MIN_PASSWORD_CHARS) "位）" }
            input #new type="password" name="new" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS);
            label for="repeat" { "再次输入新密码" }
            input #repeat type="password" name="repeat" autocomplete="new-password" required;
            p.muted { "修改后，您在其他电脑或手机上的登录将失效。" }
            button.btn type="submit" { "修改密码" }
        }
    }
}

/// GET /account/password
pub async fn password_page(user: CurrentUser) -> Response {
    page("修改密码", Some(&user), password_form(&user, html! {})).into_response()
}

/// POST /account/password
pub async fn change_password(
    State(state): State<AppState>,
    Submitted { user, form, .. }: Submitted<PasswordForm>,
) -> Result<Response, AppError> {
    let outcome = if form.new != form.repeat {
        Err(taizhang_app::Error::Invalid("两次输入的新密码不一致".into()))
    } else {
        accounts::change_own_password(&state, &user, &form.current, &form.new, Some(user.session_hash())).await
    };
    respond_done(
        Done::PasswordChanged,
        outcome,
        |()| "/account/password".to_string(),
        async |refusal| Ok(page("修改密码", Some(&user), password_form(&user, refusal.flash()))),
    )
    .await
}

#[derive(Deserialize)]
pub struct AccountShown {
    revoked: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Empty {}

/// The account page; `new_feed` is a just-made subscription address,
/// shown this once.
async fn account_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Markup,
    new_feed: Option<String>,
) -> Result<Markup, AppError> {
    let feed = calendar::feed_created(state, user).await?;
    let body = html! {
        h1 { "我的账号" }
        (flash)
        p { "姓名：" (user.person.name) }
        p { a href="/account/password" { "修改密码" } }
        h2 { "日历订阅" }
        p.muted { "把需要您办理的事项（责任事项、半年报告、活动审核报备、整改期限、舆情处置时限）订阅到 Outlook 或手机日历，期限变化时日历随之更新。" }
        p { "已登录时也可直接下载：" a href="/api/v1/me/calendar.ics" { "我的日历（.ics）" } }
        @if let Some(url) = &new_feed {
            div.flash.ok {
                "订阅地址已生成。请立即复制到日历软件的“订阅日历/从网址添加”中；此地址只显示这一次，持有者无需登录即可看到您的待办，请勿转给他人。"
            }
            p { input #feed-url type="text" readonly value=(url) style="width:100%"; }
        }
        @match feed {
            Some(at) => {
                p { "订阅地址已启用（生成于" (taizhang_core::period::shanghai_minute(at)) "）。" }
                form method="post" action="/account/calendar" {
                    (csrf_field(user))
                    button.btn type="submit" { "重新生成订阅地址（旧地址立即失效）" }
                }
                form method="post" action="/account/calendar/revoke" {
                    (csrf_field(user))
                    button.btn type="submit" { "停用订阅地址" }
                }
            }
            None => {
                p { "尚未启用订阅地址。" }
                form method="post" action="/account/calendar" {
                    (csrf_field(user))
                    button.btn type="submit" { "生成订阅地址" }
                }
            }
        }
    };
    Ok(page("我的账号", Some(user), body))
}

/// GET /account
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(shown): Query<AccountShown>,
) -> Result<Response, AppError> {
    let flash = html! { @if shown.revoked.is_some() { div.flash.ok { "订阅地址已停用" } } };
    Ok(account_page(&state, &user, flash, None).await?.into_response())
}

/// POST /account/calendar: makes (or remakes) the subscription address and
/// shows it once (no redirect: it is not kept anywhere to show again).
pub async fn create_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Submitted { user, .. }: Submitted<Empty>,
) -> Result<Response, AppError> {
    let token = calendar::create_feed(&state, &user).await?;
    let url = format!("{}/calendar/{token}", state.base_url(&headers));
    Ok(account_page(&state, &user, html! {}, Some(url)).await?.into_response())
}

/// POST /account/calendar/revoke
pub async fn revoke_feed(
    State(state): State<AppState>,
    Submitted { user, .. }: Submitted<Empty>,
) -> Result<Response, AppError> {
    calendar::revoke_feed(&state, &user).await?;
    Ok(axum::response::Redirect::to("/account?revoked=1").into_response())
}
