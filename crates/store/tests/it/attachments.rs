//! Evidence files in both storage modes (the database, a directory), on
//! SQLite and PostgreSQL: stored once by content, audited, voided with a
//! reason, read back in chunks, and re-hashed by `verify_files`.

use crate::store::{d, meeting, risk_entry, seed};
use sha2::{Digest, Sha256};
use taizhang_core::attachment::{FileKind, FileType};
use taizhang_store::testing::{fresh_postgres, fresh_sqlite};
use taizhang_store::*;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn attach(store: &Store, actor: &Actor, record: i64, unit: i64, name: &str, bytes: &[u8]) -> Attachment {
    attach_to(store, actor, OWNER_RECORD, record, unit, name, bytes).await
}

async fn attach_to(
    store: &Store,
    actor: &Actor,
    owner: &'static str,
    owner_id: i64,
    unit: i64,
    name: &str,
    bytes: &[u8],
) -> Attachment {
    let mut w = store.begin_write().await.unwrap();
    w.put_blob(&sha(bytes), bytes.len() as u64, bytes).await.unwrap();
    let new = NewAttachment {
        owner,
        owner_id,
        unit_id: unit,
        kind: FileKind::SignInSheet,
        name: name.into(),
        file_type: FileType::Pdf,
        size: bytes.len() as u64,
        sha256: sha(bytes),
    };
    let a = w.create_attachment(actor, &new).await.unwrap();
    w.commit().await.unwrap();
    a
}

async fn read_all(store: &Store, sha256: &str) -> Vec<u8> {
    let mut reader = store.open_blob(sha256).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = reader.next_chunk().await.unwrap() {
        assert!(chunk.len() <= 1024 * 1024, "read a chunk at a time");
        out.extend(chunk);
    }
    out
}

async fn files_in_both_modes(store: Store, files_dir: Option<std::path::PathBuf>) {
    let store = match &files_dir {
        Some(dir) => store.with_files_dir(dir).unwrap(),
        None => store,
    };
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let mut w = store.begin_write().await.unwrap();
    let rec = w
        .create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, 3, 5), data: meeting("支委会") })
        .await
        .unwrap();
    w.commit().await.unwrap();

    // Larger than a chunk, so it is split and read back in pieces.
    let big: Vec<u8> = (0..(2 * 1024 * 1024 + 17)).map(|i| (i % 251) as u8).collect();
    let small = b"%PDF-1.4 small".to_vec();
    let a = attach(&store, &actor, rec.id, s.branch, "签到表.pdf", &big).await;
    let b = attach(&store, &actor, rec.id, s.branch, "其他.pdf", &small).await;
    let again = attach(&store, &actor, rec.id, s.branch, "签到表（重复）.pdf", &big).await;
    assert_eq!((a.size, a.sha256.as_str()), (big.len() as u64, sha(&big).as_str()));
    assert_eq!(store.scalar_for_tests("SELECT COUNT(*) FROM blobs").await, 2, "the same content is kept once");
    let chunks = store.scalar_for_tests("SELECT COUNT(*) FROM blob_chunks").await;
    assert_eq!(chunks, if files_dir.is_some() { 0 } else { 4 }, "3 chunks of the big file and 1 of the small");
    assert_eq!(read_all(&store, &a.sha256).await, big);
    assert_eq!(read_all(&store, &b.sha256).await, small);
    assert_eq!(store.attachments_of(OWNER_RECORD, &[rec.id]).await.unwrap().len(), 3);
    assert_eq!(store.record_file_kinds(&[s.branch]).await.unwrap(), vec![(rec.id, FileKind::SignInSheet); 3]);
    assert_eq!(store.unit_attachment_bytes(s.branch).await.unwrap(), 2 * big.len() as u64 + small.len() as u64);

    // A void needs a reason, keeps the row and leaves the evidence.
    let mut w = store.begin_write().await.unwrap();
    assert!(matches!(w.void_attachment(&actor, again.id, " ").await, Err(StoreError::Fields(_))));
    let voided = w.void_attachment(&actor, again.id, "重复上传").await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(voided.void.as_ref().map(|v| v.reason.as_str()), Some("重复上传"));
    let mut w = store.begin_write().await.unwrap();
    assert!(matches!(w.void_attachment(&actor, again.id, "再次").await, Err(StoreError::Conflict(_))));
    drop(w);
    assert_eq!(store.record_file_kinds(&[s.branch]).await.unwrap().len(), 2);
    let voids = store
        .scalar_for_tests(&format!(
            "SELECT COUNT(*) FROM audit WHERE entity = 'attachments' AND action = 'void' AND entity_id = {}",
            again.id
        ))
        .await;
    assert_eq!(voids, 1, "the void is in the audit chain");
    assert!(store.verify().await.unwrap().is_ok());
    assert!(store.verify_files().await.unwrap().is_empty());

    // An attachment row changed behind the system's back breaks the chain.
    store.exec_for_tests(&format!("UPDATE attachments SET name = '改名.pdf' WHERE id = {}", b.id)).await;
    assert!(store.verify().await.unwrap().unwrap_err().message.contains("attachments 表"));
    store.exec_for_tests(&format!("UPDATE attachments SET name = '其他.pdf' WHERE id = {}", b.id)).await;

    // A changed file, then a missing one, is named.
    match &files_dir {
        Some(dir) => {
            let path = dir.join(&b.sha256[..2]).join(&b.sha256);
            std::fs::write(&path, b"%PDF-1.4 forged").unwrap();
            let problems = store.verify_files().await.unwrap();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].message.contains("其他.pdf") && problems[0].message.contains("改动"));
            std::fs::remove_file(&path).unwrap();
        }
        None => {
            store
                .exec_for_tests(&format!(
                    "UPDATE blob_chunks SET data = (SELECT data FROM blob_chunks WHERE sha256 = '{}' AND seq = 2) WHERE sha256 = '{}'",
                    a.sha256, b.sha256
                ))
                .await;
            let problems = store.verify_files().await.unwrap();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].message.contains("其他.pdf") && problems[0].message.contains("改动"));
            store.exec_for_tests(&format!("DELETE FROM blob_chunks WHERE sha256 = '{}'", b.sha256)).await;
            store.exec_for_tests(&format!("DELETE FROM blobs WHERE sha256 = '{}'", b.sha256)).await;
        }
    }
    let problems = store.verify_files().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].attachment_id, b.id);
    assert!(problems[0].message.contains("缺失"), "{}", problems[0].message);
    // Two attachments share the big file; changing it names both.
    if let Some(dir) = &files_dir {
        std::fs::write(dir.join(&a.sha256[..2]).join(&a.sha256), b"x").unwrap();
        assert_eq!(store.verify_files().await.unwrap().len(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_in_the_database_and_in_a_directory() {
    for in_dir in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let files = in_dir.then(|| dir.path().join("files"));
        files_in_both_modes(fresh_sqlite(dir.path()).await.unwrap(), files.clone()).await;
        match fresh_postgres().await {
            Some(pg) => {
                let files = in_dir.then(|| dir.path().join("pg-files"));
                files_in_both_modes(pg, files).await
            }
            None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
        }
    }
}

/// Files of the other owners: a risk review's are found by the record it
/// wrote (for the bundle), a feedback file's step is kept beside it and
/// audited, and `verify_files` re-hashes them like a record's.
async fn files_of_other_owners(store: Store) {
    use taizhang_core::risk::RiskStatus;
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let mut w = store.begin_write().await.unwrap();
    let risk = w.create_risk(&actor, s.unit, &risk_entry("祭扫舆情风险", s.person)).await.unwrap();
    let review = LedgerReview {
        reviewed_on: d(2026, 6, 20),
        reviewer: "王书记".into(),
        conclusion: "措施落实到位".into(),
        next_review: d(2026, 9, 18),
        outcomes: vec![(risk.id, RiskStatus::Controlled)],
    };
    let (record, rows) = w.review_risks(&actor, s.unit, &review).await.unwrap();
    w.commit().await.unwrap();
    let photo = attach_to(&store, &actor, OWNER_RISK_REVIEW, rows[0].id, s.unit, "研判会.pdf", b"%PDF-1.4 a").await;
    attach_to(&store, &actor, OWNER_RECTIFICATION, 77, s.unit, "整改.pdf", b"%PDF-1.4 b").await;
    let step = attach_to(&store, &actor, OWNER_FEEDBACK, 5, s.unit, "核实.pdf", b"%PDF-1.4 c").await;
    let mut w = store.begin_write().await.unwrap();
    w.link_feedback_step(&actor, step.id, 2).await.unwrap();
    w.commit().await.unwrap();

    let found = store.risk_review_files_of_records(&[record.id]).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0, found[0].1.id), (record.id, photo.id));
    assert!(store.risk_review_files_of_records(&[record.id + 1000]).await.unwrap().is_empty());
    assert_eq!(store.risk_of_review(rows[0].id).await.unwrap(), Some(risk.id));
    assert_eq!(store.feedback_file_steps(&[step.id, photo.id]).await.unwrap(), vec![(step.id, 2)]);
    assert_eq!(store.attachments_of(OWNER_RECTIFICATION, &[77]).await.unwrap().len(), 1);
    assert!(store.record_file_kinds(&[s.unit]).await.unwrap().is_empty(), "only a record's own files are its evidence");
    assert!(store.verify().await.unwrap().is_ok());
    assert!(store.verify_files().await.unwrap().is_empty());

    // The step row is sealed in the chain like the file.
    store
        .exec_for_tests(&format!("UPDATE feedback_step_files SET step_no = 1 WHERE attachment_id = {}", step.id))
        .await;
    assert!(store.verify().await.unwrap().unwrap_err().message.contains("feedback_step_files"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_risk_reviews_problems_and_feedback_steps() {
    let dir = tempfile::tempdir().unwrap();
    files_of_other_owners(fresh_sqlite(dir.path()).await.unwrap()).await;
    match fresh_postgres().await {
        Some(pg) => files_of_other_owners(pg).await,
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}
