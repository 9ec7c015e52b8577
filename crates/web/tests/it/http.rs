//! HTTP tests through the real router: login, CSRF, rate limit, pages,
//! API, and the isolation rule tried on every route as the wrong user.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const MZ: &str = "县民政局党组";
const SL: &str = "县水利局党委";

#[tokio::test]
async fn health_and_openapi() {
    let app = App::demo().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    assert_eq!(spec["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    for path in ["/session", "/units", "/units/{id}/duties", "/units/{id}/records", "/records/{id}"] {
        assert!(spec["paths"][path].is_object(), "openapi lacks {path}");
    }
}

#[tokio::test]
async fn login_needs_csrf_and_logout_ends_the_session() {
    let app = App::demo().await;
    assert_eq!(app.get("/", None).await.location.as_deref(), Some("/login"), "anonymous goes to login");
    let form = app.get("/login", None).await;
    let login_cookie = cookie_pair(&form.cookies, "tz_login_csrf");
    let without = app
        .post_form(
            "/login",
            Some(&login_cookie),
            &[("username", "mz-shuji"), ("password", "taizhang-demo"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert!(without.cookies.iter().all(|c| !c.starts_with("tz_session=")));

    let b = app.browser("mz-shuji").await;
    let home = app.get("/", Some(&b.cookie)).await;
    let mz = app.unit_id(MZ).await;
    assert_eq!(home.location, Some(format!("/units/{mz}")));
    let forged = app.post_form("/logout", Some(&b.cookie), &[("csrf", "nope")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "logout without the token is refused");
    let out = app.post_form("/logout", Some(&b.cookie), &[("csrf", &b.csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_eq!(
        app.get(&format!("/units/{mz}"), Some(&b.cookie)).await.location.as_deref(),
        Some("/login"),
        "session is gone"
    );
}

#[tokio::test]
async fn login_is_rate_limited_per_username() {
    let app = App::demo().await;
    let wrong = json!({ "username": "mz-shuji", "password": "guess" });
    for _ in 0..5 {
        let res = app.api(Method::POST, "/api/v1/session", None, Some(wrong.clone())).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json()["error"], "用户名或密码不正确");
    }
    let right = json!({ "username": "mz-shuji", "password": "taizhang-demo" });
    let res = app.api(Method::POST, "/api/v1/session", None, Some(right)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.json()["error"].as_str().unwrap().contains("登录失败次数过多"));
    // Another account is not affected.
    app.token("sl-shuji").await;
}

#[tokio::test]
async fn secretary_dashboard_shows_the_seeded_gaps_with_reasons() {
    let app = App::demo().await;
    let b = app.browser("mz-shuji").await;
    let mz = app.unit_id(MZ).await;
    let page = app.get(&format!("/units/{mz}?period=2026"), Some(&b.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "需要办理的事项",
        "2026年4月未召开支部委员会会议",
        "2026年8月未召开支部委员会会议",
        "风险隐患台账自2026年7月10日",
        "县民政局微信公众号",
        "3次缺少研讨记录",
        "逾期12天报送",
        "郑国华",
        "<svg",
    ] {
        assert!(page.body.contains(text), "dashboard lacks {text}");
    }
    let detail = app.get(&format!("/units/{mz}/duties/branch-committee?period=2026"), Some(&b.cookie)).await;
    assert!(detail.body.contains("逐期情况") && detail.body.contains("2026-04"), "{}", detail.status);
}

#[tokio::test]
async fn inspector_sees_every_unit_in_the_rollup_and_cannot_edit() {
    let app = App::demo().await;
    let b = app.browser("xcb-ducha").await;
    let root = app.unit_id("县委宣传部").await;
    let home = app.get("/", Some(&b.cookie)).await;
    assert_eq!(home.location, Some(format!("/rollup/{root}")));
    let rollup = app.get(&format!("/rollup/{root}?period=2026"), Some(&b.cookie)).await;
    for unit in [MZ, SL, "县残联党组"] {
        assert!(rollup.body.contains(unit), "roll-up lacks {unit}");
    }
    assert!(rollup.body.contains("cell-overdue"), "coloured cells");
    let mz = app.unit_id(MZ).await;
    let dash = app.get(&format!("/units/{mz}"), Some(&b.cookie)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(!dash.body.contains("录入记录"), "no entry button for an inspector");
    let before = app.count("SELECT COUNT(*) FROM records").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &mz.to_string()),
        ("occurred_on", "2026-11-20"),
        ("topic", "研判"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("无权"));
    let token = app.token("xcb-ducha").await;
    let api = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&token), Some(analysis_json())).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before, "nothing written");
}

fn analysis_json() -> serde_json::Value {
    json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "第四季度分析研判", "report": "研判报告" } })
}

/// Every route that touches a unit's data, tried by a person of another unit.
#[tokio::test]
async fn nobody_reaches_another_units_data_on_any_route() {
    let app = App::demo().await;
    let sl = app.unit_id(SL).await;
    let root = app.unit_id("县委宣传部").await;
    let sl_record =
        app.store.records(&[sl], None, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), today()).await.unwrap()[0]
            .id;
    let b = app.browser("mz-shuji").await;
    let c = Some(b.cookie.as_str());
    let before = app.count("SELECT COUNT(*) FROM audit").await;

    for path in [
        format!("/units/{sl}"),
        format!("/units/{sl}/duties/study-sessions"),
        format!("/units/{sl}/records"),
        format!("/units/{sl}/records/new?kind=analysis"),
        format!("/units/{sl}/duty-list"),
        format!("/records/{sl_record}"),
        format!("/records/{sl_record}/edit"),
        format!("/rollup/{root}"),
        format!("/rollup/{sl}"),
    ] {
        let res = app.get(&path, c).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"), "GET {path}: Chinese message");
    }
    let create = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &sl.to_string()),
        ("occurred_on", "2026-11-20"),
        ("topic", "越权"),
    ];
    assert_eq!(app.post_form(&format!("/units/{sl}/records"), c, &create).await.status, StatusCode::FORBIDDEN);
    let update =
        [("csrf", b.csrf.as_str()), ("unit_id", &sl.to_string()), ("occurred_on", "2026-11-20"), ("topic", "越权")];
    assert_eq!(app.post_form(&format!("/records/{sl_record}"), c, &update).await.status, StatusCode::FORBIDDEN);
    // Posting to its own unit with another unit's id in the form is refused too.
    let mz = app.unit_id(MZ).await;
    let smuggle = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &sl.to_string()),
        ("occurred_on", "2026-11-20"),
        ("topic", "夹带"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), c, &smuggle).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);

    let token = app.token("mz-shuji").await;
    let t = Some(token.as_str());
    for path in [
        format!("/api/v1/units/{sl}/duties?year=2026"),
        format!("/api/v1/units/{sl}/records"),
        format!("/api/v1/records/{sl_record}"),
    ] {
        let res = app.api(Method::GET, &path, t, None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "API GET {path}");
        assert!(res.json()["error"].as_str().unwrap().contains("无权"));
    }
    assert_eq!(
        app.api(Method::POST, &format!("/api/v1/units/{sl}/records"), t, Some(analysis_json())).await.status,
        StatusCode::FORBIDDEN
    );
    let put = json!({ "occurred_on": "2026-11-20", "revision": 1, "data": { "kind": "analysis", "topic": "越权" } });
    assert_eq!(
        app.api(Method::PUT, &format!("/api/v1/records/{sl_record}"), t, Some(put)).await.status,
        StatusCode::FORBIDDEN
    );

    let units = app.api(Method::GET, "/api/v1/units", t, None).await.json();
    let names: Vec<&str> = units.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.contains(&MZ) && !names.contains(&SL) && !names.contains(&"县委宣传部"), "{names:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn a_form_with_a_missing_field_says_so_and_writes_nothing() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let branch = app.unit_id("县民政局机关第一党支部").await;
    let before = app.count("SELECT COUNT(*) FROM records").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "branch_meeting"),
        ("unit_id", &branch.to_string()),
        ("occurred_on", "2026-11-20"),
        ("meeting_type", "committee"),
        ("topic", ""),
        ("due", "7"),
        ("present", "6"),
        ("absentees", "张三：出差"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("请填写主题"), "names the field");
    assert!(res.body.contains("张三：出差"), "keeps what was typed");
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before);

    let mut ok = form.to_vec();
    ok[5] = ("topic", "研究十一月党员发展工作");
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &ok).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = app.follow(&res, &b.cookie).await;
    assert!(shown.body.contains("已保存") && shown.body.contains("研究十一月党员发展工作"));
    let again = app.get(res.location.as_deref().unwrap(), Some(&b.cookie)).await;
    assert!(!again.body.contains("已保存"), "the message is shown once");
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before + 1);
    // Without the CSRF token the same post is refused.
    let mut forged = ok.clone();
    forged[0] = ("csrf", "x");
    assert_eq!(
        app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &forged).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn api_records_round_trip_with_revisions_and_clear_errors() {
    let app = App::demo().await;
    let token = app.token("mz-keyuan").await;
    let t = Some(token.as_str());
    let mz = app.unit_id(MZ).await;
    let created = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), t, Some(analysis_json())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let put = |rev: i64, topic: &str| json!({ "occurred_on": "2026-11-21", "revision": rev, "data": { "kind": "analysis", "topic": topic, "report": "报告" } });
    let updated = app.api(Method::PUT, &format!("/api/v1/records/{id}"), t, Some(put(1, "改后的研判"))).await;
    assert_eq!(updated.json()["revision"], 2);
    let stale = app.api(Method::PUT, &format!("/api/v1/records/{id}"), t, Some(put(1, "过时的修改"))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.json()["error"].as_str().unwrap().contains("已被他人修改"));
    let got = app.api(Method::GET, &format!("/api/v1/records/{id}"), t, None).await.json();
    assert_eq!(got["data"]["topic"], "改后的研判");
    assert_eq!(got["revisions"][0]["data"]["topic"], "第四季度分析研判");

    let bad = app
        .api(
            Method::POST,
            &format!("/api/v1/units/{mz}/records"),
            t,
            Some(json!({ "occurred_on": "2026-02-30", "data": {} })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"].as_str().unwrap().starts_with("请求内容有误"));
    let invalid = app
        .api(
            Method::POST,
            &format!("/api/v1/units/{mz}/records"),
            t,
            Some(json!({ "occurred_on": "2026-11-02", "data": { "kind": "analysis", "topic": "" } })),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.json()["fields"][0]["field"], "topic");

    let duties = app.api(Method::GET, &format!("/api/v1/units/{mz}/duties?year=2026"), t, None).await.json();
    let risk = duties["duties"].as_array().unwrap().iter().find(|d| d["item_id"] == "risk-ledger").unwrap();
    assert_eq!(risk["status"], "overdue");
    assert!(risk["reason"].as_str().unwrap().contains("未复核"));
    assert_eq!(app.api(Method::GET, "/api/v1/units", None, None).await.status, StatusCode::UNAUTHORIZED);
    assert!(app.store.verify().await.unwrap().is_ok(), "every API write is audited");
}

/// A record entered by form as `b`, returning its id.
async fn record_by_form(app: &App, b: &Browser, mz: i64, topic: &str) -> i64 {
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &mz.to_string()),
        ("occurred_on", "2026-11-20"),
        ("topic", topic),
        ("report", "研判报告"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location.unwrap();
    location.trim_start_matches("/records/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_stale_record_edit_comes_back_with_the_input_and_the_saved_version() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let id = record_by_form(&app, &b, mz, "第四季度分析研判").await;
    let edit = |revision: &'static str, topic: &'static str| {
        let (app, b) = (&app, &b);
        async move {
            let mz = mz.to_string();
            let form = [
                ("csrf", b.csrf.as_str()),
                ("revision", revision),
                ("unit_id", mz.as_str()),
                ("occurred_on", "2026-11-21"),
                ("topic", topic),
                ("report", "研判报告"),
            ];
            app.post_form(&format!("/records/{id}"), Some(&b.cookie), &form).await
        }
    };
    assert_eq!(edit("1", "改后的研判").await.status, StatusCode::SEE_OTHER);
    let audit = app.count("SELECT COUNT(*) FROM audit").await;
    let stale = edit("1", "过时的修改").await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
    assert!(stale.body.contains("已被他人修改"), "says why: {}", stale.body);
    assert!(stale.body.contains("value=\"过时的修改\""), "keeps what was typed: {}", stale.body);
    assert!(
        stale.body.contains("当前保存的内容（第2版）") && stale.body.contains("改后的研判"),
        "shows the saved version"
    );
    assert!(stale.body.contains("name=\"revision\" value=\"2\""), "a second save overwrites knowingly");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit, "nothing was written");
    assert_eq!(edit("2", "过时的修改").await.status, StatusCode::SEE_OTHER);
    assert!(app.get(&format!("/records/{id}"), Some(&b.cookie)).await.body.contains("过时的修改"));
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let office =
        app.count(&format!("SELECT id FROM units WHERE name = '办公室' AND parent_id = {mz}")).await.to_string();
    let news = [
        ("csrf", b.csrf.as_str()),
        ("department_id", office.as_str()),
        ("title", "我局开展冬季救助专项行动"),
        ("authors", ""),
        ("outlet", "县政府网站"),
        ("level", "county"),
        ("submitted_on", "2026-11-20"),
        ("adopted_on", "2026-11-01"),
    ];
    let res = app.post_form(&format!("/units/{mz}/news"), Some(&b.cookie), &news).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("录用日期不能早于报送日期"), "{}", res.body);
    assert!(res.body.contains("value=\"我局开展冬季救助专项行动\"") && res.body.contains("value=\"县政府网站\""));

    let owner = app.count("SELECT id FROM people WHERE name = '吴海燕'").await.to_string();
    let risk = [
        ("csrf", b.csrf.as_str()),
        ("domain", "殡葬改革"),
        ("title", "冬至祭扫期间违规焚烧风险"),
        ("level", "low"),
        ("measures", ""),
        ("owner_id", owner.as_str()),
    ];
    let res = app.post_form(&format!("/units/{mz}/risks"), Some(&b.cookie), &risk).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("value=\"冬至祭扫期间违规焚烧风险\"") && res.body.contains("value=\"殡葬改革\""));
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_before_it_is_read() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let mz = app.unit_id(MZ).await;
    let id = record_by_form(&app, &b, mz, "第四季度分析研判").await;
    let audit = app.count("SELECT COUNT(*) FROM audit").await;
    // Malformed as well as forged: the token is checked before the form is
    // parsed, so the answer is 403, not a complaint about the form.
    let forged = [("csrf", "forged"), ("revision", "abc"), ("topic", "越权")];
    for path in [
        format!("/units/{mz}/records"),
        format!("/records/{id}"),
        format!("/units/{mz}/risks"),
        format!("/units/{mz}/risks/review"),
        format!("/units/{mz}/news"),
        format!("/units/{mz}/assessment/submit"),
        "/drafts/1/edit".to_string(),
        "/drafts/1/sign".to_string(),
        "/notifications/read".to_string(),
    ] {
        let res = app.post_form(&path, Some(&b.cookie), &forged).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
        let missing = app.post_form(&path, Some(&b.cookie), &[("topic", "越权")]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN, "{path} without a token");
    }
    let forger = Browser { cookie: b.cookie.clone(), csrf: "forged".into() };
    for (path, file) in [(format!("/units/{mz}/drafts"), "docx"), (format!("/units/{mz}/news/import"), "file")] {
        let res = app.upload(&path, &forger, &[("title", "越权")], (file, "a.csv", b"x")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit, "nothing was written");
}

/// A page the guard refuses (or a handler cannot find) still carries the
/// signed-in person's header, so they can navigate on from it.
#[tokio::test]
async fn a_refused_page_keeps_the_signed_in_header() {
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let sl = app.unit_id(SL).await;
    let refused = app.get(&format!("/units/{sl}/risks"), Some(&b.cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("您无权查看"), "{}", refused.body);
    assert!(refused.body.contains("href=\"/todo\"") && refused.body.contains("action=\"/logout\""), "{}", refused.body);
    let missing = app.get("/risks/999999", Some(&b.cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("href=\"/todo\""), "{}", missing.body);
    let unknown = app.get("/no-such-page", Some(&b.cookie)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("页面不存在") && unknown.body.contains("href=\"/todo\""), "{}", unknown.body);
    let anonymous = app.get("/healthz-no", None).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(!anonymous.body.contains("href=\"/todo\""), "nobody signed in: no header links");
}
