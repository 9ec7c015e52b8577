//! The channel ledger's event channels (审核报备) and quarterly checks
//! through the real router: records about a channel must name a channel of
//! the unit and of the right kind, an event filed in time clears its duty,
//! and the ledger page shows where each event and check stands.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const FORUM: &str = "县民政局“民政大讲堂”";
const WECHAT: &str = "县民政局微信公众号";

async fn channel(app: &App, name: &str) -> i64 {
    app.store.org().await.unwrap().channels.iter().find(|c| c.name == name).unwrap().id
}

async fn duty(app: &App, token: &str, unit: i64, item: &str) -> Value {
    let res = app.api(Method::GET, &format!("/api/v1/units/{unit}/duties?period=2026"), Some(token), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["duties"].as_array().unwrap().iter().find(|d| d["item_id"] == item).cloned().expect("duty listed")
}

fn filing(channel: i64, filed_on: Option<&str>) -> Value {
    json!({
        "occurred_on": "2026-11-27",
        "data": {
            "kind": "event_filing",
            "channel_id": channel,
            "topic": "学习贯彻党的二十届四中全会精神宣讲报告会",
            "speaker": "县委宣讲团 谭立群",
            "reviewer": "王建国",
            "reviewed_on": "2026-11-19",
            "filed_to": if filed_on.is_some() { "县委宣传部" } else { "" },
            "filed_on": filed_on,
        }
    })
}

#[tokio::test]
async fn an_event_filed_before_it_is_held_clears_its_duty() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-bgs").await;
    let before = duty(&app, &token, mz, "event-filing").await;
    assert_eq!(before["status"], "due_soon", "{before}");
    assert!(before["reason"].as_str().unwrap().contains("尚未报备，须在活动前完成（剩4天）"), "{before}");

    // The demo's planned event, found and completed through the API.
    let forum = channel(&app, FORUM).await;
    let res = app
        .api(Method::GET, &format!("/api/v1/units/{mz}/records?kind=event_filing&to=2026-12-31"), Some(&token), None)
        .await;
    let listed = res.json();
    let planned = listed
        .as_array()
        .unwrap_or_else(|| panic!("{listed}"))
        .iter()
        .find(|r| r["occurred_on"] == "2026-11-27")
        .cloned()
        .expect("the planned event is listed");
    let mut body = filing(forum, Some("2026-11-23"));
    body["revision"] = planned["revision"].clone();
    let res = app.api(Method::PUT, &format!("/api/v1/records/{}", planned["id"]), Some(&token), Some(body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let after = duty(&app, &token, mz, "event-filing").await;
    assert_eq!(after["status"], "late", "only the September event filed after it was held remains: {after}");
    assert!(after["reason"].as_str().unwrap().contains("举办后3天才完成审核报备"), "{after}");
}

#[tokio::test]
async fn a_record_about_a_channel_must_name_a_suitable_channel_of_the_unit() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-bgs").await;
    let path = format!("/api/v1/units/{mz}/records");
    let post = |body: Value| app.api(Method::POST, &path, Some(token.as_str()), Some(body));
    let wechat = channel(&app, WECHAT).await;
    let res = post(filing(wechat, None)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("活动审核报备不能登记在“微信公众号”类阵地下"), "{}", res.body);

    let other = channel(&app, "县水利局“水利讲堂”").await;
    let res = post(filing(other, None)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("不属于本单位"), "{}", res.body);

    let forum = channel(&app, FORUM).await;
    let check = json!({
        "occurred_on": "2026-11-23",
        "data": { "kind": "channel_check", "channel_id": forum, "checker": "李红梅", "result": "正常" }
    });
    let res = post(check).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a forum is not checked as a publishing channel: {}",
        res.body
    );

    // Nor is a draft published on it.
    let draft = json!({ "channel_id": forum, "title": "讲座简讯", "body": "正文" });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/drafts"), Some(&token), Some(draft)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.body.contains("不发布稿件"), "{}", res.body);

    let before = app.count("SELECT COUNT(*) FROM records").await;
    let res = post(filing(forum, None)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before + 1);
}

#[tokio::test]
async fn the_channel_ledger_shows_checks_and_events() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let office = app.browser("mz-bgs").await;
    let page = app.get(&format!("/units/{mz}/channels"), Some(&office.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body;
    for text in [
        "网站、新媒体阵地",
        "2026年9月",
        "2026年第4季度尚未检查",
        "登记检查",
        FORUM,
        "殡葬改革与移风易俗专题讲座",
        "举办后3天才审核报备",
        "已事先审核报备",
        "待审核报备（距活动4天）",
        "登记活动报备",
    ] {
        assert!(html.contains(text), "the ledger lacks “{text}”");
    }
    // The entry form offers only event channels for an event.
    let forum = channel(&app, FORUM).await;
    let form =
        app.get(&format!("/units/{mz}/records/new?kind=event_filing&channel_id={forum}"), Some(&office.cookie)).await;
    assert!(form.body.contains(&format!("<option value=\"{forum}\" selected")), "{}", form.body);
    assert!(!form.body.contains(WECHAT), "a publishing channel is offered for an event");

    // Another unit's secretary cannot see the ledger.
    let other = app.browser("sl-shuji").await;
    assert_eq!(app.get(&format!("/units/{mz}/channels"), Some(&other.cookie)).await.status, StatusCode::FORBIDDEN);
}

/// The days in the page's "N天未更新" badges, in page order.
fn stale_badges(html: &str) -> Vec<i64> {
    html.split("天未更新</span>")
        .filter_map(|before| {
            let digits: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
            digits.chars().rev().collect::<String>().parse().ok()
        })
        .collect()
}

#[tokio::test]
async fn the_channel_ledger_follows_the_update_limit_of_the_units_duty_list() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let office = app.browser("mz-bgs").await;
    let path = format!("/units/{mz}/channels");
    let before = app.get(&path, Some(&office.cookie)).await.body;
    assert!(before.contains("超过14天未更新的阵地"), "{before}");
    let stale = stale_badges(&before);
    assert!(stale.iter().any(|d| (15..=30).contains(d)), "the demo has a channel 15 to 30 days stale: {stale:?}");

    // The unit's own list gives its channels 30 days.
    let list = r#"[list]
id = "mz-channels"
name = "县民政局阵地管理清单"
version = "2026.2"

[[item]]
id = "channel-freshness"
title = "宣传阵地更新"
category = "阵地管理"
owner = "channel_owner"
applies_to = "channel"
channel_kinds = ["website", "wechat", "weibo", "video"]
rule = { type = "freshness", record = "channel_update", max_days = 30 }
"#;
    let admin = app.browser("admin").await;
    let unit = mz.to_string();
    let form = [("csrf", admin.csrf.as_str()), ("unit_id", unit.as_str()), ("source", list)];
    let res = app.post_form("/admin/duty-lists", Some(&admin.cookie), &form).await;
    assert!(res.body.contains("已下发至1个党组（党委）"), "{}", res.body);

    let after = app.get(&path, Some(&office.cookie)).await.body;
    assert!(after.contains("超过30天未更新的阵地") && !after.contains("超过14天"), "{after}");
    let still: Vec<i64> = stale.into_iter().filter(|d| *d > 30).collect();
    assert_eq!(stale_badges(&after), still, "only channels over 30 days are marked");
}
