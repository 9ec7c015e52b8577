//! 三审三校 through the real router: the rules enforced on the server for
//! API and form posts alike, the channel's reviewers, the .docx upload, the
//! 记录清单 export, and the isolation rule on every new route.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";
const WECHAT: &str = "县民政局微信公众号";

async fn wechat(app: &App) -> i64 {
    app.store.org().await.unwrap().channels.iter().find(|c| c.name == WECHAT).unwrap().id
}

async fn step(app: &App, token: &str, draft: i64, body: Value) -> (StatusCode, Value) {
    let res = app.api(Method::POST, &format!("/api/v1/drafts/{draft}/steps"), Some(token), Some(body)).await;
    (res.status, res.json())
}

async fn new_draft(app: &App, token: &str, body: &str) -> Value {
    let mz = app.unit_id(MZ).await;
    let input = json!({ "channel_id": wechat(app).await, "title": "专题学习简讯", "body": body });
    let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/drafts"), Some(token), Some(input)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()
}

#[tokio::test]
async fn the_review_rules_hold_on_the_server() {
    let app = App::demo().await;
    let (author, office, leader, secretary) = (
        app.token("mz-keyuan").await,
        app.token("mz-bgs").await,
        app.token("mz-fuju").await,
        app.token("mz-shuji").await,
    );
    let draft = new_draft(&app, &author, "会议围绕意思形态工作责任制开展研讨。").await;
    let id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "first");
    let typo = &draft["findings"]["body"][0];
    assert_eq!((typo["original"].as_str(), typo["suggestions"][0].as_str()), (Some("意思形态"), Some("意识形态")));

    let approve = |stage: &str, version: i64| json!({ "action": "approve", "stage": stage, "version": version, "opinion": "同意" });
    // Someone not listed for the stage.
    let (status, body) = step(&app, &author, id, approve("first", 1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("不是本阵地“初审一校”的审核人"), "{body}");
    // Out of order.
    let (status, body) = step(&app, &secretary, id, approve("final", 1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("应先完成“初审一校”"), "{body}");
    // The proofreader's error is fixed or left with a reason, one by one.
    let (status, body) = step(&app, &leader, id, approve("first", 1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("自动校对还有1处错误（如“意思形态”）"), "{body}");
    let start = typo["start"].as_u64().unwrap();
    let mut acknowledged = approve("first", 1);
    acknowledged["acknowledged"] = json!([{ "part": "body", "start": start, "reason": "引用文件原文" }]);
    // Two stages by one person.
    let (status, signed) = step(&app, &leader, id, acknowledged).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let reason = &signed["history"][0]["acknowledged"][0];
    assert_eq!((reason["original"].as_str(), reason["reason"].as_str()), (Some("意思形态"), Some("引用文件原文")));
    let (status, body) = step(&app, &leader, id, approve("second", 1)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("同一人不得担任两个审校环节"), "{body}");

    // Edit after approval: the author's edit clears the sign-off and says so.
    let edit = json!({ "action": "edit", "version": 1, "title": "专题学习简讯", "body": "会议围绕意识形态工作责任制开展研讨。" });
    let (status, edited) = step(&app, &author, id, edit).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!((edited["version"].as_i64(), edited["cleared"].clone()), (Some(2), json!(["first"])));
    assert_eq!(edited["findings"]["body"], json!([]), "the typo is gone");
    // A signature on the version the reviewer read before the edit is refused.
    assert_eq!(step(&app, &office, id, approve("first", 1)).await.0, StatusCode::CONFLICT);
    let publish = json!({ "action": "publish", "version": 2, "url": "https://mp.weixin.qq.com/s/demo" });
    let (status, body) = step(&app, &author, id, publish.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("先审后发"), "{body}");
    let rejected = json!({ "action": "reject", "stage": "first", "version": 2, "opinion": "  " });
    assert!(step(&app, &office, id, rejected).await.1["error"].as_str().unwrap().contains("退回稿件须写明意见"));

    let audit = app.count("SELECT COUNT(*) FROM audit").await;
    let drafts = app.count("SELECT COUNT(*) FROM drafts").await;
    assert!(step(&app, &leader, id, approve("second", 2)).await.0.is_client_error());
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit, "a refused step writes nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, drafts);
}

#[tokio::test]
async fn a_draft_goes_through_three_stages_by_form_and_is_published() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let author = app.browser("mz-keyuan").await;
    let channel = wechat(&app).await.to_string();
    // A .docx upload supplies the body.
    let docx = taizhang_docs::sample::report(0).to_docx().unwrap();
    let res = upload(&app, mz, &author, &channel, "上半年工作情况", &docx).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.location.unwrap();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let page = app.get(&path, Some(&author.cookie)).await;
    assert!(page.body.contains("局党组书记履行第一责任人职责") && page.body.contains("待初审一校"), "{}", page.body);

    for (user, stage) in [("mz-bgs", "first"), ("mz-fuju", "second"), ("mz-shuji", "final")] {
        let b = app.browser(user).await;
        let before = app.get(&path, Some(&b.cookie)).await;
        assert!(before.body.contains("name=\"decision\" value=\"approve\""), "{user} is offered the form");
        let form = [
            ("csrf", b.csrf.as_str()),
            ("version", "1"),
            ("stage", stage),
            ("decision", "approve"),
            ("opinion", "同意"),
        ];
        let res = app.post_form(&format!("/drafts/{id}/sign"), Some(&b.cookie), &form).await;
        assert_eq!(res.location.as_deref(), Some(path.as_str()), "{user}: {}", res.body);
    }
    let script = [("csrf", author.csrf.as_str()), ("version", "1"), ("url", "javascript:alert(1)")];
    let res = app.post_form(&format!("/drafts/{id}/publish"), Some(&author.cookie), &script).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "only web addresses are links");
    assert!(res.body.contains("发布链接须以 http:// 或 https:// 开头"));
    let publish = [("csrf", author.csrf.as_str()), ("version", "1"), ("url", "https://mp.weixin.qq.com/s/abc")];
    let res = app.post_form(&format!("/drafts/{id}/publish"), Some(&author.cookie), &publish).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(&path, Some(&author.cookie)).await.body;
    assert!(page.contains("已发布") && page.contains("https://mp.weixin.qq.com/s/abc"));
    // The publication is the channel's update, dated the server's today.
    let updates = app
        .count(&format!("SELECT COUNT(*) FROM records WHERE kind = 'channel_update' AND occurred_on = '{}'", today()))
        .await;
    assert_eq!(updates, 1);

    // A refused form step shows the draft again with the reason.
    let again = [("csrf", author.csrf.as_str()), ("version", "1"), ("title", "改"), ("body", "改")];
    let res = app.post_form(&format!("/drafts/{id}/edit"), Some(&author.cookie), &again).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("该稿件已发布，不能再修改或签署"));

    let xlsx = app.get(&format!("/units/{mz}/drafts.xlsx?period=2026"), Some(&author.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"), "an .xlsx is a zip");
}

async fn upload(app: &App, unit: i64, b: &Browser, channel: &str, title: &str, docx: &[u8]) -> Reply {
    let fields = [("channel_id", channel), ("title", title), ("body", "")];
    app.upload(&format!("/units/{unit}/drafts"), b, &fields, ("docx", "a.docx", docx)).await
}

#[tokio::test]
async fn reviewers_are_named_by_leaders_from_their_own_unit() {
    let app = App::demo().await;
    let channel = wechat(&app).await;
    let org = app.store.org().await.unwrap();
    let person = |name: &str| org.people.iter().find(|p| p.name == name).unwrap().id;
    let path = format!("/api/v1/channels/{channel}/reviewers");
    let current = app.api(Method::GET, &path, Some(&app.token("mz-keyuan").await), None).await.json();
    assert_eq!(current["last"], json!([person("王建国")]));

    let mine = json!({ "first": [person("陈静")], "second": [person("李红梅")], "last": [person("王建国")] });
    let staff = app.api(Method::PUT, &path, Some(&app.token("mz-keyuan").await), Some(mine.clone())).await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN, "an author does not choose the reviewers");
    let secretary = app.token("mz-shuji").await;
    let outsider = json!({ "first": [person("刘志强")], "second": [person("李红梅")], "last": [person("王建国")] });
    let res = app.api(Method::PUT, &path, Some(&secretary), Some(outsider)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    // Refused without naming another unit's person.
    assert_eq!(res.json()["error"], "所选审核人不属于本单位");
    assert!(!res.body.contains("刘志强"), "{}", res.body);
    let res = app.api(Method::PUT, &path, Some(&secretary), Some(mine.clone())).await;
    assert_eq!((res.status, res.json()), (StatusCode::OK, mine));
}

/// Every new route, tried by a person of another unit and by the read-only inspector.
#[tokio::test]
async fn nobody_reaches_another_units_drafts() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let channel = wechat(&app).await;
    let draft = new_draft(&app, &app.token("mz-keyuan").await, "正文。").await["id"].as_i64().unwrap();
    let before = app.count("SELECT COUNT(*) FROM audit").await;

    let b = app.browser("sl-shuji").await;
    for path in [
        format!("/units/{mz}/drafts"),
        format!("/units/{mz}/drafts/new"),
        format!("/units/{mz}/drafts.xlsx?period=2026"),
        format!("/units/{mz}/channels"),
        format!("/drafts/{draft}"),
        format!("/drafts/{draft}/edit"),
    ] {
        let res = app.get(&path, Some(&b.cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(res.body.contains("无权"), "GET {path}");
    }
    let sign = [("csrf", b.csrf.as_str()), ("version", "1"), ("stage", "first"), ("decision", "approve")];
    for path in [format!("/drafts/{draft}/sign"), format!("/drafts/{draft}/edit"), format!("/drafts/{draft}/publish")] {
        assert_eq!(app.post_form(&path, Some(&b.cookie), &sign).await.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    let pairs = [("csrf", b.csrf.as_str()), ("first", "1"), ("second", "2"), ("last", "3")];
    let res = app.post_form(&format!("/channels/{channel}/reviewers"), Some(&b.cookie), &pairs).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    for user in ["sl-shuji", "xcb-ducha"] {
        let t = app.token(user).await;
        let t = Some(t.as_str());
        let res = app
            .api(
                Method::POST,
                &format!("/api/v1/drafts/{draft}/steps"),
                t,
                Some(json!({ "action": "approve", "stage": "first" })),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} signs");
        let input = json!({ "channel_id": channel, "title": "越权", "body": "越权" });
        let res = app.api(Method::POST, &format!("/api/v1/units/{mz}/drafts"), t, Some(input)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user} creates");
    }
    let t = app.token("sl-shuji").await;
    for path in [
        format!("/api/v1/units/{mz}/drafts"),
        format!("/api/v1/drafts/{draft}"),
        format!("/api/v1/channels/{channel}/reviewers"),
    ] {
        assert_eq!(app.api(Method::GET, &path, Some(&t), None).await.status, StatusCode::FORBIDDEN, "API GET {path}");
    }
    // The inspector reads but is offered no step.
    let inspector = app.browser("xcb-ducha").await;
    let page = app.get(&format!("/drafts/{draft}"), Some(&inspector.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("name=\"decision\"") && !page.body.contains("修改稿件"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, before, "nothing was written");
}

#[tokio::test]
async fn the_demo_has_a_published_draft_and_one_held_with_a_typo() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let b = app.browser("mz-keyuan").await;
    let list = app.get(&format!("/units/{mz}/drafts?period=2026"), Some(&b.cookie)).await.body;
    assert!(list.contains("已发布") && list.contains("待复审二校"), "{list}");
    let held = app.count("SELECT id FROM drafts WHERE status = 'second'").await;
    let page = app.get(&format!("/drafts/{held}"), Some(&b.cookie)).await.body;
    assert!(page.contains("class=\"f-error\"") && page.contains("意识形态"), "the typo is marked with its fix");
    let channels = app.get(&format!("/units/{mz}/channels"), Some(&b.cookie)).await.body;
    assert!(channels.contains(WECHAT) && channels.contains("天未更新"), "{channels}");
}

/// `docx` with a stored (uncompressed) picture of `pad` bytes added, as a
/// Word file with photos is.
fn with_picture(docx: &[u8], pad: usize) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("word/media/image1.png", stored).unwrap();
    out.write_all(&vec![7u8; pad]).unwrap();
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_word_file_with_photos_up_to_the_stated_limit_is_accepted() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let author = app.browser("mz-keyuan").await;
    let channel = wechat(&app).await.to_string();
    let docx = taizhang_docs::sample::report(0).to_docx().unwrap();
    // Above axum's default 2MB body limit, below the form's 10MB.
    let res = upload(&app, mz, &author, &channel, "图文稿件", &with_picture(&docx, 3 * 1024 * 1024)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = upload(&app, mz, &author, &channel, "图文稿件", &with_picture(&docx, 10 * 1024 * 1024 + 1)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("上传的文件超过10MB"), "{}", res.body);
}

/// A .docx whose document.xml inflates to `xml_len` bytes of text: with a
/// length past the reader's cap, a zip bomb of a few dozen KB.
fn inflating_docx(xml_len: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("word/document.xml", deflated).unwrap();
    out.write_all(b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>").unwrap();
    let filler = vec![b'a'; 1 << 20];
    for _ in 0..xml_len.div_ceil(filler.len()) {
        out.write_all(&filler).unwrap();
    }
    out.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_zip_bomb_is_refused_with_a_message_and_nothing_is_saved() {
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let author = app.browser("mz-keyuan").await;
    let channel = wechat(&app).await.to_string();
    let bomb = inflating_docx(taizhang_proof::docx::MAX_DOCUMENT_XML_BYTES as usize + 1);
    assert!(bomb.len() < 256 * 1024, "{}", bomb.len());
    let (from, to) = ("2000-01-01T00:00:00Z".parse().unwrap(), "2100-01-01T00:00:00Z".parse().unwrap());
    let before = app.store.drafts(&[mz], from, to).await.unwrap().len();
    let res = upload(&app, mz, &author, &channel, "炸弹", &bomb).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Word 文档无法读取") && res.body.contains("解压后超过24MB"), "{}", res.body);
    assert_eq!(app.store.drafts(&[mz], from, to).await.unwrap().len(), before);
}

/// The token has to come before the file, so a forged upload is refused
/// before its file is read; another unit's user is refused before the body.
#[tokio::test]
async fn an_upload_is_refused_before_its_file_is_read_without_token_or_rights() {
    use axum::body::Body;
    use axum::http::{header, Request};
    let app = App::demo().await;
    let mz = app.unit_id(MZ).await;
    let author = app.browser("mz-keyuan").await;
    let boundary = "taizhangboundary";
    let part = |name: &str, extra: &str, value: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n{value}\r\n")
    };
    let file = part("docx", "; filename=\"a.docx\"", "PK");
    let forged = format!("{}{file}--{boundary}--\r\n", part("title", "", "伪造"));
    let late_token = format!("{file}{}--{boundary}--\r\n", part("csrf", "", &author.csrf));
    for body in [forged, late_token] {
        let req = Request::post(format!("/units/{mz}/drafts"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::COOKIE, &author.cookie)
            .body(Body::from(body))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    }
    let outsider = app.browser("sl-shuji").await;
    let res = app.upload(&format!("/units/{mz}/drafts"), &outsider, &[], ("docx", "a.docx", b"PK")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// Reviewer lists under which no draft could ever be finished are refused.
#[tokio::test]
async fn reviewer_lists_that_cannot_finish_a_draft_are_refused() {
    let app = App::demo().await;
    let channel = wechat(&app).await;
    let org = app.store.org().await.unwrap();
    let person = |name: &str| org.people.iter().find(|p| p.name == name).unwrap().id;
    let secretary = app.token("mz-shuji").await;
    let path = format!("/api/v1/channels/{channel}/reviewers");
    let deadlock = json!({ "first": [person("李红梅")], "second": [person("李红梅")], "last": [person("王建国")] });
    let res = app.api(Method::PUT, &path, Some(&secretary), Some(deadlock)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.json()["error"].as_str().unwrap().contains("无法完成三审"), "{}", res.body);
}

/// The draft review runs the same engine as `taizhang proof`: the API and
/// the page show exactly the findings the command prints for the same text.
#[tokio::test]
async fn the_review_shows_the_same_findings_as_the_command() {
    let app = App::demo().await;
    let author = app.token("mz-keyuan").await;
    let body = "会议围绕意思形态工作责任制开展研讨，在次强调要坚持不懈。\n全年共开展学习12次，,做到全覆盖。";
    let id = new_draft(&app, &author, body).await["id"].as_i64().unwrap();
    let res = app.api(Method::GET, &format!("/api/v1/drafts/{id}"), Some(&author), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let shown = res.json()["findings"]["body"].clone();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.txt");
    std::fs::write(&file, body).unwrap();
    let args =
        taizhang_proof::cli::ProofArgs { file, format: taizhang_proof::cli::Format::Json, fix: false, lexicon: None };
    let mut out = Vec::new();
    taizhang_proof::cli::run_with(&args, &mut out, &mut Vec::new());
    let printed: Value = serde_json::from_slice(&out).unwrap();

    let key = |f: &Value| {
        let field = |k: &str| f[k].to_string();
        ["start", "end", "category", "severity", "original", "suggestions", "reason"].map(field)
    };
    let (shown, printed) = (shown.as_array().unwrap(), printed.as_array().unwrap());
    assert!(printed.len() >= 2, "the text has at least two typos: {printed:?}");
    assert_eq!(shown.iter().map(key).collect::<Vec<_>>(), printed.iter().map(key).collect::<Vec<_>>());

    // The page lists each of them for the reviewer.
    let reviewer = app.browser("mz-bgs").await;
    let page = app.get(&format!("/drafts/{id}"), Some(&reviewer.cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for f in printed {
        assert!(page.body.contains(f["original"].as_str().unwrap()), "{f}");
    }
}
