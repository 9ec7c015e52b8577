//! Reminders through the real router and a real scan: each reminder once,
//! notifications for the people who must act, robot messages to a local
//! HTTP server and mail to a local SMTP server, settings checked and kept
//! to the unit, and one scan at a time across "servers".

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use taizhang_app::reminders::egress::Allowlist;
use taizhang_app::reminders::{run_once, scan};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const MZ: &str = "县民政局党组";

/// The application layer over the test app's store, on the demo's today,
/// its robots allowed on loopback (as `--webhook-allow 127.0.0.1`).
fn state(app: &App) -> taizhang_app::App {
    taizhang_app::App { today: Some(today()), webhook_allow: loopback(), ..taizhang_app::App::new(app.store.clone()) }
}

fn loopback() -> Allowlist {
    Allowlist::parse(&["127.0.0.1"]).unwrap()
}

/// The demo served with robots allowed on loopback.
async fn demo_allowing_loopback() -> App {
    App::demo_with(|mut state| {
        state.app.webhook_allow = loopback();
        state
    })
    .await
}

/// A group robot on loopback: records each request's query and body and
/// answers with `reply`.
async fn robot(reply: &'static str) -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    use axum::extract::{RawQuery, State};
    type Seen = Arc<Mutex<Vec<(String, Value)>>>;
    let seen: Seen = Arc::default();
    let app = axum::Router::new()
        .route(
            "/robot/send",
            axum::routing::post(move |State(seen): State<Seen>, RawQuery(q): RawQuery, body: String| async move {
                seen.lock().unwrap().push((q.unwrap_or_default(), serde_json::from_str(&body).unwrap()));
                reply
            }),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/robot/send?access_token=t", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

/// An SMTP server on loopback that accepts every message and keeps the
/// whole conversation.
async fn smtp_server() -> (u16, Arc<Mutex<String>>) {
    let seen: Arc<Mutex<String>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let log = log.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                    let answer: &[u8] = if in_data {
                        if line != "." {
                            continue;
                        }
                        in_data = false;
                        b"250 queued\r\n"
                    } else if line.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if line.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, seen)
}

#[tokio::test]
async fn a_scan_reminds_each_open_duty_once_and_people_see_their_own() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let first = scan(&state(&app)).await.unwrap();
    assert!(first.groups >= 3, "{first:?}");
    assert!(first.new_reminders > 0, "the demo's seeded gaps call for reminders: {first:?}");
    let again = scan(&state(&app)).await.unwrap();
    assert_eq!(again.new_reminders, 0, "a rescan must not repeat a reminder");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reminders").await,
        first.new_reminders as i64,
        "every new reminder is recorded once"
    );

    // The secretary (第一责任人) is named on the unit's duties, so has notifications.
    let secretary = app.browser("mz-shuji").await;
    let page = app.get("/notifications", Some(&secretary.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("已逾期"), "overdue duties are reminded: {}", page.body);
    assert!(page.body.contains("id=\"nav-notifications\""), "the header links to them");
    let token = app.token("mz-shuji").await;
    let mine = app.api(Method::GET, "/api/v1/notifications", Some(&token), None).await.json();
    let mine = mine.as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|n| n["unit_id"] == mz), "the secretary of 民政局 hears only of 民政局");
    assert!(mine[0]["message"].as_str().unwrap().starts_with("【县民政局党组】"), "{}", mine[0]);

    // Marking read: one through the form, then all through the API.
    let first_id = mine[0]["id"].as_i64().unwrap().to_string();
    let res = app
        .post_form("/notifications/read", Some(&secretary.cookie), &[("csrf", &secretary.csrf), ("id", &first_id)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let unread = |list: &Value| list.as_array().unwrap().iter().filter(|n| n["read_at"].is_null()).count();
    let after = app.api(Method::GET, "/api/v1/notifications", Some(&token), None).await.json();
    assert_eq!(unread(&after), mine.len() - 1);
    let res = app.post_form("/notifications/read", Some(&secretary.cookie), &[("csrf", "forged")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the form needs its CSRF token");
    let res = app.api(Method::POST, "/api/v1/notifications/read", Some(&token), Some(json!({}))).await;
    assert_eq!(res.json()["marked"], mine.len() - 1);

    // The feedback entry past its 48-hour limit is reminded to its 责任人
    // (a 较大 entry: the secretary is not told), once.
    let leader = app.token("mz-fuju").await;
    let theirs = app.api(Method::GET, "/api/v1/notifications", Some(&leader), None).await.json();
    let feedback: Vec<&Value> = theirs
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["message"].as_str().unwrap().contains("网民发帖反映低保审批办理时间过长"))
        .collect();
    assert_eq!(feedback.len(), 1, "{theirs}");
    assert!(feedback[0]["message"].as_str().unwrap().contains("超过48小时未回应"), "{}", feedback[0]);
    assert!(!mine.iter().any(|n| n["message"].as_str().unwrap().contains("低保审批")), "not for the secretary");
    assert_eq!(app.count("SELECT COUNT(*) FROM reminders WHERE item_id = 'feedback'").await, 1);

    // 县残联党组's 2025 self-assessment was sent back and its deadline has
    // passed: its secretary is reminded, once.
    let canlian = app.token("cl-shuji").await;
    let theirs = app.api(Method::GET, "/api/v1/notifications", Some(&canlian), None).await.json();
    let returned: Vec<&Value> = theirs
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["message"].as_str().unwrap().contains("2025年度意识形态工作责任制考核自评已被上级退回"))
        .collect();
    assert_eq!(returned.len(), 1, "{theirs}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reminders WHERE item_id = 'assessment'").await, 1);

    // Another unit's secretary gets nothing of 民政局's.
    let other = app.token("sl-shuji").await;
    let theirs = app.api(Method::GET, "/api/v1/notifications", Some(&other), None).await.json();
    assert!(theirs.as_array().unwrap().iter().all(|n| n["unit_id"] != mz));
}

/// How many notifications of reminders about `item` went to the person named `name`.
async fn told(app: &App, name: &str, item: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications n JOIN reminders r ON r.id = n.reminder_id \
         JOIN people p ON p.id = n.person_id WHERE p.name = '{name}' AND r.item_id = '{item}'"
    ))
    .await
}

#[tokio::test]
async fn reminders_reach_the_officer_the_owner_and_the_reviewer_and_repeat_weekly_while_overdue() {
    let app = App::demo().await;
    scan(&state(&app)).await.unwrap();
    // 养老服务股 fell short of its news quota: its information officer and
    // the leader in charge of it are told, not only the office's leader.
    assert!(told(&app, "黄立新", "news-quota").await >= 1, "the department's information officer");
    assert!(told(&app, "孙卫东", "news-quota").await >= 1, "the leader in charge of 养老服务股");
    // The overdue rectification: its 责任人 and the secretary.
    assert!(told(&app, "李红梅", "rectification").await >= 1, "the problem's 责任人");
    assert!(told(&app, "王建国", "rectification").await >= 1, "the secretary (第一责任人)");
    // The draft held at 复审二校 tells its 复审 reviewer, with a link that opens.
    assert_eq!(told(&app, "李红梅", "draft").await, 1);
    assert_eq!(told(&app, "王建国", "draft").await, 0, "the 终审 reviewer is told when it is their turn");
    let token = app.token("mz-fuju").await;
    let mine = app.api(Method::GET, "/api/v1/notifications", Some(&token), None).await.json();
    let draft = mine.as_array().unwrap().iter().find(|n| n["item_id"] == "draft").expect("a draft notification");
    assert!(draft["message"].as_str().unwrap().contains("等待复审二校"), "{draft}");
    let url = draft["url"].as_str().unwrap();
    assert!(url.starts_with("/drafts/"), "{url}");
    let fuju = app.browser("mz-fuju").await;
    assert_eq!(app.get(url, Some(&fuju.cookie)).await.status, StatusCode::OK);

    // Still overdue a week later: reminded again, once per week.
    let rectification = "SELECT COUNT(*) FROM reminders WHERE item_id = 'rectification' AND kind LIKE 'overdue%'";
    assert_eq!(app.count(rectification).await, 1);
    let later = |days| taizhang_app::App { today: Some(today() + chrono::Days::new(days)), ..state(&app) };
    let week = scan(&later(7)).await.unwrap();
    assert!(week.new_reminders > 0, "{week:?}");
    assert_eq!(app.count(rectification).await, 2, "the rectification still overdue is reminded again");
    assert_eq!(scan(&later(7)).await.unwrap().new_reminders, 0, "a rescan the same day repeats nothing");
    // Each item keeps its own weekly rhythm, counted from its due date.
    scan(&later(8)).await.unwrap();
    assert_eq!(app.count(rectification).await, 2, "not again until a week after the last");
    let again = app.api(Method::GET, "/api/v1/notifications", Some(&token), None).await.json();
    assert!(
        again.as_array().unwrap().iter().any(|n| n["message"].as_str().unwrap().contains("（仍未办结）")),
        "{again}"
    );
}

#[tokio::test]
async fn new_reminders_go_to_the_units_robot_once_and_failures_are_retried() {
    let app = demo_allowing_loopback().await;
    let mz = app.unit_id(MZ).await;
    let (url, seen) = robot(r#"{"errcode":0,"errmsg":"ok"}"#).await;
    let token = app.token("mz-shuji").await;
    let put = json!({ "webhook_kind": "dingtalk", "webhook_url": url, "webhook_secret": "SECtest" });
    let res = app.api(Method::PUT, &format!("/api/v1/units/{mz}/reminder-settings"), Some(&token), Some(put)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["webhook_secret_set"], true);
    assert!(res.json().get("webhook_secret").is_none(), "secrets are never returned");

    let report = scan(&state(&app)).await.unwrap();
    assert_eq!(report.sent, 1, "one digest for 民政局, none for units without a robot: {report:?}");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let (query, body) = &seen[0];
        assert!(query.contains("access_token=t&timestamp=") && query.contains("&sign="), "signed: {query}");
        assert_eq!(body["msgtype"], "text");
        let text = body["text"]["content"].as_str().unwrap();
        assert!(text.starts_with("【台账提醒】县民政局党组"), "{text}");
    }
    assert_eq!(scan(&state(&app)).await.unwrap().sent, 0);
    assert_eq!(seen.lock().unwrap().len(), 1, "a rescan sends nothing again");

    // A robot that refuses: the attempt and its reason are kept, and the
    // next scan tries again.
    let (bad_url, bad_seen) = robot(r#"{"errcode":310000,"errmsg":"sign not match"}"#).await;
    let put = json!({ "webhook_url": bad_url });
    app.api(Method::PUT, &format!("/api/v1/units/{mz}/reminder-settings"), Some(&token), Some(put)).await;
    let b = app.browser("mz-shuji").await;
    let res = app
        .post_form(
            &format!("/units/{mz}/reminders/test"),
            Some(&b.cookie),
            &[("csrf", &b.csrf), ("channel", "webhook")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = app.get(res.location.as_deref().unwrap(), Some(&b.cookie)).await;
    assert!(page.body.contains("测试消息发送失败") && page.body.contains("310000"), "{}", page.body);
    assert!(!page.body.contains("sign not match"), "the robot's answer is never shown: {}", page.body);
    assert_eq!(bad_seen.lock().unwrap().len(), 1);
    scan(&state(&app)).await.unwrap();
    assert_eq!(bad_seen.lock().unwrap().len(), 2, "the failed message is retried on the next scan");
    assert_eq!(app.count("SELECT attempts FROM outbox ORDER BY id DESC LIMIT 1").await, 2);
}

#[tokio::test]
async fn mail_goes_through_the_units_smtp_server() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let (port, seen) = smtp_server().await;
    let b = app.browser("mz-shuji").await;
    let port = port.to_string();
    let form = [
        ("csrf", b.csrf.as_str()),
        ("before_days", "5"),
        ("webhook_kind", "none"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", port.as_str()),
        ("smtp_security", "none"),
        ("smtp_from", "taizhang@mz.gov.local"),
        ("smtp_to", "bgs@mz.gov.local, shuji@mz.gov.local"),
    ];
    let res = app.post_form(&format!("/units/{mz}/reminders"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("提醒设置已保存"));
    let report = scan(&state(&app)).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let log = seen.lock().unwrap().clone();
    assert!(log.contains("MAIL FROM:<taizhang@mz.gov.local>"), "{log}");
    assert!(log.contains("RCPT TO:<bgs@mz.gov.local>") && log.contains("RCPT TO:<shuji@mz.gov.local>"), "{log}");
    assert!(log.contains("Subject:"), "{log}");
}

#[tokio::test]
async fn settings_are_checked_and_kept_to_those_in_charge() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let path = format!("/api/v1/units/{mz}/reminder-settings");
    let put = json!({ "before_days": 5 });
    for (who, status) in [
        ("sl-shuji", StatusCode::FORBIDDEN),
        ("mz-keyuan", StatusCode::FORBIDDEN),
        ("xcb-ducha", StatusCode::FORBIDDEN),
    ] {
        let token = app.token(who).await;
        let res = app.api(Method::PUT, &path, Some(&token), Some(put.clone())).await;
        assert_eq!(res.status, status, "{who} may not change 民政局's settings");
    }
    let inspector = app.token("xcb-ducha").await;
    assert_eq!(
        app.api(Method::GET, &path, Some(&inspector), None).await.status,
        StatusCode::OK,
        "the superior may look"
    );
    let sibling = app.token("sl-shuji").await;
    assert_eq!(app.api(Method::GET, &path, Some(&sibling), None).await.status, StatusCode::FORBIDDEN);
    let list = format!("/api/v1/units/{mz}/reminders");
    assert_eq!(app.api(Method::GET, &list, Some(&sibling), None).await.status, StatusCode::FORBIDDEN);
    let page = app.browser("sl-shuji").await;
    assert_eq!(app.get(&format!("/units/{mz}/reminders"), Some(&page.cookie)).await.status, StatusCode::FORBIDDEN);

    let secretary = app.token("mz-shuji").await;
    let bad = json!({ "webhook_kind": "wecom", "webhook_url": "qyapi.weixin.qq.com/cgi-bin/webhook/send", "before_days": 40 });
    let res = app.api(Method::PUT, &path, Some(&secretary), Some(bad)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let error = res.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("0至30天") && error.contains("http://"), "every problem is named: {error}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reminder_settings").await, 0, "nothing written");

    // A refused form shows what was typed.
    let b = app.browser("mz-shuji").await;
    let form = [
        ("csrf", b.csrf.as_str()),
        ("before_days", "3"),
        ("webhook_kind", "wecom"),
        ("webhook_url", "ftp://内网/机器人"),
        ("smtp_security", "none"),
    ];
    let res = app.post_form(&format!("/units/{mz}/reminders"), Some(&b.cookie), &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("ftp://内网/机器人") && res.body.contains("应以 http:// 或 https:// 开头"),
        "{}",
        res.body
    );
    let res = app.post_form(&format!("/units/{mz}/reminders"), Some(&b.cookie), &[("csrf", "forged")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_one_server_runs_a_scan_at_a_time() {
    let app = App::demo().await;
    // Two app servers over one database: both try at once, one runs.
    let (a, b) = (state(&app), state(&app));
    let (ra, rb) = tokio::join!(run_once(&a, Duration::ZERO), run_once(&b, Duration::ZERO));
    let ran = [ra.unwrap(), rb.unwrap()].iter().filter(|r| r.is_some()).count();
    assert_eq!(ran, 1, "exactly one of two simultaneous scans runs");
    // Within the interval nobody runs it again.
    assert!(run_once(&a, Duration::from_secs(600)).await.unwrap().is_none());
    let job = app.store.job_state("reminders").await.unwrap().unwrap();
    assert_eq!((job.runs, job.last_error.as_str()), (1, ""));
}

/// A robot on the server itself or inside the intranet is refused unless
/// the administrator allows it: on saving (an address written as an IP)
/// and on sending; a redirect is not followed and no answer is shown.
#[tokio::test]
async fn robots_on_internal_addresses_are_refused_and_redirects_not_followed() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let path = format!("/api/v1/units/{mz}/reminder-settings");
    let secretary = app.token("mz-shuji").await;
    for url in
        ["http://127.0.0.1:9/send", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://10.0.0.8/x"]
    {
        let put = json!({ "webhook_kind": "wecom", "webhook_url": url });
        let res = app.api(Method::PUT, &path, Some(&secretary), Some(put)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{url}");
        assert!(res.json()["error"].as_str().unwrap().contains("--webhook-allow"), "{}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM reminder_settings").await, 0, "nothing written");

    // A robot that answers with a redirect inward: reported by its status,
    // the target never asked, the answer's text never shown.
    let (target, target_seen) = robot(r#"{"errcode":0,"errmsg":"ok"}"#).await;
    let redirect = axum::Router::new().route(
        "/send",
        axum::routing::post(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(axum::http::header::LOCATION, target)], "internal secret page") }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, redirect).await.unwrap() });
    let allowed = demo_allowing_loopback().await;
    let (token, b) = (allowed.token("mz-shuji").await, allowed.browser("mz-shuji").await);
    let put = json!({ "webhook_kind": "wecom", "webhook_url": url });
    let res = allowed.api(Method::PUT, &path, Some(&token), Some(put)).await;
    assert_eq!(res.status, StatusCode::OK, "allowed by the administrator: {}", res.body);
    let res = allowed
        .post_form(
            &format!("/units/{mz}/reminders/test"),
            Some(&b.cookie),
            &[("csrf", &b.csrf), ("channel", "webhook")],
        )
        .await;
    let page = allowed.get(res.location.as_deref().unwrap(), Some(&b.cookie)).await;
    assert!(page.body.contains("HTTP 302") && page.body.contains("不跟随跳转"), "{}", page.body);
    assert!(!page.body.contains("internal secret"), "{}", page.body);
    assert!(target_seen.lock().unwrap().is_empty(), "the redirect was not followed");
}
