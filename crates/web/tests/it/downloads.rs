//! Document downloads through the real router: the report, the ledgers and
//! the bundle of a unit, with the dashboard's access rule, the right
//! Content-Type and a Chinese file name (RFC 5987).

use crate::common::*;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Download {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

async fn download(app: &App, path: &str, cookie: Option<&str>) -> Download {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Download { status, headers, bytes }
}

fn header_of(d: &Download, name: header::HeaderName) -> String {
    d.headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// RFC 5987 percent-encoding of a UTF-8 file name.
fn encoded(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Until the routes are in `lib.rs`, say so and skip.
async fn wired(app: &App, unit: i64, cookie: &str) -> bool {
    let probe = download(app, &format!("/units/{unit}/bundle.zip?period=2026H1"), Some(cookie)).await;
    assert!(
        !(probe.status == StatusCode::NOT_FOUND && String::from_utf8_lossy(&probe.bytes).contains("页面不存在")),
        "the download routes are not wired into the router"
    );
    true
}

#[tokio::test]
async fn a_unit_downloads_its_report_ledgers_and_bundle() {
    let app = App::demo().await;
    let mz = app.unit_id("县民政局党组").await;
    let b = app.browser("mz-keyuan").await;
    if !wired(&app, mz, &b.cookie).await {
        return;
    }
    let cases = [
        (
            format!("/units/{mz}/report.docx?period=2026H1&kind=self-inspection"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "县民政局党组2026年上半年自查报告.docx",
        ),
        (
            format!("/units/{mz}/report.docx?period=2026"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "县民政局党组2026年报告.docx",
        ),
        (
            format!("/units/{mz}/ledger.xlsx?period=2026H1"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "县民政局党组2026年上半年台账.xlsx",
        ),
        (
            format!("/units/{mz}/ledger.xlsx?period=2026H1&kind=study"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "县民政局党组2026年上半年中心组学习台账.xlsx",
        ),
        (format!("/units/{mz}/bundle.zip?period=2026H1"), "application/zip", "县民政局党组2026年上半年检查材料.zip"),
    ];
    for (path, content_type, name) in cases {
        let d = download(&app, &path, Some(&b.cookie)).await;
        assert_eq!(d.status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&d.bytes));
        assert_eq!(header_of(&d, header::CONTENT_TYPE), content_type, "{path}");
        let disposition = header_of(&d, header::CONTENT_DISPOSITION);
        assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
        assert!(disposition.ends_with(&format!("filename*=UTF-8''{}", encoded(name))), "{path}: {disposition}");
        assert!(d.bytes.starts_with(b"PK\x03\x04"), "{path} is a zip package");
        assert!(header_of(&d, header::CACHE_CONTROL).contains("no-store"));
    }
    // The bundle lists its files and the audit head in manifest.json,
    // which is stored first.
    let zip = download(&app, &format!("/units/{mz}/bundle.zip?period=2026H1"), Some(&b.cookie)).await.bytes;
    assert_eq!(&zip[30..30 + "manifest.json".len()], b"manifest.json");

    // The dashboard's year picker form (?year=) works too.
    let d = download(&app, &format!("/units/{mz}/ledger.xlsx?year=2026"), Some(&b.cookie)).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(header_of(&d, header::CONTENT_DISPOSITION).ends_with(&encoded("县民政局党组2026年台账.xlsx")));
}

#[tokio::test]
async fn downloads_follow_the_dashboard_access_rule() {
    let app = App::demo().await;
    let mz = app.unit_id("县民政局党组").await;
    let sl = app.unit_id("县水利局党委").await;
    let mz_user = app.browser("mz-shuji").await;
    if !wired(&app, mz, &mz_user.cookie).await {
        return;
    }
    let paths = |unit: i64| {
        [
            format!("/units/{unit}/report.docx?period=2026H1"),
            format!("/units/{unit}/ledger.xlsx?period=2026H1"),
            format!("/units/{unit}/bundle.zip?period=2026H1"),
        ]
    };
    // Not logged in: to the login page, and no document.
    for path in paths(mz) {
        let d = download(&app, &path, None).await;
        assert!(d.status.is_redirection(), "{path}: {}", d.status);
        assert_eq!(header_of(&d, header::LOCATION), "/login");
    }
    // Another unit's documents are refused.
    for path in paths(sl) {
        let d = download(&app, &path, Some(&mz_user.cookie)).await;
        assert_eq!(d.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!d.bytes.starts_with(b"PK"));
    }
    // The superior's inspector reads every unit below it; a branch id
    // gives its Party group's documents.
    let inspector = app.browser("xcb-ducha").await;
    for path in paths(sl) {
        assert_eq!(download(&app, &path, Some(&inspector.cookie)).await.status, StatusCode::OK, "{path}");
    }
    let branch = app.unit_id("县民政局机关第一党支部").await;
    let d = download(&app, &format!("/units/{branch}/report.docx?period=2026H1"), Some(&mz_user.cookie)).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(header_of(&d, header::CONTENT_DISPOSITION).ends_with(&encoded("县民政局党组2026年上半年报告.docx")));

    // Bad input is a 400 with a Chinese message.
    for (path, message) in [
        (format!("/units/{mz}/report.docx?period=2026H3"), "无法识别的期间"),
        (format!("/units/{mz}/report.docx?period=2026H1&kind=memo"), "报告类型“memo”无法识别"),
        (format!("/units/{mz}/ledger.xlsx?period=2026H1&kind=nonsense"), "台账类别“nonsense”无法识别"),
    ] {
        let d = download(&app, &path, Some(&mz_user.cookie)).await;
        assert_eq!(d.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(String::from_utf8_lossy(&d.bytes).contains(message), "{path}");
    }
    let d = download(&app, "/units/99999/bundle.zip?period=2026H1", Some(&mz_user.cookie)).await;
    assert!(matches!(d.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", d.status);
}
