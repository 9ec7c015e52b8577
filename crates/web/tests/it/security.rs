//! Response headers that keep pages from running scripts or being framed,
//! and CSRF on API calls made with a browser's cookie.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

const MZ: &str = "县民政局党组";

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-keyuan").await;
    let answers = [
        ("login page", app.get_with_headers("/login", None).await),
        ("dashboard", app.get_with_headers(&format!("/units/{mz}"), Some(&b.cookie)).await),
        ("ledger download", app.get_with_headers(&format!("/units/{mz}/risks.xlsx"), Some(&b.cookie)).await),
        ("missing page", app.get_with_headers("/no-such-page", Some(&b.cookie)).await),
        (
            "refused page",
            app.get_with_headers(&format!("/units/{}", app.unit_id("县水利局党委").await), Some(&b.cookie)).await,
        ),
    ];
    for (what, headers) in answers.iter().chain(
        [(
            "API",
            app.send_raw(
                Request::get(format!("/api/v1/units/{mz}/duties"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await,
        )]
        .iter(),
    ) {
        let csp = headers.get(header::CONTENT_SECURITY_POLICY).map(|v| v.to_str().unwrap().to_string());
        let csp = csp.unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        // The only script is the server's own file: no inline script, no other origin.
        let scripts: Vec<&str> = csp.split(';').map(str::trim).filter(|d| d.starts_with("script-src")).collect();
        assert_eq!(scripts, ["script-src 'self'"], "{what}: only the server's own script may run: {csp}");
        assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY", "{what}");
        assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff", "{what}");
        assert_eq!(headers.get(header::REFERRER_POLICY).unwrap(), "no-referrer", "{what}");
    }
}

#[tokio::test]
async fn an_api_write_on_a_cookie_session_needs_the_csrf_header() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let before = app.count("SELECT COUNT(*) FROM records").await;
    let record = json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "第四季度分析研判", "report": "研判报告" } });
    let post = |csrf: Option<&str>| {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/units/{mz}/records"))
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        req.body(Body::from(record.to_string())).unwrap()
    };
    for forged in [None, Some("0000")] {
        let res = app.send(post(forged)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{forged:?}: {}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before, "nothing was written");
    let res = app.send(post(Some(&b.csrf))).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // Reading needs no token.
    let req = Request::get(format!("/api/v1/units/{mz}/records")).header(header::COOKIE, &b.cookie);
    assert_eq!(app.send(req.body(Body::empty()).unwrap()).await.status, StatusCode::OK);
}

/// Every Set-Cookie of a login through the form, and of the logout.
async fn cookies_of_a_login(app: &App) -> Vec<String> {
    let form = app.get("/login", None).await;
    let login_cookie = cookie_pair(&form.cookies, "tz_login_csrf");
    let pairs = [("username", "mz-keyuan"), ("password", taizhang_demo::DEMO_PASSWORD), ("csrf", &csrf_in(&form.body))];
    let done = app.post_form("/login", Some(&login_cookie), &pairs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let session = cookie_pair(&done.cookies, "tz_session");
    let page = app.get("/notifications", Some(&session)).await;
    let out = app.post_form("/logout", Some(&session), &[("csrf", &csrf_in(&page.body))]).await;
    [form.cookies, done.cookies, out.cookies].concat()
}

#[tokio::test]
async fn the_login_cookie_is_cleared_where_it_was_set_and_every_cookie_is_secure_behind_https() {
    for secure in [false, true] {
        let app = App::demo_with(|state| taizhang_web::AppState { secure_cookies: secure, ..state }).await;
        let cookies = cookies_of_a_login(&app).await;
        let login: Vec<&String> = cookies.iter().filter(|c| c.starts_with("tz_login_csrf=")).collect();
        assert_eq!(login.len(), 2, "set, then cleared: {cookies:?}");
        assert!(login.iter().all(|c| c.contains("Path=/login;")), "{login:?}");
        assert!(login[1].contains("Max-Age=0"), "{login:?}");
        assert_eq!(cookies.len(), 4, "login form, login (session and cleared form cookie), logout: {cookies:?}");
        for c in &cookies {
            assert_eq!(c.contains("; Secure"), secure, "{c}");
            assert!(c.contains("HttpOnly"), "{c}");
        }
    }
}

#[tokio::test]
async fn nul_characters_are_refused_at_the_edge_and_nothing_is_written() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let audit = app.count("SELECT COUNT(*) FROM audit").await;

    let form = app.get("/login", None).await;
    let login_cookie = cookie_pair(&form.cookies, "tz_login_csrf");
    let pairs = [("username", "mz-\0keyuan"), ("password", "x"), ("csrf", &csrf_in(&form.body))];
    let res = app.post_form("/login", Some(&login_cookie), &pairs).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.body.contains("空字符"), "{}", res.body);

    let b = app.browser("mz-keyuan").await;
    let risk = [("csrf", b.csrf.as_str()), ("domain", "殡葬改革"), ("title", "清明\0祭扫"), ("level", "high")];
    let res = app.post_form(&format!("/units/{mz}/risks"), Some(&b.cookie), &risk).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);

    let token = app.token("mz-keyuan").await;
    let body =
        json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "研判\u{0}", "report": "报告" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&token), Some(body)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);

    let csv = "问题描述,来源\n台账\0不全,自查\n";
    let res =
        app.upload(&format!("/units/{mz}/rectifications/import"), &b, &[], ("file", "a.csv", csv.as_bytes())).await;
    // An import file is refused as the importers refuse a file: listed on its line 1.
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("第1行：内容中含有无法保存的空字符"), "{}", res.body);

    // Logging in wrote its session only; nothing else was written.
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit);
}

#[tokio::test]
async fn the_robots_address_is_write_only() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let path = format!("/api/v1/units/{mz}/reminder-settings");
    let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY";
    let put = json!({ "webhook_kind": "wecom", "webhook_url": url });
    let res = app.api(Method::PUT, &path, Some(&app.token("mz-shuji").await), Some(put)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for who in ["mz-shuji", "mz-keyuan", "xcb-ducha"] {
        let res = app.api(Method::GET, &path, Some(&app.token(who).await), None).await;
        assert!(!res.body.contains("SECRETKEY"), "{who}: {}", res.body);
        assert_eq!(res.json()["webhook_url"], "https://qyapi.weixin.qq.com/****", "{who}");
        assert_eq!(res.json()["webhook_url_set"], true, "{who}");
    }
    let b = app.browser("mz-shuji").await;
    let page = app.get(&format!("/units/{mz}/reminders"), Some(&b.cookie)).await;
    assert!(!page.body.contains("SECRETKEY") && page.body.contains("qyapi.weixin.qq.com/****"), "{}", page.body);
    // Saving the form with the address left empty keeps it.
    let form = [("csrf", b.csrf.as_str()), ("before_days", "3"), ("webhook_kind", "wecom"), ("webhook_url", "")];
    app.post_form(&format!("/units/{mz}/reminders"), Some(&b.cookie), &form).await;
    assert_eq!(app.store.reminder_settings(mz).await.unwrap().webhook_url, url);
}

#[tokio::test]
async fn reviewing_assessments_does_not_grant_writing_a_units_records() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let reviewer = app.token("xcb-kaohe").await;
    let record =
        json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "代录", "report": "报告" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&reviewer), Some(record)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let risk = app.count(&format!("SELECT MIN(id) FROM risks WHERE unit_id = {mz}")).await;
    let res = app.api(Method::PUT, &format!("/api/v1/risks/{risk}"), Some(&reviewer), Some(json!({}))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    // A branch secretary does not change the group's settings.
    let branch = app.token("mz-zhibu1").await;
    let res =
        app.api(Method::PUT, &format!("/api/v1/units/{mz}/reminder-settings"), Some(&branch), Some(json!({}))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    // ... and writes for the branch only: its meetings, not the group's records or risks.
    let own = app.unit_id("县民政局机关第一党支部").await;
    let meeting = json!({ "occurred_on": "2026-11-20", "data": {
        "kind": "branch_meeting", "meeting_type": "group", "topic": "十一月党小组会", "due": 6, "present": 6 } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{own}/records"), Some(&branch), Some(meeting)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let group_record =
        json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "代录", "report": "报告" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&branch), Some(group_record)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app.api(Method::PUT, &format!("/api/v1/risks/{risk}"), Some(&branch), Some(json!({}))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app.api(Method::GET, &format!("/api/v1/units/{mz}/duties"), Some(&branch), None).await;
    assert_eq!(res.status, StatusCode::OK, "the branch secretary still reads the group's duties");
}

#[tokio::test]
async fn parallel_password_guesses_are_counted_before_any_is_checked() {
    use tower::ServiceExt;
    let app = App::demo().await;
    let guesses: Vec<_> = (0..40)
        .map(|i| {
            let router = app.router.clone();
            let body = json!({ "username": "mz-keyuan", "password": format!("guess-{i}") }).to_string();
            let req = Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            tokio::spawn(async move { router.oneshot(req).await.unwrap().status() })
        })
        .collect();
    let mut checked = 0;
    for g in guesses {
        match g.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}"),
        }
    }
    assert!(checked <= taizhang_web::auth::MAX_FAILURES as usize, "{checked} of 40 guesses were checked");
    // The right password is refused too until the window passes.
    let body = json!({ "username": "mz-keyuan", "password": taizhang_demo::DEMO_PASSWORD });
    let res = app.api(Method::POST, "/api/v1/session", None, Some(body)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

/// While another process holds the database's write lock (a long
/// `taizhang import`), a write waits the busy timeout and then answers 503
/// with a Chinese "try again", the form keeping what was typed; reads go on.
#[tokio::test]
async fn a_write_during_a_long_import_answers_503_and_keeps_the_form() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let token = app.token("mz-keyuan").await;
    let importer = taizhang_store::testing::fresh_sqlite(app.dir()).await.unwrap();
    let held = importer.hold_write_lock_for_tests().await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &mz.to_string()),
        ("occurred_on", "2026-11-20"),
        ("topic", "导入期间录入的研判"),
    ];
    let body =
        json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "导入期间", "report": "报告" } });
    let (form_path, api_path, dashboard) =
        (format!("/units/{mz}/records"), format!("/api/v1/units/{mz}/records"), format!("/units/{mz}"));
    let (page, api, read) = tokio::join!(
        app.post_form(&form_path, Some(&b.cookie), &form),
        app.api(Method::POST, &api_path, Some(&token), Some(body)),
        app.get(&dashboard, Some(&b.cookie)),
    );
    drop(held);
    assert_eq!(read.status, StatusCode::OK, "reading is not blocked");
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(page.body.contains("系统正在导入数据，请稍后再试"), "{}", page.body);
    assert!(page.body.contains("导入期间录入的研判"), "the form keeps what was typed");
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE, "{}", api.body);
    assert_eq!(api.json()["error"], "系统正在导入数据，请稍后再试");
    assert_eq!(app.count("SELECT COUNT(*) FROM records WHERE data LIKE '%导入期间%'").await, 0);
}
