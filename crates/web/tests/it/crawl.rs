//! Follows every link on every page each demo account reaches from its
//! landing page, and fails on any answer that is not a success: no link in
//! the product may lead to a 4xx or 5xx. Pages of one shape (the same path
//! with other ids, queries included) are visited a few times each, which
//! keeps the walk bounded while still reaching every kind of page.

use crate::common::*;
use axum::http::StatusCode;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// How many pages of one shape are visited per account.
const PER_SHAPE: usize = 3;

/// A path with its numbers replaced, e.g. `/records/{n}?period={n}`.
fn shape(url: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in url.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push_str("{n}");
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The same-site links of a page (`href="/…"`), entities decoded.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.replace("&amp;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .filter(|href| !href.is_empty())
        .collect()
}

#[tokio::test]
async fn no_link_of_any_demo_account_leads_to_an_error() {
    let app = App::demo().await;
    let mut failures = Vec::new();
    let mut visited_total = 0;
    for account in taizhang_demo::accounts() {
        let b = app.browser(account.username).await;
        let mut seen = BTreeSet::new();
        let mut per_shape: HashMap<String, usize> = HashMap::new();
        let mut queue = VecDeque::from([("/".to_string(), "登录后".to_string())]);
        while let Some((url, from)) = queue.pop_front() {
            if !seen.insert(url.clone()) {
                continue;
            }
            let count = per_shape.entry(shape(&url)).or_default();
            if *count >= PER_SHAPE {
                continue;
            }
            *count += 1;
            let reply = app.get(&url, Some(&b.cookie)).await;
            visited_total += 1;
            if let Some(next) = reply.location.as_deref().filter(|_| reply.status.is_redirection()) {
                if next == "/login" {
                    failures.push(format!("{}: {url} (from {from}) sends to the login page", account.username));
                } else {
                    queue.push_back((next.to_string(), url.clone()));
                }
                continue;
            }
            if reply.status != StatusCode::OK {
                failures.push(format!("{}: {url} (from {from}) answers {}", account.username, reply.status));
                continue;
            }
            for link in links(&reply.body) {
                if link != "/logout" {
                    queue.push_back((link, url.clone()));
                }
            }
        }
    }
    assert!(visited_total > 200, "the walk reaches the product: {visited_total} pages");
    assert!(failures.is_empty(), "{} broken links:\n{}", failures.len(), failures.join("\n"));
}
