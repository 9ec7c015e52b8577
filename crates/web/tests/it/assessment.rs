//! 年度考核 through the real router: the automatic score with its reasons,
//! the unit's adjustments and submission, the superior's review, 审定 and
//! 退回, stale versions, the ranking, the exports, the CSV import refused
//! whole, the dashboard's section, and the isolation rule on every route.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const CL: &str = "县残联党组";
/// The superior's 副部长, who reviews.
const REVIEWER: &str = "xcb-kaohe";

async fn step(app: &App, token: &str, unit: i64, year: i32, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/units/{unit}/assessments/{year}/steps");
    let res = app.api(Method::POST, &path, Some(token), Some(body)).await;
    (res.status, res.json())
}

async fn scorecard(app: &App, token: &str, unit: i64, year: i32) -> Value {
    let res = app.api(Method::GET, &format!("/api/v1/units/{unit}/assessments/{year}"), Some(token), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

fn item<'a>(card: &'a Value, id: &str) -> &'a Value {
    card["items"].as_array().unwrap().iter().find(|i| i["item_id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn every_lost_point_has_a_reason() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let t = app.token("mz-shuji").await;
    let card = scorecard(&app, &t, mz, 2026).await;
    assert_eq!((card["state"].as_str(), card["revision"].as_i64()), (Some("draft"), Some(0)));
    let mut lost_total = 0.0;
    for i in card["items"].as_array().unwrap() {
        let lost: f64 = i["deductions"].as_array().unwrap().iter().map(|d| num(&d["points"])).sum();
        assert!((num(&i["points"]) - num(&i["auto"]) - lost).abs() < 0.005, "{i}");
        for d in i["deductions"].as_array().unwrap() {
            assert!(!d["reason"].as_str().unwrap().is_empty() && !d["how"].as_str().unwrap().is_empty(), "{d}");
        }
        lost_total += lost;
    }
    assert!((num(&card["max"]) - num(&card["auto"]) - lost_total).abs() < 0.01);
    // The seeded gaps, each a deduction in the engine's words.
    let report = item(&card, "half-year-report");
    assert_eq!(report["deductions"][0]["status"], "late");
    assert!(report["deductions"][0]["reason"].as_str().unwrap().contains("逾期12天"), "{report}");
    assert_eq!(num(&report["auto"]), 7.5, "a report done late keeps its deduction");
    let committee = item(&card, "branch-committee");
    let reasons: Vec<&str> =
        committee["deductions"].as_array().unwrap().iter().map(|d| d["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("2026年4月")) && reasons.iter().any(|r| r.contains("2026年8月")));
    assert_eq!(item(&card, "study-sessions")["deductions"][0]["status"], "missing_evidence");
    assert_eq!(item(&card, "rectification")["deductions"][0]["status"], "overdue");
    assert!(committee["running"].as_bool().unwrap(), "December is not over");

    let b = app.browser("mz-shuji").await;
    let page = app.get(&format!("/units/{mz}/assessment?year=2026"), Some(&b.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["2026年度意识形态工作责任制考核", "逾期12天", "2026年4月", "缺少研讨记录", "保存调整", "提交自评"]
    {
        assert!(page.body.contains(text), "{text}");
    }
    let dashboard = app.get(&format!("/units/{mz}"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains("2026年度自动得分") && dashboard.contains("查看考核表"), "{dashboard}");
}

#[tokio::test]
async fn the_unit_submits_and_the_superior_reviews_and_finalises() {
    let app = App::demo().await;
    let (cl, mz) = (app.unit_id(CL).await, app.unit_id(MZ).await);
    let (unit, superior) = (app.token("cl-shuji").await, app.token(REVIEWER).await);
    // 2026 cannot be submitted before its window opens on 1 December.
    let (status, body) = step(&app, &unit, cl, 2026, json!({ "action": "submit", "revision": 0 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "2026年度自评自2026年12月1日起方可提交");

    // 2025 was returned: the unit names its evidence properly and resubmits.
    let card = scorecard(&app, &unit, cl, 2025).await;
    assert_eq!(card["state"], "returned");
    assert!(card["opinion"].as_str().unwrap().contains("纸质台账"));
    let revision = card["revision"].as_i64().unwrap();
    let study = item(&card, "study-sessions");
    let room = num(&study["points"]) - num(&study["auto"]);
    let adjust = |evidence: &str, revision: i64| {
        json!({ "action": "adjust", "revision": revision, "item_id": "study-sessions", "delta": room,
                "reason": "1—11月中心组学习记录在纸质学习记录本中", "evidence": evidence })
    };
    let (status, body) = step(&app, &unit, cl, 2025, adjust(" ", revision)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("自评调整须写明佐证材料（记录、文件或台账的名称）"))
    );
    let too_much = json!({ "action": "adjust", "revision": revision, "item_id": "study-sessions", "delta": room + 1.0, "reason": "x", "evidence": "y" });
    let (status, body) = step(&app, &unit, cl, 2025, too_much).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("调整后须在0至10分之间"), "{body}");
    let evidence = "《县残联党组2025年理论学习中心组学习记录本》第1—23页";
    let (status, body) = step(&app, &unit, cl, 2025, adjust(evidence, revision)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(item(&body, "study-sessions")["adjustment"]["evidence"], evidence);
    let (status, _) = step(&app, &unit, cl, 2025, adjust(evidence, revision)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale revision is refused");
    // The unit cannot review itself; the superior cannot adjust for it.
    let (status, _) = step(&app, &unit, cl, 2025, json!({ "action": "finalise" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = step(&app, &superior, cl, 2025, adjust(evidence, revision + 1)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = step(&app, &unit, cl, 2025, json!({ "action": "submit", "revision": revision + 1 })).await;
    assert_eq!(
        (status, body["state"].as_str(), body["frozen"].as_bool()),
        (StatusCode::OK, Some("submitted"), Some(true))
    );
    let (status, _) = step(&app, &unit, cl, 2025, adjust(evidence, revision + 2)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "with the superior now");

    let review = json!({ "action": "review", "item_id": "study-sessions", "score": 11 });
    let (status, body) = step(&app, &superior, cl, 2025, review).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("审核得分须在0至10分之间"));
    let review = json!({ "action": "review", "item_id": "study-sessions", "score": 9, "opinion": "研讨记录不全" });
    let (status, body) = step(&app, &superior, cl, 2025, review).await;
    assert_eq!((status, num(&item(&body, "study-sessions")["review"]["score"])), (StatusCode::OK, 9.0));
    let (status, body) = step(&app, &superior, cl, 2025, json!({ "action": "finalise", "opinion": "同意" })).await;
    assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("finalised")));
    let self_total = num(&body["self"]);
    let study_self = num(&item(&body, "study-sessions")["self"]);
    assert!((num(&body["final"]) - (self_total - study_self + 9.0)).abs() < 0.005, "{body}");

    // The ranking ranks the finalised units by their final scores.
    let root = app.count("SELECT MIN(id) FROM units").await;
    let res =
        app.api(Method::GET, &format!("/api/v1/units/{root}/assessment-ranking/2025"), Some(&superior), None).await;
    let ranking = res.json()["ranking"].as_array().unwrap().clone();
    assert_eq!(ranking.len(), 3);
    assert!(ranking.iter().all(|r| r["basis"] == "final"), "{ranking:?}");
    assert!(ranking.windows(2).all(|w| num(&w[0]["score"]) >= num(&w[1]["score"])));
    let res =
        app.api(Method::GET, &format!("/api/v1/units/{root}/assessment-ranking/2026"), Some(&superior), None).await;
    let ranking = res.json()["ranking"].as_array().unwrap().clone();
    assert!(ranking.iter().all(|r| r["basis"] == "automatic" && r["basis_label"] == "自动得分（未审定）"));
    assert!(ranking.iter().any(|r| r["unit_id"] == mz));
}

#[tokio::test]
async fn the_pages_walk_the_same_steps_and_keep_what_was_typed() {
    let app = App::demo().await;
    let cl = app.unit_id(CL).await;
    let b = app.browser("cl-shuji").await;
    let revision = app.count(&format!("SELECT revision FROM assessments WHERE unit_id = {cl} AND year = 2025")).await;
    let revision = revision.to_string();
    let form = |evidence: &'static str| {
        vec![
            ("year", "2025"),
            ("item_id", "first-topic"),
            ("delta", "1"),
            ("reason", "第一议题记录见纸质会议记录本"),
            ("evidence", evidence),
        ]
    };
    let mut refused = form("");
    refused.push(("revision", &revision));
    refused.push(("csrf", &b.csrf));
    let res = app.post_form(&format!("/units/{cl}/assessment/adjustments"), Some(&b.cookie), &refused).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("自评调整须写明佐证材料"), "{}", res.body);
    assert!(res.body.contains("第一议题记录见纸质会议记录本"), "the reason typed is kept");
    let res = app
        .post_form(
            &format!("/units/{cl}/assessment/adjustments"),
            Some(&b.cookie),
            &[
                ("csrf", &b.csrf),
                ("year", "2025"),
                ("revision", &revision),
                ("item_id", "first-topic"),
                ("delta", "一分"),
                ("reason", "r"),
                ("evidence", "e"),
            ],
        )
        .await;
    assert!(res.body.contains("调整分值应为数字"), "{}", res.body);
    // The dashboard says the 2025 assessment was returned, why, and who must act.
    let dashboard = app.get(&format!("/units/{cl}"), Some(&b.cookie)).await.body;
    assert!(dashboard.contains("2025年度意识形态工作责任制考核自评已被上级退回"), "{dashboard}");
    assert!(dashboard.contains(taizhang_demo::ASSESSMENT_RETURN_OPINION) && dashboard.contains("第一责任人：张慧敏"));

    let res = app
        .post_form(
            &format!("/units/{cl}/assessment/submit"),
            Some(&b.cookie),
            &[("csrf", &b.csrf), ("year", "2025"), ("revision", &revision)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let reviewer = app.browser(REVIEWER).await;
    let page = app.get(&format!("/units/{cl}/assessment?year=2025"), Some(&reviewer.cookie)).await.body;
    assert!(page.contains("上级审核") && page.contains("name=\"score.first-topic\""), "{page}");
    let rev =
        app.count(&format!("SELECT revision FROM assessments WHERE unit_id = {cl} AND year = 2025")).await.to_string();
    let back = [
        ("csrf", reviewer.csrf.as_str()),
        ("year", "2025"),
        ("revision", &rev),
        ("decision", "return"),
        ("opinion", " "),
        ("score.first-topic", "4"),
    ];
    let res = app.post_form(&format!("/units/{cl}/assessment/review"), Some(&reviewer.cookie), &back).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("退回须写明意见") && res.body.contains("value=\"4\""), "the score typed is kept");
    let done = [
        ("csrf", reviewer.csrf.as_str()),
        ("year", "2025"),
        ("revision", &rev),
        ("decision", "finalise"),
        ("opinion", "同意"),
        ("score.first-topic", "4"),
        ("opinion.first-topic", "5月第一议题顺序不当"),
    ];
    let res = app.post_form(&format!("/units/{cl}/assessment/review"), Some(&reviewer.cookie), &done).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(&format!("/units/{cl}/assessment?year=2025"), Some(&b.cookie)).await.body;
    assert!(page.contains("已审定") && page.contains("5月第一议题顺序不当") && !page.contains("保存调整"), "{page}");
    let dashboard = app.get(&format!("/units/{cl}"), Some(&b.cookie)).await.body;
    assert!(!dashboard.contains("已被上级退回"), "the gap is closed");
}

#[tokio::test]
async fn exports_are_spreadsheets() {
    let app = App::demo().await;
    let (mz, root) = (app.unit_id(MZ).await, app.count("SELECT MIN(id) FROM units").await);
    let b = app.browser(REVIEWER).await;
    for path in [format!("/units/{mz}/assessment.xlsx?year=2025"), format!("/rollup/{root}/assessment.xlsx?year=2025")]
    {
        let res = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.body.starts_with("PK"), "{path}");
        let again = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.body, again.body, "deterministic bytes: {path}");
    }
    let page = app.get(&format!("/rollup/{root}/assessment?year=2025"), Some(&b.cookie)).await.body;
    for text in ["考核排名", "审定得分", "自动得分（未审定）", MZ, CL, "从 CSV 导入审核得分"] {
        assert!(page.contains(text), "{text}");
    }
}

#[tokio::test]
async fn a_review_import_with_a_bad_line_writes_nothing() {
    let app = App::demo().await;
    let (cl, root) = (app.unit_id(CL).await, app.count("SELECT MIN(id) FROM units").await);
    let unit = app.token("cl-shuji").await;
    let rev = app.count(&format!("SELECT revision FROM assessments WHERE unit_id = {cl} AND year = 2025")).await;
    assert_eq!(step(&app, &unit, cl, 2025, json!({ "action": "submit", "revision": rev })).await.0, StatusCode::OK);
    let b = app.browser(REVIEWER).await;
    let before = app.count("SELECT COUNT(*) FROM audit").await;
    let header = "单位,事项编号,审核得分,审核意见\n";
    let bad = format!(
        "{header}县残联党组,study-sessions,9,研讨不全\n县民政局党组,study-sessions,9,\n县残联党组,no-such-item,1,\n县残联党组,first-topic,6,\n县公安局党委,first-topic,1,\n"
    );
    let upload = |csv: String| {
        let b = &b;
        let app = &app;
        async move {
            app.upload(
                &format!("/rollup/{root}/assessment/import"),
                b,
                &[("year", "2025")],
                ("file", "r.csv", csv.as_bytes()),
            )
            .await
        }
    };
    let res = upload(bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let at = |text: &str| res.body.find(text).unwrap_or_else(|| panic!("{text}: {}", res.body));
    assert!(at("第3行：考核已审定，不能再修改") < at("第4行：考核表中没有事项“no-such-item”"));
    assert!(at("第5行：“党组（党委）会议“第一议题”") < at("第6行：“县公安局党委”不是您可审核的单位"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing written");
    let res = upload(format!("{header}县残联党组,study-sessions,9,研讨不全\n县残联党组,first-topic,4.5,\n")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("已导入2项审核得分"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before + 1, "one audited change for the unit");
    let card = scorecard(&app, &unit, cl, 2025).await;
    assert_eq!(num(&item(&card, "first-topic")["review"]["score"]), 4.5);
}

#[tokio::test]
async fn nobody_reaches_what_is_not_theirs() {
    let app = App::demo().await;
    let (mz, root) = (app.unit_id(MZ).await, app.count("SELECT MIN(id) FROM units").await);
    let before = app.count("SELECT COUNT(*) FROM audit").await;
    let adjust = json!({ "action": "adjust", "revision": 0, "item_id": "first-topic", "delta": -1, "reason": "越权", "evidence": "越权" });

    // A sibling unit neither reads nor writes.
    let sibling = app.browser("sl-shuji").await;
    for path in [
        format!("/units/{mz}/assessment?year=2026"),
        format!("/units/{mz}/assessment.xlsx?year=2026"),
        format!("/rollup/{root}/assessment?year=2025"),
        format!("/rollup/{root}/assessment.xlsx?year=2025"),
    ] {
        let res = app.get(&path, Some(&sibling.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"), "{path}");
    }
    let fields = [
        ("csrf", sibling.csrf.as_str()),
        ("year", "2026"),
        ("revision", "0"),
        ("item_id", "first-topic"),
        ("delta", "-1"),
        ("reason", "越权"),
        ("evidence", "越权"),
        ("decision", "finalise"),
    ];
    for path in ["adjustments", "adjustments/remove", "submit", "review"] {
        let res = app.post_form(&format!("/units/{mz}/assessment/{path}"), Some(&sibling.cookie), &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    let res = app
        .upload(
            &format!("/rollup/{root}/assessment/import"),
            &sibling,
            &[("year", "2025")],
            ("file", "r.csv", "单位,事项编号,审核得分,审核意见\n县民政局党组,first-topic,1,\n".as_bytes()),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let t = app.token("sl-shuji").await;
    for path in
        [format!("/api/v1/units/{mz}/assessments/2026"), format!("/api/v1/units/{root}/assessment-ranking/2026")]
    {
        assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, StatusCode::FORBIDDEN, "API GET {path}");
    }
    assert_eq!(step(&app, &t, mz, 2026, adjust.clone()).await.0, StatusCode::FORBIDDEN);

    // The unit's staff read but do not assess; its secretary does not review.
    let staff = app.token("mz-keyuan").await;
    assert_eq!(scorecard(&app, &staff, mz, 2026).await["unit_id"], mz);
    assert_eq!(step(&app, &staff, mz, 2026, adjust.clone()).await.0, StatusCode::FORBIDDEN);
    let own = app.token("mz-shuji").await;
    let review = json!({ "action": "review", "item_id": "first-topic", "score": 5 });
    assert_eq!(step(&app, &own, mz, 2025, review.clone()).await.0, StatusCode::FORBIDDEN, "no unit reviews itself");

    // The inspector reads everything below the superior and writes nothing.
    let inspector = app.browser("xcb-ducha").await;
    let page = app.get(&format!("/units/{mz}/assessment?year=2025"), Some(&inspector.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("上级审核") && !page.body.contains("保存调整"), "no forms for the inspector");
    let ranking = app.get(&format!("/rollup/{root}/assessment?year=2025"), Some(&inspector.cookie)).await.body;
    assert!(ranking.contains(MZ) && !ranking.contains("从 CSV 导入审核得分"));
    let ti = app.token("xcb-ducha").await;
    assert_eq!(step(&app, &ti, mz, 2026, adjust).await.0, StatusCode::FORBIDDEN);
    assert_eq!(step(&app, &ti, mz, 2025, review).await.0, StatusCode::FORBIDDEN);
    let res = app
        .upload(
            &format!("/rollup/{root}/assessment/import"),
            &inspector,
            &[("year", "2025")],
            ("file", "r.csv", "单位,事项编号,审核得分,审核意见\n县残联党组,first-topic,1,\n".as_bytes()),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The superior sees every unit of its subtree.
    let superior = app.token(REVIEWER).await;
    let res =
        app.api(Method::GET, &format!("/api/v1/units/{root}/assessment-ranking/2025"), Some(&superior), None).await;
    assert_eq!(res.json()["ranking"].as_array().unwrap().len(), 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn the_assessment_routes_are_in_the_openapi_document() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/units/{id}/assessments/{year}",
        "/units/{id}/assessments/{year}/steps",
        "/units/{id}/assessment-ranking/{year}",
    ] {
        assert!(spec["paths"][path].is_object(), "openapi lacks {path}");
    }
    for schema in ["Assessment", "AssessmentStep", "AssessmentRanking"] {
        assert!(spec["components"]["schemas"][schema].is_object(), "openapi lacks {schema}");
    }
}

#[tokio::test]
async fn after_the_deadline_a_unit_submits_only_while_the_superior_has_reopened_it() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let (unit, superior) = (app.token("mz-shuji").await, app.token(REVIEWER).await);
    // 2024's deadline (15 January 2025) is long past and nobody reopened it.
    let (status, body) = step(&app, &unit, mz, 2024, json!({ "action": "submit", "revision": 0 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("须由上级重新开放后方可提交"), "{body}");
    let card = scorecard(&app, &unit, mz, 2024).await;
    assert_eq!(card["state"], "draft", "nothing was written");

    // The unit cannot reopen its own; the superior can, with a date and a reason.
    let reopen = json!({ "action": "reopen", "until": "2026-11-30", "reason": "补报2024年度自评", "revision": 0 });
    let (status, _) = step(&app, &unit, mz, 2024, reopen.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = step(
        &app,
        &superior,
        mz,
        2024,
        json!({ "action": "reopen", "until": "2026-11-01", "reason": "x", "revision": 0 }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("重新开放的期限应在今天"), "{body}");
    let (status, body) = step(&app, &superior, mz, 2024, reopen).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = step(&app, &unit, mz, 2024, json!({ "action": "submit", "revision": 1 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM assessment_reopenings").await, 2, "the demo's and this one");
    assert!(app.store.verify().await.unwrap().is_ok(), "reopenings are in the audit chain");

    // The page offers the superior the form only when it is needed.
    let cl = app.unit_id(CL).await;
    let b = app.browser(REVIEWER).await;
    let page = app.get(&format!("/units/{cl}/assessment?year=2025"), Some(&b.cookie)).await.body;
    assert!(!page.contains("重新开放提交"), "the demo's returned 2025 assessment is reopened until 7 December");
    assert!(page.contains("上级意见"), "{page}");
}
