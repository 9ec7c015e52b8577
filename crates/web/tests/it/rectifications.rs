//! 问题整改 through the real router: who may add, update, report, close
//! and return a problem; the CSV import refused whole; the dashboard's
//! reason; the export; and the isolation rule on every new route.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";

async fn step(app: &App, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    let res = app.api(Method::POST, &format!("/api/v1/rectifications/{id}/steps"), Some(token), Some(body)).await;
    (res.status, res.json())
}

#[tokio::test]
async fn a_problem_goes_from_inspection_to_closing() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let (inspector, staff) = (app.token("xcb-ducha").await, app.token("mz-keyuan").await);
    let new = json!({ "source": "inspection", "found_on": "2026-11-10", "problem": "理论学习中心组学习计划未按时制定", "deadline": "2026-11-30" });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/rectifications"), Some(&inspector), Some(new)).await;
    assert_eq!(res.status, StatusCode::CREATED, "the superior's inspector records what it found: {}", res.body);
    let id = res.json()["id"].as_i64().unwrap();
    assert_eq!(res.json()["status"], "due_soon", "{}", res.body);

    let (status, body) =
        step(&app, &staff, id, json!({ "action": "report", "on": "2026-11-20", "evidence": "学习计划" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no measures yet: {body}");
    assert!(body["error"].as_str().unwrap().contains("须写明整改措施和佐证材料"));
    assert_eq!(
        step(&app, &inspector, id, json!({ "action": "update", "measures": "x" })).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) =
        step(&app, &staff, id, json!({ "action": "update", "revision": 1, "measures": "制定并印发年度学习计划" }))
            .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        step(&app, &staff, id, json!({ "action": "update", "revision": 1, "measures": "旧版" })).await.0,
        StatusCode::CONFLICT
    );
    let report = json!({ "action": "report", "on": "2026-11-20", "evidence": "《2026年理论学习中心组学习计划》" });
    assert_eq!(step(&app, &staff, id, report.clone()).await.0, StatusCode::OK);
    // Only the superior closes or returns.
    assert_eq!(step(&app, &staff, id, json!({ "action": "close" })).await.0, StatusCode::FORBIDDEN);
    let (status, body) = step(&app, &inspector, id, json!({ "action": "return", "opinion": " " })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("退回须写明意见"));
    let (_, body) = step(&app, &inspector, id, json!({ "action": "return", "opinion": "计划未经党组会议研究" })).await;
    assert_eq!(body["state"], "整改中");
    step(&app, &staff, id, report).await;
    let (_, body) = step(&app, &inspector, id, json!({ "action": "close", "opinion": "同意销号" })).await;
    assert_eq!((body["state"].as_str(), body["closed_on"].as_str()), (Some("已销号"), Some("2026-11-23")));
    let (status, body) = step(&app, &staff, id, json!({ "action": "update", "measures": "再改" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("已销号"));
}

#[tokio::test]
async fn the_dashboard_and_ledger_show_the_overdue_problem() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let dashboard = app.get(&format!("/units/{mz}?period=2026"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains("问题整改") && dashboard.contains("已逾期23天仍未整改到位"), "{dashboard}");
    let list = app.get(&format!("/units/{mz}/rectifications"), Some(&b.cookie)).await.body;
    assert!(list.contains("已销号") && list.contains("整改中") && list.contains("已逾期23天"), "{list}");
    let xlsx = app.get(&format!("/units/{mz}/rectifications.xlsx"), Some(&b.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));
}

async fn upload(app: &App, unit: i64, b: &Browser, csv: &str) -> Reply {
    app.upload(&format!("/units/{unit}/rectifications/import"), b, &[], ("file", "p.csv", csv.as_bytes())).await
}

#[tokio::test]
async fn an_import_with_a_bad_line_writes_nothing() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let before = app.count("SELECT COUNT(*) FROM rectifications").await;
    let header = "问题来源,发现日期,问题,整改措施,责任人,整改期限\n";
    let bad = format!("{header}巡察反馈,2026-11-01,问题一,措施,李红梅,2026-12-31\n自查发现,2026-11-01,问题二,措施,查无此人,2026-12-31\n自查发现,2026-11-01,,措施,,2026-12-31\n");
    let res = upload(&app, mz, &b, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Every error at once, in line order: the owner of line 3 and the problem of line 4.
    let at = |text: &str| res.body.find(text).unwrap_or_else(|| panic!("{text}: {}", res.body));
    assert!(at("第3行：本单位没有名为“查无此人”的人员") < at("第4行：请填写问题描述"));
    assert_eq!(app.count("SELECT COUNT(*) FROM rectifications").await, before);
    let good =
        format!("{header}巡察反馈,2026-11-01,问题一,措施,李红梅,2026-12-31\n自查发现,2026-11-02,问题二,,,2026-12-31\n");
    let res = upload(&app, mz, &b, &good).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("已导入2个问题"));
    assert_eq!(app.count("SELECT COUNT(*) FROM rectifications").await, before + 2);
}

#[tokio::test]
async fn nobody_reaches_another_units_problems() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let id = app.count("SELECT MIN(id) FROM rectifications").await;
    let before = app.count("SELECT COUNT(*) FROM audit").await;
    let b = app.browser("sl-shuji").await;
    for path in [
        format!("/units/{mz}/rectifications"),
        format!("/units/{mz}/rectifications.xlsx"),
        format!("/rectifications/{id}"),
    ] {
        let res = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"));
    }
    let form = [
        ("csrf", b.csrf.as_str()),
        ("measures", "越权"),
        ("on", "2026-11-20"),
        ("evidence", "x"),
        ("decision", "close"),
    ];
    for path in ["update", "report", "review"] {
        let res = app.post_form(&format!("/rectifications/{id}/{path}"), Some(&b.cookie), &form).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    let new = [
        ("csrf", b.csrf.as_str()),
        ("source", "inspection"),
        ("found_on", "2026-11-01"),
        ("problem", "越权"),
        ("deadline", "2026-12-01"),
    ];
    assert_eq!(
        app.post_form(&format!("/units/{mz}/rectifications"), Some(&b.cookie), &new).await.status,
        StatusCode::FORBIDDEN
    );
    let t = app.token("sl-shuji").await;
    for path in [format!("/api/v1/units/{mz}/rectifications"), format!("/api/v1/rectifications/{id}")] {
        assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, StatusCode::FORBIDDEN, "API GET {path}");
    }
    let res = app
        .api(Method::POST, &format!("/api/v1/rectifications/{id}/steps"), Some(&t), Some(json!({ "action": "close" })))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("source", "self_inspection"),
        ("found_on", "2026-11-20"),
        ("problem", "支部学习记录不完整的问题描述"),
        ("measures", "逐月检查"),
        ("deadline", "2026-11-01"),
    ];
    let res = app.post_form(&format!("/units/{mz}/rectifications"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("整改期限不能早于发现日期"));
    assert!(
        res.body.contains("支部学习记录不完整的问题描述") && res.body.contains("value=\"2026-11-20\""),
        "{}",
        res.body
    );
    let id = app.count("SELECT MAX(id) FROM rectifications WHERE rectified_on IS NULL").await;
    let report = [("csrf", b.csrf.as_str()), ("on", "2026-12-30"), ("evidence", "整改情况说明全文")];
    let res = app.post_form(&format!("/rectifications/{id}/report"), Some(&b.cookie), &report).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("整改情况说明全文") && res.body.contains("value=\"2026-12-30\""), "{}", res.body);
}
