//! Evidence files through the real router: the API (upload, list,
//! download, void), types told from content, the size limit (413),
//! isolation between units, the files on a record's page, and the duty
//! rule turning 缺少佐证 into 已完成 once the missing 签到表 is uploaded.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::Value;

const MZ: &str = "县民政局党组";
const SHUILI: &str = "县水利局党委";

/// A multipart body with `kind` and files under `file`, authorised by
/// a bearer token (`None`) or a browser (its CSRF token, sent first).
pub(crate) fn multipart(csrf: Option<&str>, kind: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    form_multipart(csrf, &[("kind", kind)], files)
}

/// A multipart body: the CSRF token, then `fields`, then files under `file`.
pub(crate) fn form_multipart(
    csrf: Option<&str>,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "evidenceboundary";
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        )
    };
    if let Some(c) = csrf {
        text("csrf", c);
    }
    for (name, value) in fields {
        text(name, value);
    }
    for (name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn api_upload(app: &App, token: &str, record: i64, kind: &str, name: &str, bytes: &[u8]) -> Reply {
    let (content_type, body) = multipart(None, kind, &[(name, bytes)]);
    let req = Request::post(format!("/api/v1/records/{record}/attachments"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn page_upload(app: &App, b: &Browser, record: i64, kind: &str, files: &[(&str, &[u8])]) -> Reply {
    let (content_type, body) = multipart(Some(&b.csrf), kind, files);
    let req = Request::post(format!("/records/{record}/attachments"))
        .header(header::COOKIE, &b.cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

pub(crate) fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

/// A PNG of 300×200 pixels, as a phone camera would send (much smaller).
pub(crate) fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 200, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A zip with these members, as DOCX, XLSX and OFD files are.
pub(crate) fn zip_with(members: &[&str]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for m in members {
        zip.start_file(*m, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, b"<x/>").unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

async fn first_record(app: &App, unit: &str, kind: &str) -> i64 {
    let id = app.unit_id(unit).await;
    app.count(&format!("SELECT MIN(id) FROM records WHERE unit_id = {id} AND kind = '{kind}' AND deleted = 0")).await
}

#[tokio::test]
async fn the_api_stores_lists_and_serves_files_as_downloads() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let record = first_record(&app, MZ, "study").await;
    let bytes = pdf("签到表");
    let res = api_upload(&app, &token, record, "sign_in_sheet", "C:\\扫描\\签到表.PDF", &bytes).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let file = res.json();
    assert_eq!(file["name"], "签到表.pdf");
    assert_eq!(file["type"], "pdf");
    assert_eq!(file["size"], bytes.len());
    assert_eq!(file["sha256"].as_str().unwrap().len(), 64);
    let id = file["id"].as_i64().unwrap();

    let list = app.api(Method::GET, &format!("/api/v1/records/{record}/attachments"), Some(&token), None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.json().as_array().unwrap().iter().any(|f| f["id"] == id && f["kind"] == "sign_in_sheet"));

    let req = Request::get(format!("/api/v1/attachments/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let headers = app.send_raw(req).await;
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("sandbox"));
    let got = app.api(Method::GET, &format!("/api/v1/attachments/{id}"), Some(&token), None).await;
    assert_eq!(got.body.as_bytes(), bytes.as_slice());

    // Voiding needs a reason and keeps the file listed as voided.
    let void = |reason: &str| serde_json::json!({ "reason": reason });
    let path = format!("/api/v1/attachments/{id}/void");
    assert_eq!(
        app.api(Method::POST, &path, Some(&token), Some(void(""))).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let voided = app.api(Method::POST, &path, Some(&token), Some(void("上传错了"))).await;
    assert_eq!(voided.status, StatusCode::OK, "{}", voided.body);
    assert_eq!(voided.json()["void"]["reason"], "上传错了");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn types_come_from_the_content_never_the_name() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let record = first_record(&app, MZ, "study").await;
    let refused: &[(&str, Vec<u8>)] = &[
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00program".to_vec()),
        ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>".to_vec()),
        ("page.html", b"<html><body>hi</body></html>".to_vec()),
        ("archive.docx", zip_with(&["readme.txt"])),
        ("empty.pdf", Vec::new()),
    ];
    for (name, bytes) in refused {
        let res = api_upload(&app, &token, record, "other", name, bytes).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{name}: {}", res.body);
        assert!(res.json()["error"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    }
    let accepted: &[(&str, Vec<u8>, &str)] = &[
        ("a.docx", zip_with(&["[Content_Types].xml", "word/document.xml"]), "docx"),
        ("b.xlsx", zip_with(&["[Content_Types].xml", "xl/workbook.xml"]), "xlsx"),
        ("c.zip", zip_with(&["OFD.xml", "Doc_0/Document.xml"]), "ofd"),
        ("photo.bin", png(), "png"),
        ("scan", b"\xFF\xD8\xFF\xE0\x00\x10JFIF".to_vec(), "jpeg"),
    ];
    for (name, bytes, want) in accepted {
        let res = api_upload(&app, &token, record, "photo", name, bytes).await;
        assert_eq!(res.status, StatusCode::CREATED, "{name}: {}", res.body);
        assert_eq!(res.json()["type"], *want);
        assert!(res.json()["name"]
            .as_str()
            .unwrap()
            .ends_with(&format!(".{}", if *want == "jpeg" { "jpg" } else { want })));
    }
    let n = app.count(&format!("SELECT COUNT(*) FROM attachments WHERE owner_id = {record}")).await;
    assert!(n >= accepted.len() as i64, "nothing refused was stored");
    let refused_names = app
        .count("SELECT COUNT(*) FROM attachments WHERE name IN ('setup.pdf', 'page.pdf', 'page.html', 'empty.pdf')")
        .await;
    assert_eq!(refused_names, 0);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_413() {
    let app = App::demo_with(|mut state| {
        state.app.attachment_limits.max_bytes = 64 * 1024;
        state
    })
    .await;
    let token = app.token("mz-shuji").await;
    let record = first_record(&app, MZ, "study").await;
    let mut big = pdf("大文件");
    big.resize(64 * 1024 + 1, b' ');
    let before = app.count("SELECT COUNT(*) FROM attachments").await;
    let res = api_upload(&app, &token, record, "other", "big.pdf", &big).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("超过"));
    let b = app.browser("mz-shuji").await;
    let res = page_upload(&app, &b, record, "other", &[("big.pdf", &big)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.body.contains("文件未上传"), "the record page says why");
    big.truncate(64 * 1024);
    assert_eq!(api_upload(&app, &token, record, "other", "ok.pdf", &big).await.status, StatusCode::CREATED);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, before + 1);

    // A quota per unit counts what the unit holds already.
    let app = App::demo_with(|mut state| {
        state.app.attachment_limits.unit_quota = Some(1);
        state
    })
    .await;
    let token = app.token("mz-shuji").await;
    let res = api_upload(&app, &token, first_record(&app, MZ, "study").await, "other", "a.pdf", &pdf("x")).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("限额"));

    // Two files that fit one by one but not together: neither is kept.
    let unit = app.unit_id(MZ).await;
    let used = app.store.unit_attachment_bytes(unit).await.unwrap();
    let app = App::demo_with(|mut state| {
        state.app.attachment_limits.unit_quota = Some(used + 1000);
        state
    })
    .await;
    let record = first_record(&app, MZ, "study").await;
    let b = app.browser("mz-shuji").await;
    let (mut one, mut two) = (pdf("一"), pdf("二"));
    one.resize(600, b' ');
    two.resize(600, b' ');
    let before = app.count("SELECT COUNT(*) FROM attachments").await;
    let res = page_upload(&app, &b, record, "other", &[("一.pdf", &one), ("二.pdf", &two)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, before, "all or nothing");
    let res = page_upload(&app, &b, record, "other", &[("二.pdf", &two)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn another_unit_reaches_no_attachment_route() {
    let app = App::demo().await;
    let record = first_record(&app, MZ, "study").await;
    let mz_unit = app.unit_id(MZ).await;
    let file = app.count(&format!("SELECT MIN(id) FROM attachments WHERE unit_id = {mz_unit}")).await;
    let outsider = app.token("sl-shuji").await;
    let refused = |s: StatusCode| s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND;
    let res = api_upload(&app, &outsider, record, "other", "x.pdf", &pdf("x")).await;
    assert!(refused(res.status), "upload: {}", res.status);
    for path in [format!("/api/v1/records/{record}/attachments"), format!("/api/v1/attachments/{file}")] {
        let res = app.api(Method::GET, &path, Some(&outsider), None).await;
        assert!(refused(res.status), "{path}: {}", res.status);
        assert!(!res.body.contains("%PDF"), "{path} leaked the file");
    }
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/attachments/{file}/void"),
            Some(&outsider),
            Some(serde_json::json!({"reason": "x"})),
        )
        .await;
    assert!(refused(res.status), "void: {}", res.status);
    let b = app.browser("sl-shuji").await;
    for path in [format!("/attachments/{file}"), format!("/attachments/{file}/thumbnail.png")] {
        assert!(refused(app.get(&path, Some(&b.cookie)).await.status), "{path}");
    }
    let res = page_upload(&app, &b, record, "other", &[("x.pdf", &pdf("x"))]).await;
    assert!(refused(res.status), "page upload: {}", res.status);
    // The superior's inspector may read, not add.
    let inspector = app.token("xcb-ducha").await;
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/attachments/{file}"), Some(&inspector), None).await.status,
        StatusCode::OK
    );
    let res = api_upload(&app, &inspector, record, "other", "x.pdf", &pdf("x")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Unauthenticated: nothing.
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/attachments/{file}"), None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn duty(app_json: &Value, item: &str) -> Value {
    app_json["duties"].as_array().unwrap().iter().find(|d| d["item_id"] == item).cloned().unwrap()
}

#[tokio::test]
async fn uploading_the_missing_sign_in_sheet_completes_the_duty() {
    let app = App::demo().await;
    let unit = app.unit_id(SHUILI).await;
    let token = app.token("sl-shuji").await;
    let path = format!("/api/v1/units/{unit}/duties?year=2026");
    let before = duty(&app.api(Method::GET, &path, Some(&token), None).await.json(), "study-sessions");
    assert_eq!(before["status"], "missing_evidence", "{before}");
    assert!(before["reason"].as_str().unwrap().contains("缺少签到表（9月22日）"), "{before}");
    let record = app
        .count(&format!(
            "SELECT id FROM records WHERE unit_id = {unit} AND kind = 'study' AND occurred_on = '2026-09-22'"
        ))
        .await;

    // From the record's page, as a browser: two files at once.
    let b = app.browser("sl-shuji").await;
    let page = app.get(&format!("/records/{record}"), Some(&b.cookie)).await;
    assert!(page.body.contains("佐证材料") && page.body.contains("enctype=\"multipart/form-data\""));
    // No `capture`: it would send phones straight to the camera, and a
    // scanned PDF could not be chosen; `accept` with image types offers both.
    assert!(page.body.contains("image/jpeg") && page.body.contains(" multiple") && !page.body.contains("capture="));
    let sheet = pdf("签到表 9月22日");
    let photo = png();
    let res = page_upload(&app, &b, record, "sign_in_sheet", &[("签到表.pdf", &sheet), ("现场.png", &photo)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = app.get(res.location.as_deref().unwrap(), Some(&b.cookie)).await;
    assert!(shown.body.contains("已上传2个文件"), "{}", shown.body);
    assert!(shown.body.contains("签到表.pdf") && shown.body.contains("现场.png"));
    assert!(shown.body.contains("thumbnail.png"), "images get a thumbnail");

    let after = duty(&app.api(Method::GET, &path, Some(&token), None).await.json(), "study-sessions");
    assert_eq!(after["status"], "met", "{after}");

    // The thumbnail is a small PNG made once, then served from the cache.
    let file = app.count(&format!("SELECT MAX(id) FROM attachments WHERE owner_id = {record}")).await;
    let req = Request::get(format!("/attachments/{file}/thumbnail.png"))
        .header(header::COOKIE, &b.cookie)
        .body(Body::empty())
        .unwrap();
    let headers = app.send_raw(req).await;
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(app.count("SELECT COUNT(*) FROM thumbnails").await, 1);
    let thumb = app.get(&format!("/attachments/{file}/thumbnail.png"), Some(&b.cookie)).await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM thumbnails").await, 1);
}

#[tokio::test]
async fn the_attachment_routes_are_in_the_openapi_document() {
    let app = App::demo().await;
    let spec = app.get("/api/v1/openapi.json", None).await.json();
    for path in ["/records/{id}/attachments", "/attachments/{id}", "/attachments/{id}/void"] {
        assert!(spec["paths"][path].is_object(), "openapi lacks {path}");
    }
    assert!(spec["paths"]["/records/{id}/attachments"]["post"]["responses"]["413"].is_object());
    assert!(spec["components"]["schemas"]["Attachment"].is_object());
}
