//! 信息报送 through the real router: recording and adopting a submission
//! and the statistics and quota progress that follow; the seeded shortfall
//! on the dashboard; officers and quotas (leaders only); the CSV import
//! refused whole; a refused form keeping what was typed; the export; and
//! the isolation rule on every new route.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const SHORTFALL: &str = "养老服务股2026年第3季度录用信息1篇，少于定额2篇（信息员：黄立新）";

/// The id of a department of 县民政局党组 by name.
async fn department(app: &App, name: &str) -> i64 {
    let mz = app.unit_id(MZ).await;
    app.count(&format!("SELECT id FROM units WHERE name = '{name}' AND parent_id = {mz}")).await
}

async fn person(app: &App, name: &str) -> i64 {
    app.count(&format!("SELECT id FROM people WHERE name = '{name}'")).await
}

async fn statistics(app: &App, token: &str, unit: i64) -> Value {
    let res =
        app.api(Method::GET, &format!("/api/v1/units/{unit}/news/statistics?period=2026"), Some(token), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// The 2026Q4 progress of a department's quota.
fn q4<'a>(stats: &'a Value, subject: &str) -> &'a Value {
    stats["quotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["subject"] == subject && q["period"] == "2026Q4")
        .unwrap_or_else(|| panic!("no 2026Q4 quota of {subject}: {stats}"))
}

#[tokio::test]
async fn a_submission_is_recorded_adopted_and_counted() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let office = department(&app, "办公室").await;
    let staff = app.token("mz-keyuan").await;
    let before = statistics(&app, &staff, mz).await;
    assert_eq!(
        (q4(&before, "办公室")["done"].as_i64(), q4(&before, "办公室")["status"].as_str()),
        (Some(2), Some("pending"))
    );

    let author = person(&app, "刘晓雯").await;
    let new = json!({
        "department_id": office, "title": "县民政局开展冬季救助政策宣传", "author_ids": [author],
        "outlet": "市委办《信息快报》", "level": "municipal", "submitted_on": "2026-11-23"
    });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/news"), Some(&staff), Some(new.clone())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let created = res.json();
    assert_eq!((created["adopted"].as_bool(), created["revision"].as_i64()), (Some(false), Some(1)));
    assert_eq!((created["authors"].as_str(), created["department"].as_str()), (Some("刘晓雯"), Some("办公室")));
    let id = created["id"].as_i64().unwrap();

    // 录用 with the 期号, at the revision read; a stale revision is refused.
    let mut adopted = new.clone();
    adopted["adopted_on"] = json!("2026-11-23");
    adopted["issue"] = json!("2026年第48期");
    adopted["revision"] = json!(1);
    let res = app.api(Method::PUT, &format!("/api/v1/news/{id}"), Some(&staff), Some(adopted.clone())).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!((res.json()["adopted"].as_bool(), res.json()["revision"].as_i64()), (Some(true), Some(2)));
    let res = app.api(Method::PUT, &format!("/api/v1/news/{id}"), Some(&staff), Some(adopted)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);

    let after = statistics(&app, &staff, mz).await;
    let count = |v: &Value, what: &str| v["total"][what].as_i64().unwrap();
    assert_eq!(count(&after, "submitted"), count(&before, "submitted") + 1);
    assert_eq!(count(&after, "adopted"), count(&before, "adopted") + 1);
    assert_eq!(
        after["total"]["adopted_by_level"]["municipal"].as_i64(),
        before["total"]["adopted_by_level"]["municipal"].as_i64().map(|n| n + 1)
    );
    assert_eq!(
        (q4(&after, "办公室")["done"].as_i64(), q4(&after, "办公室")["status"].as_str()),
        (Some(3), Some("met"))
    );
    assert!(after["sentence"].as_str().unwrap().starts_with("2026年1—11月共报送信息"), "{after}");

    // Rules: dates, and the department and authors must be the unit's own.
    let refused = [
        (json!({ "adopted_on": "2026-11-01" }), "录用日期不能早于报送日期"),
        (json!({ "submitted_on": "2026-11-30" }), "报送日期不能晚于今天"),
        (json!({ "author_ids": [person(&app, "刘志强").await] }), "作者须为本单位人员"),
        (json!({ "department_id": app.unit_id(MZ).await + 1000 }), "报送科室须为本单位的科室"),
        (json!({ "level": "乡级" }), "未知的级别"),
    ];
    for (change, message) in refused {
        let mut body = new.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/news"), Some(&staff), Some(body)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{message}: {}", res.body);
        assert!(res.json()["error"].as_str().unwrap().contains(message), "{message}: {}", res.body);
    }
    assert!(app.store.verify().await.unwrap().is_ok(), "every write is in the audit chain");
}

#[tokio::test]
async fn the_dashboard_and_statistics_show_the_shortfall() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-shuji").await;
    let dashboard = app.get(&format!("/units/{mz}?period=2026"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains(&format!("/units/{mz}/news?period=2026")), "the toolbar links the register");
    assert!(dashboard.contains(SHORTFALL), "{dashboard}");
    let stats = app.get(&format!("/units/{mz}/news/stats?period=2026"), Some(&b.cookie)).await;
    assert_eq!(stats.status, StatusCode::OK);
    assert!(stats.body.contains("2026年1—11月共报送信息44篇，录用34篇，其中"), "{}", stats.body);
    assert!(stats.body.contains(SHORTFALL.split('（').next().unwrap()), "{}", stats.body);
    let list = app.get(&format!("/units/{mz}/news?period=2026Q3"), Some(&b.cookie)).await.body;
    assert!(list.contains("我县养老护理员职业技能竞赛举行") && list.contains("未录用"), "{list}");
    assert!(!list.contains("县民政局开展养老机构冬季安全检查"), "a December 2025 item is not in 2026Q3");

    let xlsx = app.get(&format!("/units/{mz}/news.xlsx?period=2026"), Some(&b.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));
    // The engine's reason is the API's too.
    let t = app.token("mz-shuji").await;
    let duties = app.api(Method::GET, &format!("/api/v1/units/{mz}/duties?period=2026"), Some(&t), None).await.json();
    let duty = duties["duties"].as_array().unwrap().iter().find(|d| d["item_id"] == "news-quota").unwrap().clone();
    assert_eq!((duty["status"].as_str(), duty["reason"].as_str()), (Some("overdue"), Some(SHORTFALL)));
}

#[tokio::test]
async fn officers_and_quotas_are_set_by_leaders_only() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let office = department(&app, "办公室").await.to_string();
    let staff = app.browser("mz-keyuan").await;
    let quota = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("department_id", office.clone()),
            ("cadence", "month".into()),
            ("measure", "submitted".into()),
            ("target", "2".into()),
        ]
    };
    let pairs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let post = |path: String, cookie: String, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&path, Some(&cookie), &refs).await
        }
    };
    let quotas = format!("/units/{mz}/news/quotas");
    let res = post(quotas.clone(), staff.cookie.clone(), pairs(&quota(&staff.csrf))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "staff do not set quotas");
    let page = app.get(&quotas, Some(&staff.cookie)).await.body;
    assert!(page.contains("每季度录用信息不少于3篇") && !page.contains("保存定额"), "staff read only");

    let leader = app.browser("mz-fuju").await;
    let res = post(quotas.clone(), leader.cookie.clone(), pairs(&quota(&leader.csrf))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(&quotas, Some(&leader.cookie)).await.body;
    assert!(page.contains("每月报送信息不少于2篇"), "{page}");
    // Setting it again changes it rather than adding a second.
    let mut again = quota(&leader.csrf);
    again[4].1 = "4".into();
    post(quotas.clone(), leader.cookie.clone(), pairs(&again)).await;
    let n = app.count(&format!("SELECT COUNT(*) FROM news_quotas WHERE cadence = 'month' AND unit_id = {mz}")).await;
    assert_eq!(n, 1);
    let mut zero = quota(&leader.csrf);
    zero[4].1 = "0".into();
    let res = post(quotas.clone(), leader.cookie.clone(), pairs(&zero)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("定额须为1至1000篇") && res.body.contains("value=\"0\""), "{}", res.body);
    let id = app.count("SELECT MAX(id) FROM news_quotas").await;
    let delete = format!("/units/{mz}/news/quotas/{id}/delete");
    let csrf_only = |csrf: &str| vec![("csrf", csrf.to_string())];
    assert_eq!(post(delete.clone(), staff.cookie.clone(), csrf_only(&staff.csrf)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(delete, leader.cookie.clone(), csrf_only(&leader.csrf)).await.status, StatusCode::SEE_OTHER);
    assert!(!app.get(&quotas, Some(&leader.cookie)).await.body.contains("每月报送信息不少于"));

    // Officers: named people of the unit; an unknown name keeps what was typed.
    let officers = format!("/units/{mz}/news/officers");
    let named = |csrf: &str, names: &str| {
        vec![("csrf", csrf.to_string()), ("department_id", office.clone()), ("names", names.to_string())]
    };
    let res = post(officers.clone(), staff.cookie.clone(), named(&staff.csrf, "陈静")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = post(officers.clone(), leader.cookie.clone(), named(&leader.csrf, "刘晓雯、查无此人")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("信息员“查无此人”不是本单位人员") && res.body.contains("刘晓雯、查无此人"),
        "{}",
        res.body
    );
    let res = post(officers.clone(), leader.cookie.clone(), named(&leader.csrf, "刘晓雯、陈静")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let n = app.count(&format!("SELECT COUNT(*) FROM news_officers WHERE department_id = {office}")).await;
    assert_eq!(n, 2);
    post(officers, leader.cookie.clone(), named(&leader.csrf, "陈静")).await;
    let only: i64 = app.count(&format!("SELECT person_id FROM news_officers WHERE department_id = {office}")).await;
    assert_eq!(only, person(&app, "陈静").await);
    assert!(app.store.verify().await.unwrap().is_ok(), "deletions are in the audit chain too");
}

async fn upload(app: &App, unit: i64, b: &Browser, csv: &str) -> Reply {
    app.upload(&format!("/units/{unit}/news/import"), b, &[], ("file", "news.csv", csv.as_bytes())).await
}

#[tokio::test]
async fn an_import_with_a_bad_line_writes_nothing() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let before = app.count("SELECT COUNT(*) FROM news_submissions").await;
    let header = "标题,科室,作者,刊物,级别,报送日期,录用日期,期号或链接\n";
    let good_line =
        "县民政局召开冬季救助工作推进会,办公室,刘晓雯、陈静,县委办《每日要情》,县级,2026-11-20,2026-11-21,第230期\n";
    let bad = format!(
        "{header}{good_line}社会救助政策宣传进社区,财务股,刘晓雯,县融媒体中心,县级,2026-11-18,,\n\
         养老机构安全检查,养老服务股,黄立新,市民政局《民政信息》,市级,2026-11-19,,第12期\n"
    );
    let res = upload(&app, mz, &b, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let at = |text: &str| res.body.find(text).unwrap_or_else(|| panic!("{text}: {}", res.body));
    assert!(at("第3行：本单位没有名为“财务股”的科室") < at("第4行：尚未录用的信息不能填写刊发期号或链接"));
    assert_eq!(app.count("SELECT COUNT(*) FROM news_submissions").await, before, "nothing was written");
    let good =
        format!("{header}{good_line}养老机构安全检查,养老服务股,黄立新,市民政局《民政信息》,市级,2026-11-19,,\n");
    let res = upload(&app, mz, &b, &good).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("已导入2条信息"));
    assert_eq!(app.count("SELECT COUNT(*) FROM news_submissions").await, before + 2);
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let office = department(&app, "办公室").await.to_string();
    let b = app.browser("mz-keyuan").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("department_id", office.as_str()),
        ("title", "我县启动困难群众冬季送温暖活动"),
        ("authors", "刘晓雯"),
        ("outlet", "市民政局《民政信息》"),
        ("level", "municipal"),
        ("submitted_on", "2026-11-20"),
        ("adopted_on", "2026-11-19"),
        ("issue", ""),
    ];
    let res = app.post_form(&format!("/units/{mz}/news"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("录用日期不能早于报送日期"), "{}", res.body);
    for typed in ["我县启动困难群众冬季送温暖活动", "value=\"2026-11-19\"", "市民政局《民政信息》", "value=\"刘晓雯\""]
    {
        assert!(res.body.contains(typed), "{typed}: {}", res.body);
    }
    let mut fixed = form;
    fixed[7] = ("adopted_on", "");
    let res = app.post_form(&format!("/units/{mz}/news"), Some(&b.cookie), &fixed).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.follow(&res, &b.cookie).await.body;
    assert!(page.contains("已保存") && page.contains("登记录用"), "{page}");
}

#[tokio::test]
async fn nobody_reaches_another_units_news() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let id = app.count("SELECT MIN(id) FROM news_submissions").await;
    let quota = app.count("SELECT MIN(id) FROM news_quotas").await;
    let before = app.count("SELECT COUNT(*) FROM audit").await;
    let pages = [
        format!("/units/{mz}/news"),
        format!("/units/{mz}/news.xlsx"),
        format!("/units/{mz}/news/new"),
        format!("/units/{mz}/news/stats"),
        format!("/units/{mz}/news/officers"),
        format!("/units/{mz}/news/quotas"),
        format!("/news/{id}"),
        format!("/news/{id}/edit"),
    ];
    let posts = [
        format!("/units/{mz}/news"),
        format!("/news/{id}"),
        format!("/news/{id}/adopt"),
        format!("/units/{mz}/news/officers"),
        format!("/units/{mz}/news/quotas"),
        format!("/units/{mz}/news/quotas/{quota}/delete"),
    ];
    let office = department(&app, "办公室").await.to_string();
    let sibling = app.browser("sl-shuji").await;
    for path in &pages {
        let res = app.get(path, Some(&sibling.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"));
    }
    let inspector = app.browser("xcb-ducha").await;
    for b in [&sibling, &inspector] {
        let form = [
            ("csrf", b.csrf.as_str()),
            ("department_id", office.as_str()),
            ("title", "越权"),
            ("outlet", "刊物"),
            ("level", "county"),
            ("submitted_on", "2026-11-20"),
            ("on", "2026-11-20"),
            ("names", "刘晓雯"),
            ("cadence", "year"),
            ("measure", "adopted"),
            ("target", "1"),
        ];
        for path in &posts {
            let res = app.post_form(path, Some(&b.cookie), &form).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "POST {path}");
        }
        let res = app.upload(&format!("/units/{mz}/news/import"), b, &[], ("file", "x.csv", b"a")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "import");
    }
    // The superior's inspector reads the subtree, without forms.
    for path in &pages[..6] {
        if path.ends_with("/new") {
            continue;
        }
        let res = app.get(path, Some(&inspector.cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "inspector GET {path}");
        assert!(!res.body.contains("登记信息") && !res.body.contains("保存定额"), "{path}");
    }
    let body = json!({ "department_id": office.parse::<i64>().unwrap(), "title": "越权", "outlet": "刊物", "level": "county", "submitted_on": "2026-11-20" });
    for (user, read) in [("sl-shuji", StatusCode::FORBIDDEN), ("xcb-ducha", StatusCode::OK)] {
        let t = app.token(user).await;
        for path in [
            format!("/api/v1/units/{mz}/news"),
            format!("/api/v1/units/{mz}/news/statistics"),
            format!("/api/v1/news/{id}"),
        ] {
            assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, read, "{user} API GET {path}");
        }
        let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/news"), Some(&t), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} API POST");
        let res = app.api(Method::PUT, &format!("/api/v1/news/{id}"), Some(&t), Some(body.clone())).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} API PUT");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn the_news_routes_are_in_the_openapi_document() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    for path in ["/units/{id}/news", "/news/{id}", "/units/{id}/news/statistics"] {
        assert!(spec["paths"][path].is_object(), "openapi lacks {path}");
    }
    for schema in ["NewsSubmissionInput", "NewsSubmission", "NewsStatistics", "NewsTally"] {
        assert!(spec["components"]["schemas"][schema].is_object(), "openapi lacks {schema}");
    }
    assert!(spec["paths"]["/news/{id}"]["put"]["responses"]["409"].is_object(), "a stale revision is documented");
}
