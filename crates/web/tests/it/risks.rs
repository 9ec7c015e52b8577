//! The risk ledger (风险隐患台账) through the real router: the API and the
//! pages, the review that moves the dashboard's 风险隐患台账 duty, the 研判
//! form, the import (all or nothing, with line numbers), the export, and
//! the isolation rule on every new route.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const HIGH: &str = "养老机构安全事故引发的网络舆情风险";

async fn person(app: &App, name: &str) -> i64 {
    app.store.org().await.unwrap().people.iter().find(|p| p.name == name).unwrap().id
}

async fn demo_risk(app: &App, title: &str) -> i64 {
    app.count(&format!("SELECT id FROM risks WHERE title = '{title}'")).await
}

async fn risk_ledger_duty(app: &App, token: &str, mz: i64) -> Value {
    let duties = app.api(Method::GET, &format!("/api/v1/units/{mz}/duties?period=2026"), Some(token), None).await;
    duties.json()["duties"].as_array().unwrap().iter().find(|d| d["item_id"] == "risk-ledger").unwrap().clone()
}

#[tokio::test]
async fn the_demo_ledger_is_overdue_and_a_review_by_api_brings_the_duty_back() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-keyuan").await;
    let list = app.api(Method::GET, &format!("/api/v1/units/{mz}/risks"), Some(&token), None).await.json();
    let risks = list.as_array().unwrap();
    assert_eq!(risks.len(), 6);
    let dates: Vec<&str> = risks.iter().map(|r| r["identified_on"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    let high = risks.iter().find(|r| r["title"] == HIGH).unwrap();
    assert_eq!(high["level"], "high");
    assert_eq!(high["last_reviewed_on"], "2026-07-10");
    assert_eq!((high["next_review_on"].as_str(), high["review_overdue"].as_bool()), (Some("2026-09-25"), Some(true)));
    assert_eq!(risks.iter().filter(|r| r["review_overdue"] == true).count(), 4, "every risk still 在控");
    assert_eq!(risks.iter().filter(|r| r["status"] == "resolved").count(), 2);
    // The demo ledger's reviews are the seeded gap's records, nothing more.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM records WHERE kind = 'risk_review' AND unit_id = {mz}")).await,
        2
    );
    assert_eq!(risk_ledger_duty(&app, &token, mz).await["status"], "overdue");

    // A new risk, edited, then a stale edit refused.
    let owner = person(&app, "陈静").await;
    let new = json!({ "domain": "网络阵地", "title": "公众号评论区不当言论风险", "level": "medium",
        "measures": "评论精选，专人每日巡查", "owner_id": owner });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/risks"), Some(&token), Some(new.clone())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let risk = res.json();
    let id = risk["id"].as_i64().unwrap();
    assert_eq!((risk["status"].as_str(), risk["identified_on"].as_str()), (Some("controlled"), Some("2026-11-23")));
    assert_eq!(risk["next_review_on"], "2026-12-25", "a new risk is due at the next quarter's review");
    let again = app.api(Method::POST, &format!("/api/v1/units/{mz}/risks"), Some(&token), Some(new.clone())).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.json()["error"].as_str().unwrap().contains("已在本单位的台账中"));
    let mut bad = new.clone();
    bad["title"] = json!("别的风险");
    bad["owner_id"] = json!(person(&app, "刘志强").await);
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/risks"), Some(&token), Some(bad)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "an owner from another unit");
    let mut edit = new.clone();
    edit["level"] = json!("high");
    edit["revision"] = json!(1);
    let res = app.api(Method::PUT, &format!("/api/v1/risks/{id}"), Some(&token), Some(edit.clone())).await;
    assert_eq!((res.status, res.json()["revision"].as_i64()), (StatusCode::OK, Some(2)));
    let stale = app.api(Method::PUT, &format!("/api/v1/risks/{id}"), Some(&token), Some(edit)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // A review of the high risk: the next date is scheduled, the record written, the duty met.
    let high = demo_risk(&app, HIGH).await;
    let review = json!({ "conclusion": "汛期后检查14家机构，措施落实到位" });
    let res = app.api(Method::POST, &format!("/api/v1/risks/{high}/reviews"), Some(&token), Some(review)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let out = res.json();
    assert_eq!(out["review"]["reviewer"], "刘晓雯");
    assert_eq!(
        (out["risk"]["next_review_on"].as_str(), out["risk"]["review_overdue"].as_bool()),
        (Some("2026-12-25"), Some(false))
    );
    let record =
        app.api(Method::GET, &format!("/api/v1/records/{}", out["record_id"]), Some(&token), None).await.json();
    assert_eq!((record["kind"].as_str(), record["occurred_on"].as_str()), (Some("risk_review"), Some("2026-11-23")));
    assert_eq!(
        (record["data"]["risks_count"].as_i64(), record["data"]["next_review"].as_str()),
        (Some(1), Some("2026-12-25"))
    );
    let duty = risk_ledger_duty(&app, &token, mz).await;
    assert_ne!(duty["status"], "overdue", "{duty}");
    assert!(duty["reason"].as_str().unwrap().contains("2026年11月23日"), "{duty}");
    let got = app.api(Method::GET, &format!("/api/v1/risks/{high}"), Some(&token), None).await.json();
    assert_eq!(got["reviews"].as_array().unwrap().len(), 3);
    // A review without a conclusion, or dated after today, writes nothing.
    let audit = app.count("SELECT COUNT(*) FROM audit").await;
    for bad in [json!({ "conclusion": " " }), json!({ "conclusion": "好", "reviewed_on": "2026-12-01" })] {
        let res = app.api(Method::POST, &format!("/api/v1/risks/{high}/reviews"), Some(&token), Some(bad)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit);
}

#[tokio::test]
async fn the_pages_list_filter_add_review_and_link_a_研判() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let dashboard = app.get(&format!("/units/{mz}"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains(&format!("href=\"/units/{mz}/risks\"")) && dashboard.contains("风险隐患台账"));
    let list = app.get(&format!("/units/{mz}/risks"), Some(&b.cookie)).await.body;
    assert!(list.contains(HIGH) && list.contains("逾期59天未复核") && list.contains("逾期未复核4项"), "{list}");
    let high = app.get(&format!("/units/{mz}/risks?level=high"), Some(&b.cookie)).await.body;
    assert!(high.contains(HIGH) && !high.contains("政务新媒体内容发布差错风险"));
    let resolved = app.get(&format!("/units/{mz}/risks?status=resolved&domain=社会组织"), Some(&b.cookie)).await.body;
    assert!(resolved.contains("社会组织活动中的不当言论风险") && !resolved.contains(HIGH));
    let overdue = app.get(&format!("/units/{mz}/risks?overdue=1"), Some(&b.cookie)).await.body;
    assert!(!overdue.contains("低保动态管理核查中群众信访风险"), "resolved risks are not overdue");

    // Add a risk by form; a missing measure shows the form again in Chinese.
    let owner = person(&app, "吴海燕").await.to_string();
    let mut form = vec![
        ("csrf", b.csrf.as_str()),
        ("domain", "殡葬改革"),
        ("title", "冬至祭扫期间违规焚烧风险"),
        ("level", "low"),
        ("measures", ""),
        ("owner_id", owner.as_str()),
        ("status", "controlled"),
        ("identified_on", "2026-11-20"),
    ];
    let res = app.post_form(&format!("/units/{mz}/risks"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("请填写防范化解措施") && res.body.contains("冬至祭扫期间违规焚烧风险"));
    form[4].1 = "节前入户宣传，设置集中祭扫点";
    let res = app.post_form(&format!("/units/{mz}/risks"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.location.unwrap().split('?').next().unwrap().to_string();
    let page = app.get(&path, Some(&b.cookie)).await.body;
    assert!(page.contains("尚未复核") && page.contains("2026年12月25日"), "{page}");

    // Review it by form: the next date is the one chosen.
    let review = [
        ("csrf", b.csrf.as_str()),
        ("reviewed_on", "2026-11-23"),
        ("reviewer", "李红梅"),
        ("conclusion", "宣传到位"),
        ("next_review", "2027-03-25"),
        ("status", "controlled"),
    ];
    let res = app.post_form(&format!("{path}/reviews"), Some(&b.cookie), &review).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.follow(&res, &b.cookie).await.body;
    assert!(page.contains("已记录复核") && page.contains("2027年3月25日") && page.contains("宣传到位"), "{page}");

    // The whole ledger, reviewed at once: every 在控 risk is in time again.
    let ids: Vec<String> = app
        .store
        .risks(mz)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.entry.status == taizhang_core::risk::RiskStatus::Controlled)
        .map(|r| r.id.to_string())
        .collect();
    let mut form = vec![
        ("csrf", b.csrf.as_str()),
        ("reviewed_on", "2026-11-23"),
        ("reviewer", "李红梅"),
        ("conclusion", "逐项复核"),
    ];
    form.extend(ids.iter().map(|id| ("risk", id.as_str())));
    form.push(("resolved", ids[1].as_str()));
    let res = app.post_form(&format!("/units/{mz}/risks/review"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let list = app.get(&format!("/units/{mz}/risks"), Some(&b.cookie)).await.body;
    assert!(list.contains("均已按期复核") && !list.contains("逾期59天"), "{list}");
    assert_eq!(
        app.store.risk(ids[1].parse().unwrap()).await.unwrap().unwrap().entry.status,
        taizhang_core::risk::RiskStatus::Resolved
    );

    // A 研判 naming risks from the ledger; the risk's page links it.
    let high_id = demo_risk(&app, HIGH).await.to_string();
    let analysis = [
        ("csrf", b.csrf.as_str()),
        ("occurred_on", "2026-11-23"),
        ("topic", "2026年第四季度意识形态领域情况分析研判"),
        ("host", "王建国"),
        ("attendees", "王建国、李红梅"),
        ("risk", high_id.as_str()),
        ("conclusion", "总体平稳"),
        ("report", "研判报告正文"),
    ];
    let res = app.post_form(&format!("/units/{mz}/risks/analysis"), Some(&b.cookie), &analysis).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let record = app.get(res.location.as_deref().unwrap(), Some(&b.cookie)).await.body;
    assert!(record.contains("分析研判") && record.contains(HIGH), "{record}");
    let page = app.get(&format!("/risks/{high_id}"), Some(&b.cookie)).await.body;
    assert!(page.contains("2026年第四季度意识形态领域情况分析研判"), "{page}");

    let xlsx = app.get(&format!("/units/{mz}/risks.xlsx"), Some(&b.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"), "an .xlsx is a zip");
}

async fn import(app: &App, unit: i64, b: &Browser, csv: &str) -> Reply {
    app.upload(&format!("/units/{unit}/risks/import"), b, &[], ("file", "risks.csv", csv.as_bytes())).await
}

#[tokio::test]
async fn an_import_is_checked_whole_and_written_all_or_nothing() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let header = "风险领域,风险点,风险等级,风险描述,防范化解措施,责任人,状态,登记日期\n";
    let bad = format!("{header}评残,残疾等级评定投诉风险,高,,公开评残流程,杨帆,,2026-11-01\n殡葬改革,{HIGH},中,,措施,孙卫东,,\n社会救助,临时救助审批风险,极高,,措施,刘志强,,\n");
    let before = app.count("SELECT COUNT(*) FROM risks").await;
    let res = import(&app, mz, &b, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("第4行：风险等级“极高”无法识别"), "{}", res.body);
    assert!(!res.body.contains("第2行"), "line 2 is fine: {}", res.body);
    let res = import(&app, mz, &b, &bad.replace("极高", "高")).await;
    assert!(res.body.contains(&format!("第3行：风险点“{HIGH}”已在台账中")), "{}", res.body);
    assert!(res.body.contains("第4行：责任人“刘志强”不是本单位人员"), "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM risks").await, before, "nothing written");

    let good = format!("{header}评残,残疾等级评定投诉风险,高,,公开评残流程,杨帆,,2026-11-01\n社会救助,临时救助审批风险,低,,限时办结,赵志刚,已化解,\n");
    let res = import(&app, mz, &b, &good).await;
    assert_eq!(res.location.as_deref(), Some(format!("/units/{mz}/risks?imported=2").as_str()), "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM risks").await, before + 2);
}

#[tokio::test]
async fn the_openapi_document_describes_the_ledger() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    for (path, method) in [
        ("/units/{id}/risks", "get"),
        ("/units/{id}/risks", "post"),
        ("/risks/{id}", "get"),
        ("/risks/{id}", "put"),
        ("/risks/{id}/reviews", "post"),
    ] {
        assert!(spec["paths"][path][method].is_object(), "openapi lacks {method} {path}");
    }
    assert!(spec["components"]["schemas"]["Risk"]["properties"]["review_overdue"].is_object());
}

/// Every new route, tried by a person of another unit and by the read-only inspector.
#[tokio::test]
async fn nobody_reaches_another_units_ledger() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let risk = demo_risk(&app, HIGH).await;
    let before = app.count("SELECT COUNT(*) FROM audit").await;

    let b = app.browser("sl-shuji").await;
    for path in [
        format!("/units/{mz}/risks"),
        format!("/units/{mz}/risks.xlsx"),
        format!("/units/{mz}/risks/new"),
        format!("/units/{mz}/risks/review"),
        format!("/units/{mz}/risks/analysis"),
        format!("/risks/{risk}"),
        format!("/risks/{risk}/edit"),
    ] {
        let res = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"), "GET {path}");
    }
    let inspector = app.browser("xcb-ducha").await;
    for who in [&b, &inspector] {
        let form = [
            ("csrf", who.csrf.as_str()),
            ("domain", "x"),
            ("title", "越权"),
            ("level", "low"),
            ("measures", "x"),
            ("status", "controlled"),
            ("conclusion", "越权"),
            ("risk", "1"),
            ("topic", "越权"),
        ];
        for path in [
            format!("/units/{mz}/risks"),
            format!("/units/{mz}/risks/review"),
            format!("/units/{mz}/risks/analysis"),
            format!("/risks/{risk}"),
            format!("/risks/{risk}/reviews"),
        ] {
            assert_eq!(
                app.post_form(&path, Some(&who.cookie), &form).await.status,
                StatusCode::FORBIDDEN,
                "POST {path}"
            );
        }
        assert_eq!(import(&app, mz, who, "风险领域,风险点\n").await.status, StatusCode::FORBIDDEN);
    }
    for user in ["sl-shuji", "xcb-ducha"] {
        let t = app.token(user).await;
        let t = Some(t.as_str());
        let input = json!({ "domain": "x", "title": "越权", "level": "low", "measures": "x", "owner_id": 1 });
        let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/risks"), t, Some(input.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} creates");
        assert_eq!(
            app.api(Method::PUT, &format!("/api/v1/risks/{risk}"), t, Some(input)).await.status,
            StatusCode::FORBIDDEN,
            "{user} edits"
        );
        let res = app
            .api(Method::POST, &format!("/api/v1/risks/{risk}/reviews"), t, Some(json!({ "conclusion": "越权" })))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} reviews");
    }
    let t = app.token("sl-shuji").await;
    for path in [format!("/api/v1/units/{mz}/risks"), format!("/api/v1/risks/{risk}")] {
        assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, StatusCode::FORBIDDEN, "API GET {path}");
    }
    // The inspector reads the ledger but is offered no form.
    for path in [format!("/units/{mz}/risks"), format!("/risks/{risk}")] {
        let page = app.get(&path, Some(&inspector.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body.contains(HIGH)
                && !page.body.contains("method=\"post\" action=\"/risks")
                && !page.body.contains("新增风险点"),
            "{path}"
        );
    }
    let t = app.token("xcb-ducha").await;
    assert_eq!(app.api(Method::GET, &format!("/api/v1/units/{mz}/risks"), Some(&t), None).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}
