//! Calendar feeds: the caller's deadlines as iCalendar, read back with a
//! parser of another crate; the secret subscription address made, used
//! without a session, regenerated and revoked.

use crate::common::*;
use axum::http::{header, Method, StatusCode};
use std::collections::HashSet;

struct Event {
    uid: String,
    summary: String,
    url: String,
    start: String,
}

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
}

fn events(ics: &str) -> Vec<Event> {
    let calendar = ical::IcalParser::new(ics.as_bytes()).next().expect("one calendar").expect("it parses");
    calendar
        .events
        .iter()
        .map(|e| {
            let get = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
                    .map(|v| unescape(&v))
                    .unwrap_or_else(|| panic!("an event without {name}"))
            };
            Event { uid: get("UID"), summary: get("SUMMARY"), url: get("URL"), start: get("DTSTART") }
        })
        .collect()
}

#[tokio::test]
async fn my_calendar_holds_my_overdue_items_with_links_and_unique_uids() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let todo = app.api(Method::GET, "/api/v1/me/todo", Some(&token), None).await.json();
    let overdue: Vec<(String, String)> = todo
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["overdue"] == true && !i["due"].is_null())
        .map(|i| (i["title"].as_str().unwrap().to_string(), i["url"].as_str().unwrap().to_string()))
        .collect();
    assert!(!overdue.is_empty(), "the demo's secretary has overdue items: {todo}");

    let headers = app.send_raw(
        axum::http::Request::get("/api/v1/me/calendar.ics")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::HOST, "tz.example.org:8080")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(headers.await[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
    let reply = app.api(Method::GET, "/api/v1/me/calendar.ics", Some(&token), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let events = events(&reply.body);
    for (title, url) in &overdue {
        let event = events
            .iter()
            .find(|e| e.summary.contains(title.as_str()) && e.url.ends_with(url.as_str()))
            .unwrap_or_else(|| panic!("overdue item {title} ({url}) is not in the calendar"));
        assert!(event.summary.starts_with("【已逾期】"), "{}", event.summary);
        assert!(event.url.starts_with("http://"), "absolute: {}", event.url);
        assert_eq!(event.start.len(), 8, "an all-day date: {}", event.start);
    }
    let uids: HashSet<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids.len(), events.len(), "every event has its own UID");

    // The same items give the same UIDs on the next fetch, so calendars replace rather than duplicate.
    let again = events_of(&app.api(Method::GET, "/api/v1/me/calendar.ics", Some(&token), None).await.body);
    assert_eq!(again, uids.iter().map(|u| u.to_string()).collect::<HashSet<_>>());

    // Without a session: none.
    let anonymous = app.api(Method::GET, "/api/v1/me/calendar.ics", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

fn events_of(ics: &str) -> HashSet<String> {
    events(ics).into_iter().map(|e| e.uid).collect()
}

/// The feed address on the account page after generating it.
fn feed_path(html: &str) -> String {
    let at = html.find("/calendar/").expect("the page shows the address");
    let rest = &html[at..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_secret_feed_works_without_a_session_until_regenerated_or_revoked() {
    let app = App::demo_with(|s| taizhang_web::AppState { base_url: Some("https://tz.example.org".into()), ..s }).await;
    let b = app.browser("mz-shuji").await;
    let page = app.get("/account", Some(&b.cookie)).await;
    assert!(page.body.contains("尚未启用订阅地址"), "{}", page.body);

    let made = app.post_form("/account/calendar", Some(&b.cookie), &[("csrf", &b.csrf)]).await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.body.contains("https://tz.example.org/calendar/"), "the address is absolute");
    let first = feed_path(&made.body);
    let feed = app.get(&first, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    let mine = app.api(Method::GET, "/api/v1/me/calendar.ics", Some(&app.token("mz-shuji").await), None).await;
    assert_eq!(events_of(&feed.body), events_of(&mine.body), "the feed is the person's own calendar");
    assert!(events(&feed.body).iter().all(|e| e.url.starts_with("https://tz.example.org/")));
    // The page no longer shows it, only that it exists.
    let page = app.get("/account", Some(&b.cookie)).await;
    assert!(page.body.contains("订阅地址已启用") && !page.body.contains(&first));

    // A wrong secret, another person's id, or a malformed token: not found, alike.
    let id = first.trim_start_matches("/calendar/").split('-').next().unwrap().to_string();
    for wrong in
        [format!("/calendar/{id}-{}", "0".repeat(64)), format!("/calendar/1-{}", "0".repeat(64)), "/calendar/x".into()]
    {
        assert_eq!(app.get(&wrong, None).await.status, StatusCode::NOT_FOUND, "{wrong}");
    }

    // Regenerated: the old address stops working, the new one works.
    let remade = app.post_form("/account/calendar", Some(&b.cookie), &[("csrf", &b.csrf)]).await;
    let second = feed_path(&remade.body);
    assert_ne!(first, second);
    assert_eq!(app.get(&first, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&second, None).await.status, StatusCode::OK);

    // Revoked: gone.
    let revoked = app.post_form("/account/calendar/revoke", Some(&b.cookie), &[("csrf", &b.csrf)]).await;
    assert_eq!(revoked.location.as_deref(), Some("/account?revoked=1"));
    assert_eq!(app.get(&second, None).await.status, StatusCode::NOT_FOUND);
    // Without the CSRF token nothing changes.
    let forged = app.post_form("/account/calendar", Some(&b.cookie), &[("csrf", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn guessing_feed_secrets_is_cut_off() {
    let app = App::demo().await;
    let wrong = format!("/calendar/5-{}", "1".repeat(64));
    for _ in 0..10 {
        assert_eq!(app.get(&wrong, None).await.status, StatusCode::NOT_FOUND);
    }
    let refused = app.get(&wrong, None).await;
    assert_ne!(refused.status, StatusCode::OK);
    assert!(refused.body.contains("失败次数过多"), "{}", refused.body);
}

#[tokio::test]
async fn the_calendar_route_is_in_the_openapi_document() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    assert!(spec["paths"]["/me/calendar.ics"]["get"].is_object(), "openapi lacks /me/calendar.ics");
}
