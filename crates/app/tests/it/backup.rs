//! Backups taken while people write, restored into empty databases of
//! either kind (PostgreSQL when TAIZHANG_TEST_PG is set).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use taizhang_app::backup::{self, Form};
use taizhang_core::org::UnitKind;
use taizhang_store::testing::{fresh_postgres, fresh_postgres_url, fresh_sqlite};
use taizhang_store::{Actor, NewUnit, Store};

/// Adds units one after another (each an audited write) until told to stop.
fn keep_writing(store: Store) -> (Arc<AtomicBool>, Arc<AtomicU32>, tokio::task::JoinHandle<()>) {
    let (stop, written) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU32::new(0)));
    let (s, n) = (stop.clone(), written.clone());
    let handle = tokio::spawn(async move {
        while !s.load(Ordering::SeqCst) {
            let i = n.fetch_add(1, Ordering::SeqCst);
            let mut w = store.begin_write().await.unwrap();
            let unit = NewUnit { name: format!("并发写入单位{i}"), parent_id: None, kind: UnitKind::Superior };
            w.create_unit(&Actor::system("test"), &unit).await.unwrap();
            w.commit().await.unwrap();
        }
    });
    (stop, written, handle)
}

async fn backups_during_writes_verify(store: Store, dir: &std::path::Path) {
    taizhang_demo::seed(&store).await.unwrap();
    let (stop, written, writer) = keep_writing(store.clone());
    let mut forms = vec![Form::Archive];
    if store.backend() == taizhang_store::Backend::Sqlite {
        forms.push(Form::SqliteFile);
    }
    for (i, form) in forms.into_iter().enumerate() {
        while written.load(Ordering::SeqCst) < 5 * (i as u32 + 1) {
            tokio::task::yield_now().await;
        }
        let out = dir.join(format!("backup-{i}"));
        let report = backup::backup(&store, &out, form).await.unwrap();
        assert_eq!(report.form, form);
        assert!(written.load(Ordering::SeqCst) > 5 * (i as u32 + 1) - 1, "writes went on during the backup");
        let again = backup::verify_file(&out).await.unwrap().expect("the backup verifies");
        assert_eq!(again, report.chain);
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    assert!(store.verify().await.unwrap().is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_taken_during_writes_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    backups_during_writes_verify(store, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_taken_during_writes_verifies() {
    let Some(store) = fresh_postgres().await else {
        eprintln!("skipped: TAIZHANG_TEST_PG is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    backups_during_writes_verify(store, dir.path()).await;
}

/// Restores `from` into a fresh database at `url`, then writes to it.
async fn restore_and_write(from: &std::path::Path, url: &str, expected: &taizhang_store::ChainReport) {
    let target = Store::connect(url).await.unwrap();
    let report = backup::restore(from, &target).await.unwrap();
    assert_eq!(&report.chain, expected, "the restored chain is the backup's");
    target.close().await;
    // Opened as the server opens it, the restored database takes new writes after the restored ids.
    let store = Store::open(url).await.unwrap();
    let mut w = store.begin_write().await.unwrap();
    let unit = NewUnit { name: "恢复后新建单位".into(), parent_id: None, kind: UnitKind::Superior };
    let created = w.create_unit(&Actor::system("test"), &unit).await.unwrap();
    w.commit().await.unwrap();
    assert!(created.id > 19, "ids continue after the restored ones: {}", created.id);
    assert_eq!(store.verify().await.unwrap().unwrap().entries, expected.entries + 1);
    // A second restore into it is refused: it is no longer empty.
    let again = backup::restore(from, &Store::connect(url).await.unwrap()).await.unwrap_err();
    assert!(again.message().contains("不是空的"), "{}", again.message());
}

#[tokio::test]
async fn backups_restore_into_empty_databases_of_either_kind() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    let chain = store.verify().await.unwrap().unwrap();
    let (file, archive) = (dir.path().join("copy.db"), dir.path().join("copy.zip"));
    backup::backup(&store, &file, Form::SqliteFile).await.unwrap();
    backup::backup(&store, &archive, Form::Archive).await.unwrap();
    let refused = backup::backup(&store, &file, Form::SqliteFile).await.unwrap_err();
    assert!(refused.message().contains("已存在"), "{}", refused.message());
    for (i, from) in [&file, &archive].into_iter().enumerate() {
        let url = format!("sqlite://{}?mode=rwc", dir.path().join(format!("restored-{i}.db")).display());
        restore_and_write(from, &url, &chain).await;
        match fresh_postgres_url().await {
            Some(url) => restore_and_write(from, &url, &chain).await,
            None => eprintln!("PostgreSQL part skipped: TAIZHANG_TEST_PG is not set"),
        }
    }
}

#[tokio::test]
async fn a_tampered_backup_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    let copy = dir.path().join("copy.db");
    backup::backup(&store, &copy, Form::SqliteFile).await.unwrap();
    let tampered = Store::open(&format!("sqlite://{}", copy.display())).await.unwrap();
    tampered.exec_for_tests("UPDATE records SET occurred_on = '2026-01-02' WHERE id = 3").await;
    tampered.close().await;
    let broken = backup::verify_file(&copy).await.unwrap().unwrap_err();
    assert!(broken.message.contains("records 表第3行"), "{}", broken.message);
}

#[tokio::test]
async fn scheduled_backups_are_verified_pruned_and_taken_once_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    let app = taizhang_app::App::new(store);
    let schedule =
        backup::Schedule { dir: dir.path().join("backups"), every: std::time::Duration::from_secs(3600), keep: 2 };
    let zero = std::time::Duration::ZERO;
    for _ in 0..3 {
        let report = backup::run_scheduled(&app, &schedule, zero).await.unwrap().expect("due");
        assert_eq!(report.form, Form::SqliteFile);
    }
    let mut kept: Vec<_> = std::fs::read_dir(&schedule.dir).unwrap().map(|e| e.unwrap().path()).collect();
    kept.sort();
    assert_eq!(kept.len(), 2, "only the newest two are kept: {kept:?}");
    for path in &kept {
        assert!(backup::verify_file(path).await.unwrap().is_ok());
    }
    // Just taken: not due again within the interval.
    assert!(backup::run_scheduled(&app, &schedule, schedule.every).await.unwrap().is_none());
    // Another server (here: a claim held) has the job: this one skips it.
    let held = app.store.claim_job(backup::JOB, zero).await.unwrap().expect("free");
    assert!(backup::run_scheduled(&app, &schedule, zero).await.unwrap().is_none());
    drop(held);
    // The reminder scan's claim is a different job: it does not stop a backup.
    let reminders = app.store.claim_job(taizhang_app::reminders::JOB, zero).await.unwrap().expect("free");
    assert!(backup::run_scheduled(&app, &schedule, zero).await.unwrap().is_some());
    drop(reminders);
}
