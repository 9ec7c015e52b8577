//! Evidence files through the application layer on SQLite (files in a
//! directory) and PostgreSQL (files in the database): an upload streamed
//! in pieces, the duty rule, the inspection bundle carrying the period's
//! evidence with its hashes, and `verify_files` naming a changed file.

use chrono::NaiveDate;
use taizhang_app::attachments::{self, Upload};
use taizhang_app::view::View;
use taizhang_app::{documents, App, Caller, Error};
use taizhang_core::attachment::FileKind;
use taizhang_core::period::Period;
use taizhang_docs::bundle::verify_bundle;
use taizhang_docs::inspection::{inspection_bundle, EVIDENCE_DIR};
use taizhang_store::Store;

async fn caller(app: &App, username: &str) -> Caller {
    let login = app.store.login(username).await.unwrap().unwrap();
    let roles = app.store.roles_of(login.person.id).await.unwrap();
    Caller { person: login.person, roles }
}

async fn evidence_end_to_end(store: Store) {
    taizhang_demo::seed(&store).await.unwrap();
    let app = App { today: NaiveDate::from_ymd_opt(2026, 11, 23), ..App::new(store) };
    let view = View::load(&app).await.unwrap();
    let secretary = caller(&app, "sl-shuji").await;
    let unit = view.org.units.iter().find(|u| u.name == "县水利局党委").unwrap().id;
    let record = app
        .store
        .scalar_for_tests(&format!(
            "SELECT id FROM records WHERE unit_id = {unit} AND kind = 'study' AND occurred_on = '2026-09-22'"
        ))
        .await;
    let status = |app: &App| {
        let app = app.clone();
        async move {
            let view = View::load(&app).await.unwrap();
            let e = taizhang_app::view::evaluate_group(&app, &view, unit, Period::year(2026)).await.unwrap();
            e.duties.iter().find(|d| d.item_id == "study-sessions").unwrap().clone()
        }
    };
    let before = status(&app).await;
    assert_eq!(before.status, taizhang_core::Status::MissingEvidence, "{}", before.reason);

    // An upload arrives in pieces; the limit is checked as it grows.
    let sheet = taizhang_docs::pdf::sign_in_sheet("县水利局党委", "中心组学习", "2026年9月22日", "书记", &["甲", "乙"]);
    let mut upload = Upload::new(&app).unwrap();
    for piece in sheet.chunks(100) {
        upload.write(piece).await.unwrap();
    }
    let staged = upload.finish("扫描件.pdf").await.unwrap();
    let file =
        attachments::attach_to_record(&app, &view, &secretary, record, FileKind::SignInSheet, staged).await.unwrap();
    assert_eq!((file.name.as_str(), file.size), ("扫描件.pdf", sheet.len() as u64));
    assert_eq!(status(&app).await.status, taizhang_core::Status::Met);

    // Another unit's secretary may neither add nor read.
    let view = View::load(&app).await.unwrap();
    let outsider = caller(&app, "mz-shuji").await;
    let staged = {
        let mut u = Upload::new(&app).unwrap();
        u.write(&sheet).await.unwrap();
        u.finish("x.pdf").await.unwrap()
    };
    let refused = attachments::attach_to_record(&app, &view, &outsider, record, FileKind::Other, staged).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{:?}", refused.err());
    assert!(matches!(attachments::open(&app, &view, &outsider, file.id).await, Err(Error::Forbidden)));

    // The year's bundle carries every evidence file with its hash.
    let mut source = documents::source(&app, unit, Period::year(2026)).await.unwrap();
    assert!(source.evidence.iter().any(|f| f.sha256 == file.sha256));
    documents::load_evidence(&app, &mut source).await.unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let zip = inspection_bundle(&source, at).unwrap();
    let report = verify_bundle(&zip).unwrap();
    let evidence: Vec<_> = report.files.iter().filter(|f| f.path.starts_with(EVIDENCE_DIR)).collect();
    assert_eq!(evidence.len(), source.evidence.len());
    let ours = evidence
        .iter()
        .find(|f| f.path == "佐证材料/中心组学习/2026-09-22_学习贯彻中央八项规定精神/扫描件.pdf")
        .unwrap_or_else(|| panic!("{evidence:?}"));
    assert_eq!(ours.sha256, file.sha256);
    assert_eq!(ours.size, file.size);

    // A stored file changed behind the system's back is named by verify.
    assert!(app.store.verify_files().await.unwrap().is_empty());
    match app.store.files_dir() {
        Some(dir) => std::fs::write(dir.join(&file.sha256[..2]).join(&file.sha256), b"%PDF-1.4 forged").unwrap(),
        None => app.store.exec_for_tests(&format!("DELETE FROM blob_chunks WHERE sha256 = '{}'", file.sha256)).await,
    }
    let problems = app.store.verify_files().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("扫描件.pdf"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_through_the_app_on_sqlite_with_a_files_dir_and_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
    // The demo's own files go in too: in the directory.
    evidence_end_to_end(sqlite.with_files_dir(dir.path().join("files")).unwrap()).await;
    match taizhang_store::testing::fresh_postgres().await {
        Some(pg) => evidence_end_to_end(pg).await,
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}

async fn staged_pdf(app: &App, text: &str) -> attachments::Staged {
    let bytes = format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes();
    let mut u = Upload::new(app).unwrap();
    u.write(&bytes).await.unwrap();
    u.finish(&format!("{text}.pdf")).await.unwrap()
}

/// A risk review's and a rectification problem's files are the bundle's
/// evidence too: under the review's record and under 问题整改, each with
/// its hash in the manifest; a feedback step's and a draft's are not (the
/// bundle carries neither register).
async fn owner_files_in_the_bundle(store: Store) {
    use attachments::Target;
    taizhang_demo::seed(&store).await.unwrap();
    let app = App { today: NaiveDate::from_ymd_opt(2026, 11, 23), ..App::new(store) };
    let view = View::load(&app).await.unwrap();
    let secretary = caller(&app, "mz-shuji").await;
    let unit = view.org.units.iter().find(|u| u.name == "县民政局党组").unwrap().id;
    let q = |sql: String| {
        let app = app.clone();
        async move { app.store.scalar_for_tests(&sql).await }
    };
    let review =
        q(format!("SELECT MAX(v.id) FROM risk_reviews v JOIN risks r ON r.id = v.risk_id WHERE r.unit_id = {unit}"))
            .await;
    let risk = q(format!("SELECT risk_id FROM risk_reviews WHERE id = {review}")).await;
    let problem = q(format!("SELECT MIN(id) FROM rectifications WHERE unit_id = {unit} AND closed_on IS NULL")).await;
    let entry = q(format!("SELECT MIN(id) FROM feedback WHERE unit_id = {unit}")).await;
    let kind = FileKind::ReportFile;
    let to_review = Target::RiskReview { risk, review };
    let a = attachments::attach(&app, &view, &secretary, to_review, kind, staged_pdf(&app, "复核纪要").await);
    let a = a.await.unwrap();
    let to_problem = Target::Rectification(problem);
    let b = attachments::attach(&app, &view, &secretary, to_problem, kind, staged_pdf(&app, "整改报告").await);
    let b = b.await.unwrap();
    let to_step = Target::FeedbackStep { item: entry, step: 1 };
    attachments::attach(&app, &view, &secretary, to_step, kind, staged_pdf(&app, "核实情况").await).await.unwrap();

    // Another unit's secretary reaches none of them.
    let outsider = caller(&app, "sl-shuji").await;
    for target in [to_review, to_problem, to_step] {
        let refused = attachments::attach(&app, &view, &outsider, target, kind, staged_pdf(&app, "x").await).await;
        assert!(matches!(refused, Err(Error::Forbidden)), "{target:?}: {:?}", refused.err());
    }

    let mut source = documents::source(&app, unit, Period::year(2026)).await.unwrap();
    documents::load_evidence(&app, &mut source).await.unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let report = verify_bundle(&inspection_bundle(&source, at).unwrap()).unwrap();
    let find = |name: &str| report.files.iter().find(|f| f.path.ends_with(name)).cloned();
    let review_file = find("/复核纪要.pdf").unwrap_or_else(|| panic!("{:?}", report.files));
    assert!(review_file.path.starts_with("佐证材料/风险隐患台账复核/"), "{}", review_file.path);
    assert_eq!(review_file.sha256, a.sha256);
    let problem_file = find("/整改报告.pdf").unwrap();
    assert!(problem_file.path.starts_with("佐证材料/问题整改/"), "{}", problem_file.path);
    assert_eq!(problem_file.sha256, b.sha256);
    assert!(find("/核实情况.pdf").is_none(), "feedback files stay out of the bundle");
    assert!(app.store.verify().await.unwrap().is_ok());
    assert!(app.store.verify_files().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_files_in_the_bundle_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    owner_files_in_the_bundle(taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap()).await;
    match taizhang_store::testing::fresh_postgres().await {
        Some(pg) => owner_files_in_the_bundle(pg).await,
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}
