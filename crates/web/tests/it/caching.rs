//! Cached organisation and evaluations stay correct: a record written
//! through one app server changes the next dashboard, duties answer and
//! roll-up, on SQLite, on PostgreSQL, and on another app server sharing
//! the PostgreSQL database (whose caches never saw the write).

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const MZ: &str = "县民政局党组";
const WECHAT: &str = "县民政局微信公众号";
const COUNTY: &str = "县委宣传部";

/// What a reader sees of 县民政局党组: the WeChat account's freshness in
/// the duties API, the dashboard's count of open duties and the
/// roll-up's row.
#[derive(Debug, PartialEq)]
struct Seen {
    wechat: String,
    open: String,
    /// The assessment section's automatic score for the year, on the
    /// dashboard of a month (read first: the year's card is then found in
    /// the cache, not recomputed with the year's evaluation).
    score: String,
    rollup_row: String,
}

async fn seen(app: &App, token: &str, browser: &Browser) -> Seen {
    let (mz, county) = (app.unit_id(MZ).await, app.unit_id(COUNTY).await);
    let month = app.get(&format!("/units/{mz}?period=2026-11"), Some(&browser.cookie)).await;
    assert_eq!(month.status, StatusCode::OK, "{}", month.body);
    let score = between(&month.body, "年度自动得分 <strong>", "</strong>");
    let res = app.api(Method::GET, &format!("/api/v1/units/{mz}/duties?period=2026"), Some(token), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let duties = res.json()["duties"].as_array().unwrap().clone();
    let wechat = duties
        .iter()
        .find(|d| d["item_id"] == "channel-freshness" && d["subject"]["name"] == WECHAT)
        .map(|d| d["status"].as_str().unwrap().to_string())
        .expect("the WeChat account's freshness is listed");
    let page = app.get(&format!("/units/{mz}?period=2026"), Some(&browser.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let open = between(&page.body, "需要办理的事项（", "）");
    let rollup = app.get(&format!("/rollup/{county}?period=2026"), Some(&browser.cookie)).await;
    assert_eq!(rollup.status, StatusCode::OK, "{}", rollup.body);
    let at = rollup.body.find(&format!(">{MZ}</a>")).expect("the roll-up lists 县民政局党组");
    let rollup_row = rollup.body[at..].split("</tr>").next().unwrap().to_string();
    Seen { wechat, open, score, rollup_row }
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start} in page")) + start.len();
    text[from..].split(end).next().unwrap().to_string()
}

/// Reads through `reader` (twice, so its caches are warm), writes an
/// update of the WeChat account through `writer`, and reads again.
async fn a_write_shows_on_the_next_read(writer: &App, reader: &App) {
    let token = reader.token("xcb-ducha").await;
    let browser = reader.browser("xcb-ducha").await;
    let before = seen(reader, &token, &browser).await;
    assert_eq!(before.wechat, "overdue", "the demo's WeChat account has had no update since 30 October");
    assert_eq!(seen(reader, &token, &browser).await, before, "nothing written, nothing changed");

    let mz = writer.unit_id(MZ).await;
    let wechat = writer.store.org().await.unwrap().channels.iter().find(|c| c.name == WECHAT).unwrap().id;
    let body = json!({
        "occurred_on": today().to_string(),
        "data": { "kind": "channel_update", "channel_id": wechat, "title": "民政惠民政策解读", "url": "" }
    });
    let writer_token = writer.token("mz-bgs").await;
    let res = writer.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&writer_token), Some(body)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);

    let after = seen(reader, &token, &browser).await;
    assert_eq!(after.wechat, "late", "the duties API sees the update (made after the 14 days)");
    let open: i64 = before.open.parse().unwrap();
    assert_eq!(after.open, (open - 1).to_string(), "the dashboard has one open duty fewer");
    assert_ne!(after.rollup_row, before.rollup_row, "the roll-up's row of 县民政局党组 changed");
    assert_ne!(after.score, before.score, "the dashboard's automatic score changed: {}", after.score);
}

#[tokio::test]
async fn a_record_written_changes_the_next_pages_on_sqlite() {
    let app = App::demo().await;
    a_write_shows_on_the_next_read(&app, &app).await;
}

/// The demo in a new PostgreSQL database, and its URL; `None` (the test
/// says it skipped) without `TAIZHANG_TEST_PG`.
async fn postgres_demo() -> Option<String> {
    let Some(url) = taizhang_store::testing::fresh_postgres_url().await else {
        eprintln!("skipped: {} is not set", taizhang_store::testing::PG_ENV);
        return None;
    };
    let store = taizhang_store::Store::open(&url).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    store.close().await;
    Some(url)
}

#[tokio::test]
async fn a_record_written_changes_the_next_pages_on_postgres() {
    let Some(url) = postgres_demo().await else { return };
    let app = App::server_on(&url).await;
    a_write_shows_on_the_next_read(&app, &app).await;
}

#[tokio::test]
async fn a_record_written_through_one_server_changes_the_other_servers_pages() {
    let Some(url) = postgres_demo().await else { return };
    let (one, other) = (App::server_on(&url).await, App::server_on(&url).await);
    a_write_shows_on_the_next_read(&one, &other).await;
}

const CL: &str = "县残联党组";

async fn dashboard(app: &App, unit: i64, browser: &Browser) -> String {
    let page = app.get(&format!("/units/{unit}?period=2026"), Some(&browser.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

/// What dashboards keep besides the evaluation (the feedback entries and
/// the assessment rows, see `taizhang_app::dashboard`): reads through
/// `reader` twice, writes a feedback entry past its time limit and a
/// submission of a returned assessment through `writer`, and reads again.
async fn a_write_shows_on_the_next_dashboard(writer: &App, reader: &App) {
    let (mz, cl) = (reader.unit_id(MZ).await, reader.unit_id(CL).await);
    let browser = reader.browser("xcb-ducha").await;
    for _ in 0..2 {
        let before = dashboard(reader, mz, &browser).await;
        assert!(before.contains("需要办理的舆情与诉求（1）"), "the demo's overdue entry: {before}");
        let before = dashboard(reader, cl, &browser).await;
        assert!(before.contains("2025年度意识形态工作责任制考核自评已被上级退回"), "{before}");
    }

    let entry = json!({
        "source_kind": "hotline", "source_detail": "12345", "summary": "来电反映社区养老服务站长期关闭",
        "category": "民生诉求", "level": "一般", "discovered_at": "2026-11-20 09:00",
    });
    let token = writer.token("mz-keyuan").await;
    let res = writer.api(Method::POST, &format!("/api/v1/units/{mz}/feedback"), Some(&token), Some(entry)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let after = dashboard(reader, mz, &browser).await;
    assert!(after.contains("需要办理的舆情与诉求（2）"), "the new entry is overdue: {after}");
    assert!(after.contains("来电反映社区养老服务站长期关闭"), "{after}");

    let token = writer.token("cl-shuji").await;
    let path = format!("/api/v1/units/{cl}/assessments/2025");
    let revision = writer.api(Method::GET, &path, Some(&token), None).await.json()["revision"].as_i64().unwrap();
    let submit = json!({ "action": "submit", "revision": revision });
    let res = writer.api(Method::POST, &format!("{path}/steps"), Some(&token), Some(submit)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let after = dashboard(reader, cl, &browser).await;
    assert!(!after.contains("已被上级退回"), "the resubmitted assessment is no longer a gap: {after}");
}

#[tokio::test]
async fn a_write_changes_the_next_dashboard_on_sqlite() {
    let app = App::demo().await;
    a_write_shows_on_the_next_dashboard(&app, &app).await;
}

#[tokio::test]
async fn a_write_changes_the_next_dashboard_on_postgres() {
    let Some(url) = postgres_demo().await else { return };
    let app = App::server_on(&url).await;
    a_write_shows_on_the_next_dashboard(&app, &app).await;
}

#[tokio::test]
async fn a_write_through_one_server_changes_the_other_servers_dashboard() {
    let Some(url) = postgres_demo().await else { return };
    let (one, other) = (App::server_on(&url).await, App::server_on(&url).await);
    a_write_shows_on_the_next_dashboard(&one, &other).await;
}

/// A signed-in person's roles come from the organisation snapshot: a role
/// granted through `writer` (through its store: no page grants one to an
/// existing person) lets the person into another unit on `reader`'s next
/// request, whose snapshot was warm without it.
async fn a_role_granted_shows_on_the_next_request(writer: &App, reader: &App) {
    let cl = reader.unit_id(CL).await;
    let browser = reader.browser("mz-keyuan").await;
    for _ in 0..2 {
        let page = reader.get(&format!("/units/{cl}?period=2026"), Some(&browser.cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "another unit's dashboard");
    }
    let org = writer.store.org().await.unwrap();
    let person = org.people.iter().find(|p| p.name == "刘晓雯").expect("the demo's 刘晓雯 is mz-keyuan").id;
    let role = taizhang_core::org::Role {
        person_id: person,
        kind: taizhang_core::org::RoleKind::Inspector,
        scope: cl,
        in_charge_of: vec![],
    };
    let mut w = writer.store.begin_write().await.unwrap();
    w.add_role(&taizhang_store::Actor::system("测试"), &role).await.unwrap();
    w.commit().await.unwrap();
    let page = reader.get(&format!("/units/{cl}?period=2026"), Some(&browser.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "the new role reaches 县残联党组: {}", page.body);
}

#[tokio::test]
async fn a_role_granted_reaches_the_next_request_on_sqlite() {
    let app = App::demo().await;
    a_role_granted_shows_on_the_next_request(&app, &app).await;
}

#[tokio::test]
async fn a_role_granted_through_one_server_reaches_the_other_server() {
    let Some(url) = postgres_demo().await else { return };
    let (one, other) = (App::server_on(&url).await, App::server_on(&url).await);
    a_role_granted_shows_on_the_next_request(&one, &other).await;
}
