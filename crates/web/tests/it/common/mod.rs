//! A real router over a real SQLite file seeded with the demo data, driven
//! through tower's `oneshot`, as a browser or API client would.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::Value;
use taizhang_store::Store;
use taizhang_web::{router, AppState};
use tower::ServiceExt;

pub struct App {
    pub router: Router,
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub body: String,
    /// The body as sent (a download).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A logged-in browser: its session cookie and CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

impl App {
    /// The directory holding the test's database file.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn demo() -> App {
        App::demo_with(|state| state).await
    }

    /// The demo with the server's settings changed by `settings`.
    pub async fn demo_with(settings: impl FnOnce(AppState) -> AppState) -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
        taizhang_demo::seed(&store).await.unwrap();
        let state = AppState::new(taizhang_app::App { today: Some(today()), ..taizhang_app::App::new(store.clone()) });
        App { router: router(settings(state)), store, _dir: dir }
    }

    /// A server of its own (router, caches, connections) over the
    /// database at `url`, which already holds the demo: one of several app
    /// servers sharing a PostgreSQL database.
    pub async fn server_on(url: &str) -> App {
        let store = Store::open(url).await.unwrap();
        let state = AppState::new(taizhang_app::App { today: Some(today()), ..taizhang_app::App::new(store.clone()) });
        App { router: router(state), store, _dir: tempfile::tempdir().unwrap() }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let cookies =
            res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, location, cookies, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    /// The headers of a GET's answer.
    pub async fn get_with_headers(&self, path: &str, cookie: Option<&str>) -> axum::http::HeaderMap {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send_raw(req.body(Body::empty()).unwrap()).await
    }

    /// The headers of a request's answer.
    pub async fn send_raw(&self, req: Request<Body>) -> axum::http::HeaderMap {
        self.router.clone().oneshot(req).await.unwrap().headers().clone()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Follows a redirect as a browser would: the session cookie plus the
    /// cookies the redirect set (e.g. the one-time success message).
    pub async fn follow(&self, res: &Reply, session: &str) -> Reply {
        let mut cookie = session.to_string();
        for set in &res.cookies {
            if let Some(pair) = set.split(';').next() {
                cookie.push_str("; ");
                cookie.push_str(pair);
            }
        }
        self.get(res.location.as_deref().expect("a redirect"), Some(&cookie)).await
    }

    pub async fn post_form(&self, path: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
        let body = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// Posts a multipart form as a logged-in browser: text `fields` (the
    /// CSRF token is added) and one file `(field, file name, bytes)`.
    pub async fn upload(&self, path: &str, b: &Browser, fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> Reply {
        let boundary = "taizhangboundary";
        let mut body = Vec::new();
        for (name, value) in std::iter::once(&("csrf", b.csrf.as_str())).chain(fields) {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
            );
        }
        let (field, file_name, bytes) = file;
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::COOKIE, &b.cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Logs in through the login form, as a browser does.
    pub async fn browser(&self, username: &str) -> Browser {
        let form = self.get("/login", None).await;
        let login_cookie = cookie_pair(&form.cookies, "tz_login_csrf");
        let csrf = csrf_in(&form.body);
        let res = self
            .post_form(
                "/login",
                Some(&login_cookie),
                &[("username", username), ("password", taizhang_demo::DEMO_PASSWORD), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "login {username}: {}", res.body);
        let cookie = cookie_pair(&res.cookies, "tz_session");
        let home = self.get("/", Some(&cookie)).await;
        let page = self.get(home.location.as_deref().unwrap_or("/"), Some(&cookie)).await;
        Browser { csrf: csrf_in(&page.body), cookie }
    }

    pub async fn token(&self, username: &str) -> String {
        let body = serde_json::json!({ "username": username, "password": taizhang_demo::DEMO_PASSWORD });
        let res = self.api(Method::POST, "/api/v1/session", None, Some(body)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.json()["token"].as_str().unwrap().to_string()
    }

    pub async fn unit_id(&self, name: &str) -> i64 {
        self.store
            .units()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
            .id
    }

    pub async fn count(&self, sql: &str) -> i64 {
        self.store.scalar_for_tests(sql).await
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn cookie_pair(set_cookies: &[String], name: &str) -> String {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {set_cookies:?}"))
        .to_string()
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no csrf field in page"));
    html[start..].split('"').next().unwrap().to_string()
}
