//! Accounts: changing one's own password, and the administrator resetting
//! a password or disabling an account; sessions end where they must.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use taizhang_demo::DEMO_PASSWORD;

const NEW: &str = "a-new-long-secret";

async fn login_status(app: &App, username: &str, password: &str) -> StatusCode {
    let body = json!({ "username": username, "password": password });
    app.api(Method::POST, "/api/v1/session", None, Some(body)).await.status
}

async fn person_id(app: &App, username: &str) -> i64 {
    app.store.login(username).await.unwrap().unwrap().person.id
}

#[tokio::test]
async fn a_person_changes_the_password_and_other_sessions_end() {
    let app = App::demo().await;
    let here = app.browser("mz-keyuan").await;
    let phone = app.token("mz-keyuan").await;
    let form = |current: &'static str, new: &'static str, repeat: &'static str| {
        [("csrf", here.csrf.clone()), ("current", current.into()), ("new", new.into()), ("repeat", repeat.into())]
    };
    let post = |pairs: [(&'static str, String); 4]| {
        let app = &app;
        let cookie = here.cookie.clone();
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form("/account/password", Some(&cookie), &pairs).await
        }
    };
    let wrong = post(form("wrong-password", NEW, NEW)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("原密码不正确"), "{}", wrong.body);
    let mismatch = post(form(DEMO_PASSWORD, NEW, "something-else")).await;
    assert!(mismatch.body.contains("两次输入的新密码不一致"), "{}", mismatch.body);
    let short = post(form(DEMO_PASSWORD, "short", "short")).await;
    assert!(short.body.contains("新密码太短"), "{}", short.body);

    let ok = post(form(DEMO_PASSWORD, NEW, NEW)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = app.follow(&ok, &here.cookie).await;
    assert!(page.body.contains("密码已修改"), "this session goes on: {}", page.body);
    let other = app.api(Method::GET, "/api/v1/units", Some(&phone), None).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "the other session ended");
    assert_eq!(login_status(&app, "mz-keyuan", DEMO_PASSWORD).await, StatusCode::UNAUTHORIZED);
    assert_eq!(login_status(&app, "mz-keyuan", NEW).await, StatusCode::OK);

    // Over the API: this token stays valid.
    let token = app.token("mz-shuji").await;
    let change = json!({ "current": DEMO_PASSWORD, "new": NEW });
    let res = app.api(Method::PUT, "/api/v1/me/password", Some(&token), Some(change)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    assert_eq!(app.api(Method::GET, "/api/v1/units", Some(&token), None).await.status, StatusCode::OK);
    assert!(app.store.verify().await.unwrap().is_ok(), "password changes are audited");
}

#[tokio::test]
async fn an_administrator_resets_a_password_which_must_be_changed_at_next_login() {
    let app = App::demo().await;
    let target = person_id(&app, "mz-keyuan").await;
    let victim_session = app.token("mz-keyuan").await;
    let admin = app.browser("admin").await;
    let temporary = "temporary-secret";
    let id = target.to_string();
    let reset = [("csrf", admin.csrf.as_str()), ("person_id", &id), ("action", "reset"), ("password", temporary)];
    let res = app.post_form("/admin/accounts", Some(&admin.cookie), &reset).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("已重置") && res.body.contains("刘晓雯"), "{}", res.body);
    let gone = app.api(Method::GET, "/api/v1/units", Some(&victim_session), None).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "every session of the person ended");

    // With the temporary password, only changing it is possible.
    let body = json!({ "username": "mz-keyuan", "password": temporary });
    let token =
        app.api(Method::POST, "/api/v1/session", None, Some(body)).await.json()["token"].as_str().unwrap().to_string();
    let blocked = app.api(Method::GET, "/api/v1/units", Some(&token), None).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.json()["error"], "管理员已重置您的密码，请先修改密码");
    let change = json!({ "current": temporary, "new": NEW });
    let res = app.api(Method::PUT, "/api/v1/me/password", Some(&token), Some(change)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    assert_eq!(app.api(Method::GET, "/api/v1/units", Some(&token), None).await.status, StatusCode::OK);

    // In a browser, every page leads to the password form until it is changed.
    let again = [("csrf", admin.csrf.as_str()), ("person_id", &id), ("action", "reset"), ("password", temporary)];
    app.post_form("/admin/accounts", Some(&admin.cookie), &again).await;
    let form = app.get("/login", None).await;
    let login_cookie =
        form.cookies.iter().find(|c| c.starts_with("tz_login_csrf=")).unwrap().split(';').next().unwrap().to_string();
    let csrf = form.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = app
        .post_form(
            "/login",
            Some(&login_cookie),
            &[("username", "mz-keyuan"), ("password", temporary), ("csrf", &csrf)],
        )
        .await;
    let cookie =
        res.cookies.iter().find(|c| c.starts_with("tz_session=")).unwrap().split(';').next().unwrap().to_string();
    let mz = app.unit_id("县民政局党组").await;
    let page = app.get(&format!("/units/{mz}"), Some(&cookie)).await;
    assert_eq!(page.location.as_deref(), Some("/account/password"));
    let form = app.get("/account/password", Some(&cookie)).await;
    assert!(form.body.contains("管理员已重置您的密码"), "{}", form.body);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_its_sessions_end_and_its_records_stay() {
    let app = App::demo().await;
    let target = person_id(&app, "mz-keyuan").await;
    let records_before = app.count(&format!("SELECT COUNT(*) FROM records WHERE entered_by = {target}")).await;
    let session = app.browser("mz-keyuan").await;
    let admin = app.browser("admin").await;
    let id = target.to_string();
    let disable = [("csrf", admin.csrf.as_str()), ("person_id", &id), ("action", "disable")];
    let res = app.post_form("/admin/accounts", Some(&admin.cookie), &disable).await;
    assert!(res.body.contains("已停用"), "{}", res.body);
    let page = app.get("/notifications", Some(&session.cookie)).await;
    assert_eq!(page.location.as_deref(), Some("/login"), "the session ended at once");
    assert_eq!(login_status(&app, "mz-keyuan", DEMO_PASSWORD).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM records WHERE entered_by = {target}")).await, records_before);
    let admin_page = app.get("/admin", Some(&admin.cookie)).await;
    assert!(admin_page.body.contains("已停用"), "the list shows it");

    let enable = [("csrf", admin.csrf.as_str()), ("person_id", &id), ("action", "enable")];
    app.post_form("/admin/accounts", Some(&admin.cookie), &enable).await;
    assert_eq!(login_status(&app, "mz-keyuan", DEMO_PASSWORD).await, StatusCode::OK);

    // Only an administrator, and not on his or her own account.
    let secretary = app.browser("mz-shuji").await;
    let res = app
        .post_form(
            "/admin/accounts",
            Some(&secretary.cookie),
            &[("csrf", &secretary.csrf), ("person_id", &id), ("action", "disable")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let own = person_id(&app, "admin").await.to_string();
    let res = app
        .post_form(
            "/admin/accounts",
            Some(&admin.cookie),
            &[("csrf", &admin.csrf), ("person_id", &own), ("action", "disable")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("不能在这里修改自己的账号"), "{}", res.body);
    assert!(app.store.verify().await.unwrap().is_ok());
}
