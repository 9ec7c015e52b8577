//! Calendar feeds (日历订阅): the caller's deadlines as iCalendar, for
//! Outlook and phone calendars. The events are 我的待办 ([`crate::todo`])
//! that carry a date: duties the caller must act on (half-year reports,
//! events awaiting 审核报备 among them), rectification deadlines and
//! feedback time limits. Each event has a UID that stays the same while
//! the item is open, so a calendar replaces it on refresh, and the item's
//! absolute URL.
//!
//! A person may also have a secret feed address that works without a
//! session: `{person id}-{64 hex}`. Only the SHA-256 of the secret part is
//! kept; a presented token is compared with the stored hash in constant
//! time, and failures are counted per person like failed logins.

use crate::todo::TodoItem;
use crate::view::View;
use crate::{App, Caller, Error, Result};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The content type calendar clients expect.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";
/// Failed feed requests allowed per person within the window.
const MAX_FAILURES: i64 = 10;
const FAILURE_WINDOW_MINUTES: i64 = 15;

/// The caller's calendar; `base_url` (e.g. `https://taizhang.example.org`)
/// makes the items' links absolute.
pub async fn for_caller(app: &App, view: &View, caller: &Caller, base_url: &str) -> Result<String> {
    let items = crate::todo::for_caller(app, view, caller).await?;
    Ok(write(&caller.person.name, &items, base_url, Utc::now()))
}

/// The iCalendar text of `items` that have a due date: one all-day event each.
pub fn write(name: &str, items: &[TodoItem], base_url: &str, now: DateTime<Utc>) -> String {
    let base = base_url.trim_end_matches('/');
    let mut calendar = Calendar::new();
    calendar.name(&format!("台账·{name}的待办"));
    calendar.description("意识形态工作责任制台账：需要您办理的事项及其期限");
    calendar.ttl(&chrono::Duration::hours(1));
    for item in items {
        let Some(due) = item.due else { continue };
        let state = if item.overdue { "【已逾期】" } else { "" };
        let url = format!("{base}{}", item.url);
        calendar.push(
            Event::new()
                .uid(&format!("{}@taizhang", item.key))
                .timestamp(now)
                .all_day(due)
                .summary(&format!("{state}{}：{}", item.module, item.title))
                .description(&format!("{}\n{url}", item.detail))
                .url(&url)
                .done(),
        );
    }
    calendar.done().to_string()
}

fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Makes (or replaces) the caller's secret feed token and returns it: the
/// only time it is shown. An earlier address stops working.
pub async fn create_feed(app: &App, caller: &Caller) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    app.store.set_calendar_feed(caller.person.id, &secret_hash(&secret)).await?;
    Ok(format!("{}-{secret}", caller.person.id))
}

/// Ends the caller's feed: its address stops working.
pub async fn revoke_feed(app: &App, caller: &Caller) -> Result<()> {
    Ok(app.store.delete_calendar_feed(caller.person.id).await?)
}

/// When the caller's feed was made, if there is one.
pub async fn feed_created(app: &App, caller: &Caller) -> Result<Option<DateTime<Utc>>> {
    Ok(app.store.calendar_feed(caller.person.id).await?.map(|(_, at)| at))
}

/// The person a feed token belongs to. Every failure is the same
/// `NotFound`, whether the person, the feed or the secret was wrong.
pub async fn caller_for_feed(app: &App, token: &str) -> Result<Caller> {
    let not_found = || Error::NotFound("订阅地址无效或已停用".into());
    let (id, secret) = token.split_once('-').ok_or_else(not_found)?;
    let person_id: i64 = id.parse().map_err(|_| not_found())?;
    if secret.len() != 64 {
        return Err(not_found());
    }
    let counted = format!("calendar-feed:{person_id}");
    let since = Utc::now() - chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
    if app.store.login_failures_since(&counted, since).await? >= MAX_FAILURES {
        return Err(Error::Invalid(format!("该订阅地址失败次数过多，请{FAILURE_WINDOW_MINUTES}分钟后再试")));
    }
    let stored = app.store.calendar_feed(person_id).await?;
    let presented = secret_hash(secret);
    // The hash of the presented secret is compared in full whatever it
    // holds, so the time taken tells nothing about the stored one.
    let matches = stored.as_ref().is_some_and(|(hash, _)| constant_time_eq(hash.as_bytes(), presented.as_bytes()));
    let person = match (matches, app.store.person(person_id).await?) {
        (true, Some(person)) => person,
        _ => {
            app.store.record_login_failure(&counted).await?;
            return Err(not_found());
        }
    };
    let roles = app.store.roles_of(person_id).await?;
    Ok(Caller { person, roles })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn item(key: &str, due: Option<NaiveDate>, overdue: bool) -> TodoItem {
        TodoItem {
            module: "问题整改",
            unit_id: 1,
            title: "整改：网站栏目更新不及时".into(),
            detail: "整改期限2026年11月1日".into(),
            overdue,
            due,
            url: format!("/rectifications/{key}"),
            key: format!("rectification-{key}"),
        }
    }

    #[test]
    fn items_with_a_date_become_all_day_events_with_links() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 1);
        let text =
            write("张三", &[item("7", date, true), item("8", None, false)], "https://tz.example.org/", Utc::now());
        assert!(text.contains("BEGIN:VCALENDAR"), "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "the undated item is left out");
        assert!(text.contains("UID:rectification-7@taizhang"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261101"));
        assert!(text.contains("URL:https://tz.example.org/rectifications/7"));
        assert!(text.contains("【已逾期】问题整改"));
    }

    #[test]
    fn equal_and_unequal_hashes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
