//! Administration through the real router: units, people, channels and
//! duty lists, and the refusal of everyone who is not an administrator.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn admin_builds_the_organisation_and_the_new_person_can_log_in() {
    let app = App::demo().await;
    let b = app.browser("admin").await;
    let c = Some(b.cookie.as_str());
    let root = app.unit_id("县委宣传部").await.to_string();
    let res = app
        .post_form(
            "/admin/units",
            c,
            &[("csrf", &b.csrf), ("name", "县林业局党组"), ("parent_id", &root), ("kind", "party_group")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("已新增单位“县林业局党组”"));
    let dup = app
        .post_form(
            "/admin/units",
            c,
            &[("csrf", &b.csrf), ("name", "县林业局党组"), ("parent_id", &root), ("kind", "party_group")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert!(dup.body.contains("已存在"));

    let ly = app.unit_id("县林业局党组").await.to_string();
    let short = [
        ("csrf", b.csrf.as_str()),
        ("unit_id", &ly),
        ("name", "林书记"),
        ("title", "党组书记"),
        ("role", "secretary"),
        ("scope", &ly),
        ("username", "ly-shuji"),
        ("password", "short"),
    ];
    assert!(app.post_form("/admin/people", c, &short).await.body.contains("初始密码至少8位"));
    let mut ok = short.to_vec();
    ok[7] = ("password", "linye-2026!");
    let res = app.post_form("/admin/people", c, &ok).await;
    assert!(res.body.contains("已新增人员“林书记”"), "{}", res.body);
    let taken = app.post_form("/admin/people", c, &ok).await;
    assert!(taken.body.contains("已被使用"));

    let res = app
        .post_form(
            "/admin/channels",
            c,
            &[
                ("csrf", &b.csrf),
                ("unit_id", &ly),
                ("name", "县林业局微信公众号"),
                ("kind", "wechat"),
                ("account", "lyj"),
                ("owner", ""),
            ],
        )
        .await;
    assert!(res.body.contains("已新增宣传阵地"), "{}", res.body);

    // The new secretary logs in and lands on the new unit's dashboard.
    let form = app.get("/login", None).await;
    let login_cookie = cookie_pair(&form.cookies, "tz_login_csrf");
    let res = app
        .post_form(
            "/login",
            Some(&login_cookie),
            &[("username", "ly-shuji"), ("password", "linye-2026!"), ("csrf", &csrf_in(&form.body))],
        )
        .await;
    let cookie = cookie_pair(&res.cookies, "tz_session");
    assert_eq!(app.get("/", Some(&cookie)).await.location, Some(format!("/units/{ly}")));
    let dash = app.get(&format!("/units/{ly}"), Some(&cookie)).await;
    assert!(dash.body.contains("县林业局微信公众号"), "the new channel is evaluated");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn duty_lists_are_checked_whole_and_issued_to_the_subtree() {
    let app = App::demo().await;
    let b = app.browser("admin").await;
    let c = Some(b.cookie.as_str());
    let root = app.unit_id("县委宣传部").await.to_string();
    let before = app.count("SELECT COUNT(*) FROM duty_lists").await;
    let bad = "[list]\nid = \"x\"\nname = \"2027清单\"\nversion = \"1\"\n\n[[item]]\nid = \"a\"\ntitle = \"t\"\ncategory = \"c\"\nowner = \"nobody\"\nrule = { type = \"count\", record = \"study\", per = \"year\", min = 8 }\n";
    let res = app.post_form("/admin/duty-lists", c, &[("csrf", &b.csrf), ("unit_id", &root), ("source", bad)]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("责任清单第10行有误"), "{}", res.body);
    assert!(res.body.contains("owner = &quot;nobody&quot;"), "the typed list is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM duty_lists").await, before);

    let good = bad
        .replace("nobody", "secretary")
        .replace("id = \"a\"", "id = \"study-sessions\"")
        .replace("title = \"t\"", "title = \"中心组集体学习（2027年起每年8次）\"");
    let res = app.post_form("/admin/duty-lists", c, &[("csrf", &b.csrf), ("unit_id", &root), ("source", &good)]).await;
    assert!(res.body.contains("已下发至3个党组（党委）"), "{}", res.body);
    let mz = app.unit_id("县民政局党组").await;
    let page = app.get(&format!("/units/{mz}/duty-list"), c).await;
    assert!(page.body.contains("中心组集体学习（2027年起每年8次）") && page.body.contains("每年至少8次"));
}

#[tokio::test]
async fn only_administrators_reach_administration() {
    let app = App::demo().await;
    let root = app.unit_id("县委宣传部").await.to_string();
    for user in ["mz-shuji", "xcb-ducha", "mz-keyuan"] {
        let b = app.browser(user).await;
        let c = Some(b.cookie.as_str());
        assert_eq!(app.get("/admin", c).await.status, StatusCode::FORBIDDEN, "{user}");
        for (path, form) in [
            ("/admin/units", vec![("name", "越权单位"), ("parent_id", root.as_str()), ("kind", "party_group")]),
            (
                "/admin/people",
                vec![("unit_id", root.as_str()), ("name", "越权"), ("role", "admin"), ("scope", root.as_str())],
            ),
            ("/admin/channels", vec![("unit_id", root.as_str()), ("name", "越权"), ("kind", "wechat")]),
            ("/admin/duty-lists", vec![("unit_id", root.as_str()), ("source", "")]),
        ] {
            let mut pairs = vec![("csrf", b.csrf.as_str())];
            pairs.extend(form);
            let res = app.post_form(path, c, &pairs).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} POST {path}: {}", res.body);
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM people WHERE name = '越权'").await, 0);
}
