//! What a clerk meets every day (issue 11): dates that cannot be in the
//! future.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const MZ: &str = "县民政局党组";

/// The demo's today is 2026-11-23: a study on 12-20 has not happened yet.
#[tokio::test]
async fn a_record_dated_after_today_is_refused_by_the_form_and_the_api() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let before = app.count("SELECT COUNT(*) FROM records").await;
    let b = app.browser("mz-keyuan").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &mz.to_string()),
        ("occurred_on", "2026-12-20"),
        ("topic", "第四季度意识形态分析研判"),
        ("host", "王建国"),
        ("conclusion", "总体平稳"),
        ("report", "研判报告"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("日期不能晚于今天（2026-11-23）"), "{}", res.body);
    assert!(res.body.contains("2026-12-20") && res.body.contains("第四季度意识形态分析研判"), "input kept");

    let token = app.token("mz-keyuan").await;
    let body =
        json!({ "occurred_on": "2026-12-20", "data": { "kind": "analysis", "topic": "研判", "report": "报告" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&token), Some(body)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["fields"][0]["field"], "occurred_on");
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, before, "nothing written");

    // Today itself is fine.
    let body =
        json!({ "occurred_on": "2026-11-23", "data": { "kind": "analysis", "topic": "研判", "report": "报告" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&token), Some(body)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

#[tokio::test]
async fn an_impossible_date_is_called_invalid_not_missing() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("kind", "analysis"),
        ("unit_id", &mz.to_string()),
        ("occurred_on", "2026-13-45"),
        ("topic", "研判"),
    ];
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("日期“2026-13-45”无效"), "{}", res.body);
}

/// Periods as people type them, with a picker of the usual ones.
#[tokio::test]
async fn periods_are_read_as_people_write_them() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    for (typed, label) in
        [("2026年上半年", "2026年上半年"), ("２０２６年第三季度", "2026年第3季度"), ("2026年", "2026年")]
    {
        let path = format!("/units/{mz}/records?period={}", urlencoding(typed));
        let page = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{typed}: {}", page.body);
        assert!(page.body.contains(&format!("{label}工作记录")), "{typed}");
        assert!(page.body.contains("<datalist id=\"period-choices\">"), "a picker of the usual periods");
    }
}

fn urlencoding(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// No English from the parsers reaches people: a bad address parameter,
/// a bad form value and a bad API value are refused in Chinese.
#[tokio::test]
async fn refusals_of_malformed_input_are_in_chinese() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let page = app.get(&format!("/units/{mz}/assessment?year=abc"), Some(&b.cookie)).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("考核年度应为四位年份"), "{}", page.body);
    assert!(!page.body.contains("Failed to deserialize"), "{}", page.body);

    let token = app.token("mz-shuji").await;
    let body = json!({ "occurred_on": "2026-11-20", "data": { "kind": "branch_meeting", "meeting_type": "党小组会" } });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&token), Some(body)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let error = res.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("取值“党小组会”无效，应为：members_meeting、"), "{error}");
    let res = app.api(Method::GET, &format!("/api/v1/units/{mz}/records?from=yesterday"), Some(&token), None).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json()["error"].as_str().unwrap().starts_with("网址中的参数有误"), "{}", res.body);
    assert_eq!(app.get("/favicon.ico", None).await.status, StatusCode::OK, "the tab icon exists");
}

/// A mistaken record is voided with a reason: visible as voided, out of
/// every count; only its enterer, the secretary or a leader may do it.
#[tokio::test]
async fn a_voided_record_stays_visible_and_leaves_the_counts() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let clerk = app.token("mz-keyuan").await;
    let body =
        json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "测试数据", "report": "报告" } });
    let created = app.api(Method::POST, &format!("/api/v1/units/{mz}/records"), Some(&clerk), Some(body)).await.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["voided"], serde_json::Value::Null);
    let listed = |token: String| {
        let app = &app;
        async move {
            let list =
                app.api(Method::GET, &format!("/api/v1/units/{mz}/records?kind=analysis"), Some(&token), None).await;
            list.json().as_array().unwrap().iter().any(|r| r["id"] == id)
        }
    };
    assert!(listed(clerk.clone()).await);

    let path = format!("/api/v1/records/{id}/void");
    let empty = app.api(Method::POST, &path, Some(&clerk), Some(json!({ "reason": " " }))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert_eq!(empty.json()["fields"][0]["message"], "请填写作废原因");
    // Another clerk of the unit did not enter it.
    let other = app.token("mz-bgs").await;
    let res = app.api(Method::POST, &path, Some(&other), Some(json!({ "reason": "测试" }))).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert_eq!(res.json()["error"], "只有录入人、本单位书记或班子成员可以作废这条记录");
    let outsider = app.token("sl-shuji").await;
    let res = app.api(Method::POST, &path, Some(&outsider), Some(json!({ "reason": "测试" }))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "another unit is refused outright");

    let res = app.api(Method::POST, &path, Some(&clerk), Some(json!({ "reason": "测试数据，误录" }))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["voided"]["reason"], "测试数据，误录");
    assert!(!listed(clerk.clone()).await, "out of the lists and counts");
    let again = app.api(Method::POST, &path, Some(&clerk), Some(json!({ "reason": "再次" }))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let one = app.api(Method::GET, &format!("/api/v1/records/{id}"), Some(&clerk), None).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["voided"]["by_name"], "刘晓雯");
    let edit = json!({ "occurred_on": "2026-11-20", "data": { "kind": "analysis", "topic": "改", "report": "报告" } });
    let res = app.api(Method::PUT, &format!("/api/v1/records/{id}"), Some(&clerk), Some(edit)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "a voided record is not edited");

    let b = app.browser("mz-keyuan").await;
    let page = app.get(&format!("/records/{id}"), Some(&b.cookie)).await;
    assert!(page.body.contains("【已作废】") && page.body.contains("测试数据，误录"), "{}", page.body);
    assert!(!page.body.contains("确认作废") && !page.body.contains("/edit\""), "no edit or void once voided");
    let list = app.get(&format!("/units/{mz}/records?period=2026"), Some(&b.cookie)).await;
    assert!(list.body.contains("已作废的记录") && list.body.contains("<del>测试数据</del>"), "{}", list.body);

    // The secretary voids a seeded record through the page form.
    let secretary = app.browser("mz-shuji").await;
    let seeded = app.count(&format!("SELECT MIN(id) FROM records WHERE unit_id = {mz} AND deleted = 0")).await;
    let shown = app.get(&format!("/records/{seeded}"), Some(&secretary.cookie)).await;
    assert!(shown.body.contains("作废这条记录"), "the secretary is offered the form");
    let res = app
        .post_form(
            &format!("/records/{seeded}/void"),
            Some(&secretary.cookie),
            &[("csrf", &secretary.csrf), ("reason", "重复录入")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(app.store.verify().await.unwrap().is_ok(), "voids are in the audit chain");
}

/// The records list: newest first, searchable, in pages.
#[tokio::test]
async fn the_records_list_is_newest_first_searchable_and_paged() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let all = app.get(&format!("/units/{mz}/records?period=2026"), Some(&b.cookie)).await;
    assert!(all.body.contains("按日期从新到旧") && all.body.contains("下一页"), "{}", all.body);
    let dates: Vec<&str> =
        all.body.split("<td class=\"date\">").skip(1).step_by(2).map(|s| s.split('<').next().unwrap()).collect();
    assert!(dates.len() == 50, "a page of 50: {}", dates.len());
    let second = app.get(&format!("/units/{mz}/records?period=2026&page=2"), Some(&b.cookie)).await;
    assert!(second.body.contains("上一页"));
    let found = app.get(&format!("/units/{mz}/records?period=2026&q=%E7%A0%94%E5%88%A4"), Some(&b.cookie)).await;
    let rows = found.body.matches("<td class=\"date\">").count() / 2;
    assert!(rows > 0 && rows < 50, "研判 narrows the list: {rows}");
    let none = app.get(&format!("/units/{mz}/records?period=2026&q=zzzz"), Some(&b.cookie)).await;
    assert!(none.body.contains("没有找到包含“zzzz”的记录"));
}

/// The ledger lists voided records on a sheet of their own.
#[tokio::test]
async fn the_ledger_lists_voided_records_apart() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-shuji").await;
    let seeded = app
        .count(&format!(
            "SELECT MIN(id) FROM records WHERE unit_id = {mz} AND deleted = 0 AND occurred_on >= '2026-01-01'"
        ))
        .await;
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/records/{seeded}/void"),
            Some(&token),
            Some(json!({ "reason": "重复录入" })),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let source = taizhang_app::documents::source(
        &taizhang_app::App { today: Some(today()), ..taizhang_app::App::new(app.store.clone()) },
        mz,
        taizhang_core::period::Period::year(2026),
    )
    .await
    .unwrap();
    assert_eq!(source.voided.len(), 1);
    assert!(source.records.iter().all(|r| r.id != seeded), "not among the counted records");
    let ledgers = taizhang_docs::record_ledgers::source_ledgers(&source, None);
    let sheet = ledgers.iter().find(|l| l.sheet_name == "已作废记录").expect("a sheet of voided records");
    assert_eq!(sheet.rows.len(), 1);
}

/// Every notification of every demo account carries the address of the
/// page that opens it, and that page opens for that account.
#[tokio::test]
async fn every_notification_links_to_a_page_that_opens() {
    let app = App::demo().await;
    taizhang_app::reminders::scan(&taizhang_app::App {
        today: Some(today()),
        ..taizhang_app::App::new(app.store.clone())
    })
    .await
    .unwrap();
    let mut checked = Vec::new();
    for account in taizhang_demo::accounts() {
        let token = app.token(account.username).await;
        let b = app.browser(account.username).await;
        let list = app.api(Method::GET, "/api/v1/notifications", Some(&token), None).await.json();
        for n in list.as_array().unwrap() {
            let url = n["url"].as_str().unwrap_or_else(|| panic!("no url: {n}"));
            let page = app.get(url, Some(&b.cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{} opens {url}: {}", account.username, n["message"]);
            checked.push(url.to_string());
        }
    }
    for kind in ["/duties/", "/feedback", "/assessment"] {
        assert!(checked.iter().any(|u| u.contains(kind)), "a {kind} notification is among {checked:?}");
    }
}

/// 我的待办: each demo account's open items, most urgent first, every one
/// opening with 200 for that account.
#[tokio::test]
async fn my_todo_lists_what_each_person_must_do_and_every_item_opens() {
    let app = App::demo().await;
    let mut modules = Vec::new();
    for account in taizhang_demo::accounts() {
        let token = app.token(account.username).await;
        let b = app.browser(account.username).await;
        let items = app.api(Method::GET, "/api/v1/me/todo", Some(&token), None).await.json();
        let items = items.as_array().unwrap().clone();
        let overdue: Vec<bool> = items.iter().map(|i| i["overdue"] == true).collect();
        assert!(overdue.windows(2).all(|w| w[0] || !w[1]), "overdue first for {}", account.username);
        for item in &items {
            let url = item["url"].as_str().unwrap();
            let page = app.get(url, Some(&b.cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{} opens {url}", account.username);
            modules.push((account.username, item["module"].as_str().unwrap().to_string()));
        }
        let page = app.get("/todo", Some(&b.cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("我的待办"));
    }
    let has = |who: &str, module: &str| modules.iter().any(|(u, m)| *u == who && m == module);
    assert!(has("mz-shuji", "责任事项"), "the secretary must act on overdue duties: {modules:?}");
    assert!(has("mz-fuju", "舆情与诉求"), "the leader owns the overdue feedback entry: {modules:?}");
    assert!(modules.iter().any(|(_, m)| m == "稿件审校"), "a reviewer is waited for: {modules:?}");
}

#[tokio::test]
async fn a_phone_lands_on_my_todo() {
    use axum::body::Body;
    use axum::http::{header, Request};
    let app = App::demo().await;
    let b = app.browser("mz-keyuan").await;
    let req = Request::get("/")
        .header(header::COOKIE, &b.cookie)
        .header(header::USER_AGENT, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 wxwork/4.1")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.location.as_deref(), Some("/todo"));
}

/// The dashboard's status cards narrow its table of all duties.
#[tokio::test]
async fn a_status_card_narrows_the_dashboard_table() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let all = app.get(&format!("/units/{mz}?period=2026"), Some(&b.cookie)).await.body;
    let overdue = app.get(&format!("/units/{mz}?period=2026&status=overdue"), Some(&b.cookie)).await.body;
    assert!(overdue.contains("显示全部事项") && !all.contains("显示全部事项"));
    assert!(overdue.matches("<tr").count() < all.matches("<tr").count(), "fewer rows once narrowed");
    assert!(all.contains("status=overdue#all"), "the cards link to the narrowed table");
}
