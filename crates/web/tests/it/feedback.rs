//! The feedback register (舆情与诉求) through the real router: the API and
//! the forms, steps refused out of order, time limits on the dashboard, the
//! weekly summary, CSV import (all or nothing), the .xlsx ledger, and the
//! isolation rule on every new route.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const OVERDUE: &str = taizhang_demo::FEEDBACK_OVERDUE_SUMMARY;

async fn step(app: &App, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    let res = app.api(Method::POST, &format!("/api/v1/feedback/{id}/steps"), Some(token), Some(body)).await;
    (res.status, res.json())
}

fn hotline_entry() -> Value {
    json!({
        "source_kind": "hotline", "source_detail": "12345", "summary": "来电咨询残疾人两项补贴申领",
        "category": "政策咨询", "level": "一般", "discovered_at": "2026-11-22 10:10",
    })
}

async fn person(app: &App, name: &str) -> i64 {
    app.store.org().await.unwrap().people.iter().find(|p| p.name == name).unwrap().id
}

async fn demo_overdue_id(app: &App) -> i64 {
    let ids = app.count(&format!("SELECT id FROM feedback WHERE status <> 'closed' AND data LIKE '%{OVERDUE}%'")).await;
    assert!(ids > 0);
    ids
}

#[tokio::test]
async fn an_entry_goes_from_discovery_to_closure_over_the_api() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let token = app.token("mz-keyuan").await;
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/feedback"), Some(&token), Some(hotline_entry())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let item = res.json();
    let id = item["id"].as_i64().unwrap();
    assert_eq!((item["status"].as_str(), item["owner"]["name"].as_str()), (Some("verify"), Some("刘晓雯")));
    assert_eq!(item["deadlines"][0]["code"], "respond");
    assert_eq!(item["deadlines"][0]["state"], "due");

    // Out of order, and in the future: refused, nothing written.
    let audit = app.count("SELECT COUNT(*) FROM audit").await;
    let (status, body) =
        step(&app, &token, id, json!({ "kind": "handle", "at": "2026-11-22 10:20", "note": "x" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "应先完成“核实”，才能登记“处置”");
    let (status, body) = step(&app, &token, id, json!({ "kind": "close", "at": "2026-11-22 10:20" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("应先完成“核实”"), "{body}");
    let (_, body) = step(&app, &token, id, json!({ "kind": "verify", "at": "2026-11-22 10:05", "note": "x" })).await;
    assert!(body["error"].as_str().unwrap().contains("不能早于“发现”"), "{body}");
    let (_, body) = step(&app, &token, id, json!({ "kind": "verify", "at": "2026-11-24 10:05", "note": "x" })).await;
    assert_eq!(body["error"], "“核实”的时间晚于当前时间");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit, "a refused step writes nothing");

    let office = person(&app, "陈静").await;
    let steps = [
        json!({ "kind": "verify", "at": "2026-11-22 10:20", "by": office, "note": "属政策咨询" }),
        json!({ "kind": "report", "at": "2026-11-22T10:15:00+08:00", "to": "分管领导李红梅" }),
        json!({ "kind": "handle", "at": "2026-11-22 10:30", "note": "整理补贴申领材料清单" }),
        json!({ "kind": "respond", "at": "2026-11-22 10:40", "form": "reply", "note": "电话答复" }),
        json!({ "kind": "close", "at": "2026-11-22 10:50", "note": "回访满意" }),
    ];
    // The report is dated before 核实: refused, then sent at a proper time.
    let (status, body) = step(&app, &token, id, steps[0].clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["steps"][1]["by"]["name"], "陈静");
    let (_, body) = step(&app, &token, id, steps[1].clone()).await;
    assert!(body["error"].as_str().unwrap().contains("不能早于“核实”"), "{body}");
    let report = json!({ "kind": "report", "at": "2026-11-22 10:25", "to": "分管领导李红梅" });
    for s in [report, steps[2].clone(), steps[3].clone(), steps[4].clone()] {
        let (status, body) = step(&app, &token, id, s).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let item = app.api(Method::GET, &format!("/api/v1/feedback/{id}"), Some(&token), None).await.json();
    assert_eq!((item["status"].as_str(), item["status_label"].as_str()), (Some("closed"), Some("已办结")));
    assert_eq!(item["deadlines"][0]["state"], "met");
    assert_eq!(item["allowed_next"], json!([]));
    let (_, body) = step(&app, &token, id, json!({ "kind": "report", "at": "2026-11-22 10:55", "to": "x" })).await;
    assert_eq!(body["error"], "该事项已办结，不能再登记");

    // Bad input is refused in Chinese.
    let online = json!({ "source_kind": "online", "summary": "x", "category": "x", "level": "general", "discovered_at": "2026-11-22 10:00" });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/feedback"), Some(&token), Some(online)).await;
    assert_eq!(
        (res.status, res.json()["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("网络平台来源须填写公开链接"))
    );
    let mut outsider = hotline_entry();
    outsider["owner_id"] = json!(person(&app, "刘志强").await);
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/feedback"), Some(&token), Some(outsider)).await;
    // Another unit's person is refused without naming him.
    assert_eq!((res.status, res.json()["error"].as_str()), (StatusCode::BAD_REQUEST, Some("所选人员不属于本单位")));
    assert!(!res.body.contains("刘志强"), "{}", res.body);
}

#[tokio::test]
async fn the_demos_overdue_entry_is_on_the_dashboard_list_and_weekly_summary() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let dashboard = app.get(&format!("/units/{mz}"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains(&format!("href=\"/units/{mz}/feedback\"")), "toolbar link");
    assert!(dashboard.contains("需要办理的舆情与诉求（1）"), "{dashboard}");
    let reason = format!("“{OVERDUE}”2026年11月20日发现，超过48小时未回应（已逾期");
    assert!(dashboard.contains(&reason), "{dashboard}");
    assert!(dashboard.contains("责任人：李红梅"), "who must act");

    let list = app.get(&format!("/units/{mz}/feedback"), Some(&b.cookie)).await.body;
    assert!(list.contains("未办结1件，已逾期1件"), "{list}");
    assert!(list.contains("超过48小时未回应") && list.contains("已按时回应"), "overdue and met flags");
    let overdue = app.get(&format!("/units/{mz}/feedback?status=overdue"), Some(&b.cookie)).await.body;
    assert_eq!(overdue.matches("href=\"/feedback/").count(), 1, "{overdue}");
    let general = app.get(&format!("/units/{mz}/feedback?level=general&category=政策咨询"), Some(&b.cookie)).await.body;
    assert!(general.contains("来电咨询高龄津贴") && !general.contains(OVERDUE));

    let id = demo_overdue_id(&app).await;
    let page = app.get(&format!("/feedback/{id}"), Some(&b.cookie)).await.body;
    assert!(
        page.contains("待回应") && page.contains("报告对象：局党组书记王建国") && page.contains("登记下一步"),
        "{page}"
    );

    let week = app.get(&format!("/units/{mz}/feedback/weekly?week=2026-W47"), Some(&b.cookie)).await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.body.contains("2026年第47周（11月16日—11月22日）"), "{}", week.body);
    let cards: Vec<&str> = ["本周涉及", "新发现", "已办结", "逾期"]
        .iter()
        .map(|l| week.body.split(&format!("{l}</span><b>")).nth(1).and_then(|r| r.split('<').next()).unwrap())
        .collect();
    assert_eq!(cards, ["1", "1", "0", "1"], "only the open 较大 entry");
    let default_week = app.get(&format!("/units/{mz}/feedback/weekly"), Some(&b.cookie)).await.body;
    assert!(default_week.contains("2026年第48周"), "the week of today");
    let bad = app.get(&format!("/units/{mz}/feedback/weekly?week=47"), Some(&b.cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let xlsx = app.get(&format!("/units/{mz}/feedback.xlsx?period=2026"), Some(&b.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"), "an .xlsx is a zip");

    let api =
        app.api(Method::GET, &format!("/api/v1/units/{mz}/feedback"), Some(&app.token("mz-fuju").await), None).await;
    let items = api.json();
    assert_eq!(items.as_array().unwrap().len(), 4);
    assert_eq!(items.as_array().unwrap().iter().filter(|i| i["overdue"] == true).count(), 1);
}

#[tokio::test]
async fn the_overdue_entry_is_a_duty_in_the_dashboard_the_duties_api_and_the_superiors_rollup() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let dashboard = app.get(&format!("/units/{mz}?period=2026"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains("舆情与诉求限时处置"), "a row of the duty table");
    let duties = app
        .api(Method::GET, &format!("/api/v1/units/{mz}/duties?period=2026"), Some(&app.token("mz-shuji").await), None)
        .await
        .json();
    let duty = duties["duties"]
        .as_array()
        .or(duties.as_array())
        .unwrap()
        .iter()
        .find(|d| d["item_id"] == "feedback-response")
        .cloned()
        .expect("the feedback duty");
    assert_eq!(duty["status"], "overdue", "{duty}");
    let reason = duty["reason"].as_str().unwrap();
    assert!(reason.contains(OVERDUE) && reason.contains("责任人：李红梅"), "{reason}");
    // The duty page the reminder links to opens.
    let page = app.get(&format!("/units/{mz}/duties/feedback-response?period=2026"), Some(&b.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("超过48小时未回应"), "{}", page.body);

    // The superior's inspector sees it in the roll-up.
    let county = app.unit_id("县委宣传部").await;
    let inspector = app.browser("xcb-ducha").await;
    let rollup = app.get(&format!("/rollup/{county}?period=2026"), Some(&inspector.cookie)).await;
    assert_eq!(rollup.status, StatusCode::OK);
    let row = rollup.body.split("县民政局党组").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(rollup.body.contains("舆情处置"), "a column of the roll-up");
    assert!(row.contains("已逾期"), "{row}");
}

#[tokio::test]
async fn forms_record_an_entry_and_refuse_a_step_out_of_order() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let form = app.get(&format!("/units/{mz}/feedback/new"), Some(&b.cookie)).await.body;
    assert!(form.contains("name=\"discovered_at\"") && form.contains("value=\"2026-11-23T"), "defaults to now");
    let fields = [
        ("csrf", b.csrf.as_str()),
        ("source_kind", "letter"),
        ("source_detail", "局长信箱"),
        ("source_url", ""),
        ("summary", "来信建议延长社会救助窗口服务时间"),
        ("category", "意见建议"),
        ("level", "general"),
        ("owner_id", ""),
        ("discovered_at", "2026-11-22T09:00"),
        ("discovered_by", ""),
        ("note", ""),
    ];
    let res = app.post_form(&format!("/units/{mz}/feedback"), Some(&b.cookie), &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.location.unwrap();

    let post_step = |pairs: Vec<(&'static str, String)>| {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let (app, path, csrf, cookie) = (&app, path.clone(), b.csrf.clone(), b.cookie.clone());
        async move {
            let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            all.extend(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            app.post_form(&format!("{path}/steps"), Some(&cookie), &all).await
        }
    };
    let res =
        post_step(vec![("kind", "respond".into()), ("at", "2026-11-22T10:00".into()), ("note", "x".into())]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("应先完成“核实”，才能登记“回应”"), "{}", res.body);
    // Fields of other steps, sent along by the one form, are ignored.
    let verify = vec![
        ("kind", "verify".to_string()),
        ("at", "2026-11-22T10:00".into()),
        ("by", "".into()),
        ("to", "".into()),
        ("form", "reply".into()),
        ("note", "建议合理".into()),
    ];
    assert_eq!(post_step(verify).await.status, StatusCode::SEE_OTHER);
    let page = app.get(&path, Some(&b.cookie)).await.body;
    assert!(page.contains("待处置") && page.contains("建议合理") && !page.contains("已按时回应"));
    assert!(page.contains("回应剩余"), "the 48-hour limit is running: {page}");
}

async fn upload_csv(app: &App, unit: i64, b: &Browser, csv: &str) -> Reply {
    let boundary = "taizhangboundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n",
        b.csrf
    );
    let req = Request::post(format!("/units/{unit}/feedback/import"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::COOKIE, &b.cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

const CSV_HEADER: &str = "来源,来源说明,链接,内容摘要,类别,等级,责任人,发现时间,发现人,核实时间,核实人,核实情况\n";

#[tokio::test]
async fn a_csv_file_is_imported_whole_or_not_at_all() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let (entries, audit) =
        (app.count("SELECT COUNT(*) FROM feedback").await, app.count("SELECT COUNT(*) FROM audit").await);
    let bad = format!(
        "{CSV_HEADER}来信,,,摘要一,意见建议,一般,刘晓雯,2026-11-02 09:00,刘晓雯,,,\n\
         来访,,,摘要二,意见建议,一般,刘志强,2026-11-02 09:00,刘晓雯,2026-11-02 08:00,陈静,属实\n"
    );
    let res = upload_csv(&app, mz, &b, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("一条也没有导入"), "{}", res.body);
    assert!(res.body.contains("第3行：责任人“刘志强”不是本单位人员"), "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, entries, "nothing written");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit);
    let wrong_order =
        format!("{CSV_HEADER}来访,,,摘要二,意见建议,一般,陈静,2026-11-02 09:00,刘晓雯,2026-11-02 08:00,陈静,属实\n");
    let res = upload_csv(&app, mz, &b, &wrong_order).await;
    assert!(res.body.contains("第2行：“核实”的时间不能早于“发现”的时间"), "{}", res.body);

    let good = format!(
        "\u{feff}{CSV_HEADER}来信,局长信箱,,摘要一,意见建议,一般,刘晓雯,2026-11-02 09:00,刘晓雯,,,\n\
         来访,,,摘要二,意见建议,较大,陈静,2026/11/2 9:00,刘晓雯,2026-11-02 10:00,陈静,属实\n"
    );
    let res = upload_csv(&app, mz, &b, &good).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some(format!("/units/{mz}/feedback?imported=2").as_str()));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, entries + 2);
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_file_up_to_the_stated_5mb_reaches_the_importer_and_a_larger_one_is_refused_in_chinese() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    // 3MB: over axum's default 2MB body limit, under the 5MB the page states.
    let line = "来信,,,摘要,意见建议,一般,刘晓雯,2026-11-02 09:00,刘晓雯,,,\n";
    // A wrong header, so the importer answers at once without 60,000 rows.
    let big = format!("编号,{CSV_HEADER}{}", line.repeat(3 * 1024 * 1024 / line.len()));
    let res = upload_csv(&app, mz, &b, &big).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the importer, not the body limit, answers");
    let huge = format!("{CSV_HEADER}{}", line.repeat(6 * 1024 * 1024 / line.len()));
    let res = upload_csv(&app, mz, &b, &huge).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("上传的文件超过5MB"), "{}", res.body);
}

/// Every new route, tried by a person of another unit and by the read-only inspector.
#[tokio::test]
async fn nobody_reaches_another_units_feedback() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let id = demo_overdue_id(&app).await;
    let before = app.count("SELECT COUNT(*) FROM audit").await;

    let b = app.browser("sl-shuji").await;
    for path in [
        format!("/units/{mz}/feedback"),
        format!("/units/{mz}/feedback/new"),
        format!("/units/{mz}/feedback/weekly?week=2026-W47"),
        format!("/units/{mz}/feedback.xlsx?period=2026"),
        format!("/feedback/{id}"),
    ] {
        let res = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"), "GET {path}");
    }
    let verify = [
        ("csrf", b.csrf.as_str()),
        ("kind", "respond"),
        ("at", "2026-11-22T10:00"),
        ("form", "reply"),
        ("note", "越权"),
    ];
    assert_eq!(
        app.post_form(&format!("/feedback/{id}/steps"), Some(&b.cookie), &verify).await.status,
        StatusCode::FORBIDDEN
    );
    let new = [
        ("csrf", b.csrf.as_str()),
        ("source_kind", "letter"),
        ("summary", "越权"),
        ("category", "x"),
        ("level", "general"),
        ("discovered_at", "2026-11-22T10:00"),
    ];
    assert_eq!(
        app.post_form(&format!("/units/{mz}/feedback"), Some(&b.cookie), &new).await.status,
        StatusCode::FORBIDDEN
    );
    let csv = format!("{CSV_HEADER}来信,,,越权,x,一般,刘晓雯,2026-11-02 09:00,刘晓雯,,,\n");
    assert_eq!(upload_csv(&app, mz, &b, &csv).await.status, StatusCode::FORBIDDEN);

    for user in ["sl-shuji", "xcb-ducha"] {
        let t = app.token(user).await;
        let t = Some(t.as_str());
        let res = app
            .api(
                Method::POST,
                &format!("/api/v1/feedback/{id}/steps"),
                t,
                Some(json!({ "kind": "respond", "at": "2026-11-22 10:00", "form": "reply", "note": "越权" })),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} records a step");
        let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/feedback"), t, Some(hotline_entry())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} creates");
    }
    let t = app.token("sl-shuji").await;
    for path in [format!("/api/v1/units/{mz}/feedback"), format!("/api/v1/feedback/{id}")] {
        assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, StatusCode::FORBIDDEN, "API GET {path}");
    }

    // The inspector reads everything but is offered no form and may post none.
    let inspector = app.browser("xcb-ducha").await;
    for path in [format!("/units/{mz}/feedback"), format!("/units/{mz}/feedback/weekly"), format!("/feedback/{id}")] {
        let page = app.get(&path, Some(&inspector.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page.body.contains("登记下一步")
                && !page.body.contains("登记舆情与诉求")
                && !page.body.contains("feedback/import"),
            "{path}"
        );
    }
    assert_eq!(
        app.get(&format!("/units/{mz}/feedback/new"), Some(&inspector.cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let respond = [
        ("csrf", inspector.csrf.as_str()),
        ("kind", "respond"),
        ("at", "2026-11-22T10:00"),
        ("form", "reply"),
        ("note", "只读"),
    ];
    assert_eq!(
        app.post_form(&format!("/feedback/{id}/steps"), Some(&inspector.cookie), &respond).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(upload_csv(&app, mz, &inspector, &csv).await.status, StatusCode::FORBIDDEN);
    let token = app.token("xcb-ducha").await;
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/feedback/{id}"), Some(&token), None).await.status,
        StatusCode::OK
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn the_feedback_routes_are_in_the_openapi_document() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    for path in ["/units/{id}/feedback", "/feedback/{id}", "/feedback/{id}/steps"] {
        assert!(spec["paths"][path].is_object(), "openapi lacks {path}");
    }
    for schema in ["FeedbackInput", "FeedbackStepInput", "FeedbackItem"] {
        assert!(spec["components"]["schemas"][schema].is_object(), "openapi lacks {schema}");
    }
}
