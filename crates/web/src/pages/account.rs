//! One's own account: changing the password (also the page a person lands
//! on after an administrator reset it).

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{respond_done, Submitted};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::accounts;
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
