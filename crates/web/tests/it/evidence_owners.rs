//! Evidence files on the owners beside records: a review of a risk, a
//! rectification problem (its 销号 request), a step of a feedback entry
//! and a published draft. Each through the API and its page: upload,
//! list, download, void, types refused, 413, and isolation from another
//! unit; files chosen with a new record, a 销号 request or a feedback
//! step are kept in the same transaction; PDFs and images may be shown
//! inline, nothing else.

use crate::attachments::{form_multipart, multipart, pdf, png, zip_with};
use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

const MZ: &str = "县民政局党组";

/// One owner of the demo's 县民政局党组: its API path, its page's upload
/// path and the page that lists its files.
struct Owner {
    api: String,
    upload: String,
    page: String,
}

async fn owners(app: &App) -> Vec<Owner> {
    let mz = app.unit_id(MZ).await;
    let risk = app
        .count(&format!("SELECT MIN(r.id) FROM risks r JOIN risk_reviews v ON v.risk_id = r.id WHERE r.unit_id = {mz}"))
        .await;
    let review = app.count(&format!("SELECT MIN(id) FROM risk_reviews WHERE risk_id = {risk}")).await;
    let problem =
        app.count(&format!("SELECT MIN(id) FROM rectifications WHERE unit_id = {mz} AND closed_on IS NULL")).await;
    let entry = app.count(&format!("SELECT MIN(id) FROM feedback WHERE unit_id = {mz}")).await;
    let draft =
        app.count(&format!("SELECT MIN(id) FROM drafts WHERE unit_id = {mz} AND published_at IS NOT NULL")).await;
    vec![
        Owner {
            api: format!("/api/v1/risks/{risk}/reviews/{review}/attachments"),
            upload: format!("/risks/{risk}/reviews/{review}/attachments"),
            page: format!("/risks/{risk}"),
        },
        Owner {
            api: format!("/api/v1/rectifications/{problem}/attachments"),
            upload: format!("/rectifications/{problem}/attachments"),
            page: format!("/rectifications/{problem}"),
        },
        Owner {
            api: format!("/api/v1/feedback/{entry}/steps/1/attachments"),
            upload: format!("/feedback/{entry}/steps/1/attachments"),
            page: format!("/feedback/{entry}"),
        },
        Owner {
            api: format!("/api/v1/drafts/{draft}/attachments"),
            upload: format!("/drafts/{draft}/attachments"),
            page: format!("/drafts/{draft}"),
        },
    ]
}

async fn api_upload(app: &App, token: &str, path: &str, name: &str, bytes: &[u8]) -> Reply {
    let (content_type, body) = multipart(None, "photo", &[(name, bytes)]);
    let req = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn page_post(app: &App, b: &Browser, path: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Reply {
    let (content_type, body) = form_multipart(Some(&b.csrf), fields, files);
    let req = Request::post(path)
        .header(header::COOKIE, &b.cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn every_owner_takes_lists_serves_and_voids_files() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let b = app.browser("mz-shuji").await;
    for owner in owners(&app).await {
        let bytes = pdf(&owner.api);
        let res = api_upload(&app, &token, &owner.api, "证明.pdf", &bytes).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}: {}", owner.api, res.body);
        let file = res.json();
        let id = file["id"].as_i64().unwrap();
        assert_eq!(file["kind"], "photo");
        let list = app.api(Method::GET, &owner.api, Some(&token), None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", owner.api);
        assert!(list.json().as_array().unwrap().iter().any(|f| f["id"] == id), "{}: {}", owner.api, list.body);
        let got = app.api(Method::GET, &format!("/api/v1/attachments/{id}"), Some(&token), None).await;
        assert_eq!(got.bytes, bytes, "{}", owner.api);

        // The page lists it and takes more, two at once.
        let page = app.get(&owner.page, Some(&b.cookie)).await;
        assert!(page.body.contains("证明.pdf") && page.body.contains(&format!("action=\"{}\"", owner.upload)));
        let res =
            page_post(&app, &b, &owner.upload, &[("kind", "photo")], &[("一.pdf", &pdf("一")), ("二.png", &png())])
                .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}: {}", owner.upload, res.body);
        let shown = app.follow(&res, &b.cookie).await;
        assert!(shown.body.contains("文件已上传") && shown.body.contains("二.png"), "{}", owner.page);

        // Voided from its page: listed as voided, back on the owner's page.
        let res = app
            .post_form(
                &format!("/attachments/{id}/void"),
                Some(&b.cookie),
                &[("csrf", &b.csrf), ("reason", "重复上传")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(res.location.as_deref().unwrap().starts_with(&owner.page), "{:?}", res.location);
        let listed = app.api(Method::GET, &owner.api, Some(&token), None).await.json();
        let voided = listed.as_array().unwrap().iter().find(|f| f["id"] == id).cloned().unwrap();
        assert_eq!(voided["void"]["reason"], "重复上传");
    }
    assert!(app.store.verify().await.unwrap().is_ok(), "the chain covers the files and their steps");
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_step_files").await, 3, "one step row per feedback file");
}

#[tokio::test]
async fn every_owner_refuses_unknown_types_and_files_over_the_limit() {
    let app = App::demo_with(|mut state| {
        state.app.attachment_limits.max_bytes = 32 * 1024;
        state
    })
    .await;
    let token = app.token("mz-shuji").await;
    let b = app.browser("mz-shuji").await;
    let mut big = pdf("大");
    big.resize(32 * 1024 + 1, b' ');
    let before = app.count("SELECT COUNT(*) FROM attachments").await;
    for owner in owners(&app).await {
        let res = api_upload(&app, &token, &owner.api, "page.pdf", b"<html><script>x</script>").await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}: {}", owner.api, res.body);
        let res = api_upload(&app, &token, &owner.api, "a.docx", &zip_with(&["readme.txt"])).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}: {}", owner.api, res.body);
        let res = api_upload(&app, &token, &owner.api, "big.pdf", &big).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {}", owner.api, res.body);
        let res = page_post(&app, &b, &owner.upload, &[("kind", "other")], &[("big.pdf", &big)]).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", owner.upload);
        assert!(res.body.contains("文件未上传") && res.body.contains("超过"), "{}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, before, "nothing refused was kept");
}

#[tokio::test]
async fn another_unit_reaches_no_route_of_any_owners_files() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let outsider = app.token("sl-shuji").await;
    let b = app.browser("sl-shuji").await;
    let refused = |s: StatusCode| s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND;
    for owner in owners(&app).await {
        let id = api_upload(&app, &token, &owner.api, "内部.pdf", &pdf("内部")).await.json()["id"].as_i64().unwrap();
        let res = api_upload(&app, &outsider, &owner.api, "x.pdf", &pdf("x")).await;
        assert!(refused(res.status), "{} upload: {}", owner.api, res.status);
        let res = app.api(Method::GET, &owner.api, Some(&outsider), None).await;
        assert!(refused(res.status) && !res.body.contains("内部.pdf"), "{} list: {}", owner.api, res.status);
        for path in [format!("/api/v1/attachments/{id}"), format!("/attachments/{id}?inline=1")] {
            let res = app.api(Method::GET, &path, Some(&outsider), None).await;
            assert!(refused(res.status) && !res.body.contains("%PDF"), "{path}: {}", res.status);
        }
        let res = page_post(&app, &b, &owner.upload, &[("kind", "other")], &[("x.pdf", &pdf("x"))]).await;
        assert!(refused(res.status), "{} page upload: {}", owner.upload, res.status);
        let res = app
            .post_form(&format!("/attachments/{id}/void"), Some(&b.cookie), &[("csrf", &b.csrf), ("reason", "x")])
            .await;
        assert!(refused(res.status), "void: {}", res.status);
        assert!(refused(app.get(&owner.page, Some(&b.cookie)).await.status), "{}", owner.page);
    }
    // The superior's inspector reads a problem's proof, adds none.
    let inspector = app.token("xcb-ducha").await;
    let owner = &owners(&app).await[1];
    assert_eq!(app.api(Method::GET, &owner.api, Some(&inspector), None).await.status, StatusCode::OK);
    assert_eq!(api_upload(&app, &inspector, &owner.api, "x.pdf", &pdf("x")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_closed_problem_an_unpublished_draft_and_a_missing_step_take_no_files() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let mz = app.unit_id(MZ).await;
    let closed =
        app.count(&format!("SELECT MIN(id) FROM rectifications WHERE unit_id = {mz} AND closed_on IS NOT NULL")).await;
    let res =
        api_upload(&app, &token, &format!("/api/v1/rectifications/{closed}/attachments"), "a.pdf", &pdf("a")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("已销号"));
    let held = app.count(&format!("SELECT MIN(id) FROM drafts WHERE unit_id = {mz} AND published_at IS NULL")).await;
    let res = api_upload(&app, &token, &format!("/api/v1/drafts/{held}/attachments"), "a.pdf", &pdf("a")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("发布后"));
    let entry = app.count(&format!("SELECT MIN(id) FROM feedback WHERE unit_id = {mz}")).await;
    let res =
        api_upload(&app, &token, &format!("/api/v1/feedback/{entry}/steps/99/attachments"), "a.pdf", &pdf("a")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}

#[tokio::test]
async fn a_new_record_takes_its_files_in_its_own_transaction() {
    let app = App::demo().await;
    let b = app.browser("mz-shuji").await;
    let mz = app.unit_id(MZ).await;
    let form = app.get(&format!("/units/{mz}/records/new?kind=analysis"), Some(&b.cookie)).await;
    assert!(form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("name=\"file_kind\""));
    let mz_text = mz.to_string();
    let fields = [
        ("kind", "analysis"),
        ("unit_id", mz_text.as_str()),
        ("occurred_on", "2026-11-02"),
        ("topic", "学习党的二十届四中全会精神"),
        ("host", "张书记"),
        ("attendees", "张三、李四"),
        ("file_kind", "courseware"),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, *v)).collect();
    let records = app.count("SELECT COUNT(*) FROM records").await;
    let files = app.count("SELECT COUNT(*) FROM attachments").await;

    // A refused file: nothing saved, the form again as typed.
    let res =
        page_post(&app, &b, &format!("/units/{mz}/records"), &fields, &[("课件.pdf", b"MZ\x90\x00program")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("不支持该文件类型") && res.body.contains("学习党的二十届四中全会精神"));
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, records, "no record without its files");

    let res = page_post(
        &app,
        &b,
        &format!("/units/{mz}/records"),
        &fields,
        &[("课件.pdf", &pdf("课件")), ("合影.png", &png())],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let record: i64 = res.location.as_deref().unwrap().trim_start_matches("/records/").parse().unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM records").await, records + 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, files + 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM attachments WHERE owner = 'record' AND owner_id = {record} AND kind = 'courseware'"
        ))
        .await,
        2
    );
    let page = app.get(&format!("/records/{record}"), Some(&b.cookie)).await;
    assert!(page.body.contains("课件.pdf") && page.body.contains("合影.png"));

    // Without files (or without multipart) the form works as before.
    let plain: Vec<(&str, &str)> = fields.iter().filter(|(k, _)| *k != "file_kind").copied().collect();
    let mut pairs = vec![("csrf", b.csrf.as_str())];
    pairs.extend(plain);
    let res = app.post_form(&format!("/units/{mz}/records"), Some(&b.cookie), &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn a_rectification_request_and_a_feedback_step_carry_their_files() {
    let app = App::demo().await;
    let b = app.browser("mz-shuji").await;
    let mz = app.unit_id(MZ).await;
    let problem = app
        .count(&format!(
            "SELECT MIN(id) FROM rectifications WHERE unit_id = {mz} AND closed_on IS NULL AND rectified_on IS NULL"
        ))
        .await;
    let page = app.get(&format!("/rectifications/{problem}"), Some(&b.cookie)).await;
    let revision = page.body.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let fields = [
        ("revision", revision.as_str()),
        ("on", "2026-11-20"),
        ("evidence", "已整改，见附件"),
        ("file_kind", "report_file"),
    ];
    let res =
        page_post(&app, &b, &format!("/rectifications/{problem}/report"), &fields, &[("整改报告.pdf", &pdf("整改"))])
            .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM attachments WHERE owner = 'rectification' AND owner_id = {problem}"))
            .await,
        1
    );
    assert!(
        app.count(&format!("SELECT COUNT(*) FROM rectifications WHERE id = {problem} AND rectified_on IS NOT NULL"))
            .await
            == 1
    );

    let entry = app.count(&format!("SELECT MAX(id) FROM feedback WHERE unit_id = {mz} AND status <> 'closed'")).await;
    let page = app.get(&format!("/feedback/{entry}"), Some(&b.cookie)).await;
    let first_option = |select: &str| {
        let rest = page.body.split(select).nth(1)?;
        Some(rest.split("value=\"").nth(1)?.split('"').next()?.to_string())
    };
    let Some(kind) = first_option("<select id=\"kind\" name=\"kind\"") else {
        panic!("the entry {entry} takes a next step: {}", page.body)
    };
    let form = first_option("<select id=\"form\" name=\"form\"").unwrap_or_default();
    let steps_before = app.count("SELECT COUNT(*) FROM feedback_step_files").await;
    let fields = [
        ("kind", kind.as_str()),
        ("at", "2026-11-22T10:00"),
        ("to", "县委宣传部"),
        ("form", form.as_str()),
        ("note", "现场核实"),
        ("file_kind", "photo"),
    ];
    let res = page_post(&app, &b, &format!("/feedback/{entry}/steps"), &fields, &[("现场.png", &png())]).await;
    let flash = res.body.split("flash error").nth(1).map(|s| s.chars().take(300).collect::<String>());
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{flash:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_step_files").await, steps_before + 1);
    let page = app.get(&format!("/feedback/{entry}"), Some(&b.cookie)).await;
    assert!(page.body.contains("现场.png") && page.body.contains("步："), "the file names its step");
}

#[tokio::test]
async fn only_pdfs_and_images_are_shown_inline_and_under_a_strict_policy() {
    let app = App::demo().await;
    let token = app.token("mz-shuji").await;
    let owner = &owners(&app).await[0];
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let (app, token, path) = (&app, &token, &owner.api);
        async move { api_upload(app, token, path, name, &bytes).await.json()["id"].as_i64().unwrap() }
    };
    let image = upload("照片.png", png()).await;
    let word = upload("说明.docx", zip_with(&["[Content_Types].xml", "word/document.xml"])).await;
    let headers = |id: i64, inline: bool| {
        let path = format!("/api/v1/attachments/{id}{}", if inline { "?inline=1" } else { "" });
        let req =
            Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
        app.send_raw(req)
    };
    let shown = headers(image, true).await;
    assert!(shown[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline;"));
    assert_eq!(shown[header::CONTENT_TYPE], "image/png");
    assert_eq!(shown[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let csp = shown[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'") && !csp.contains("script"), "{csp}");
    assert!(headers(image, false).await[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));
    let asked = headers(word, true).await;
    assert!(asked[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"), "a DOCX is always saved");
    assert!(asked[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("sandbox"));
}

#[tokio::test]
async fn the_upload_script_is_the_servers_own_file_and_the_forms_work_without_it() {
    let app = App::demo().await;
    let b = app.browser("mz-shuji").await;
    let record = app.count(&format!("SELECT MIN(id) FROM records WHERE unit_id = {}", app.unit_id(MZ).await)).await;
    let page = app.get(&format!("/records/{record}"), Some(&b.cookie)).await;
    assert!(page.body.contains("<script src=\"/assets/upload.js\" defer></script>"), "{}", page.body);
    assert_eq!(page.body.matches("<script").count(), page.body.matches("<script src=\"/assets/upload.js\"").count());
    // The plain form is complete: a multipart post with the token and the files.
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("name=\"csrf\""));
    let script = app.get("/assets/upload.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("XMLHttpRequest") && script.body.len() < 4096, "small");
    let headers = app.get_with_headers("/assets/upload.js", None).await;
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
}
