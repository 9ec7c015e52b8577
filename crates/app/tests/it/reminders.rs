//! The reminder scan evaluates Party groups in chunks: however they are cut,
//! it records the same reminders for the same people.

use taizhang_app::{reminders, App};

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
    (demo_on(store).await, dir)
}

async fn demo_on(store: taizhang_store::Store) -> App {
    taizhang_demo::seed(&store).await.unwrap();
    App { today: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), ..App::new(store) }
}

/// Every person's notifications, as (person, message) in a stable order.
async fn notifications(app: &App) -> Vec<(i64, String)> {
    let org = app.store.org().await.unwrap();
    let mut out = Vec::new();
    for p in &org.people {
        for n in app.store.notifications_of(p.id, 1000).await.unwrap() {
            out.push((p.id, n.reminder.message));
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_scan_in_chunks_of_one_group_records_what_one_pass_records() {
    let (whole, _a) = demo().await;
    let (chunked, _b) = demo().await;
    chunked_scans_agree(&whole, &chunked).await;
}

/// The same on PostgreSQL, on a runtime of two threads (the next chunk's
/// inputs are read on the other while a chunk is written).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_in_chunks_records_what_one_pass_records_on_postgres() {
    let (Some(a), Some(b)) =
        (taizhang_store::testing::fresh_postgres().await, taizhang_store::testing::fresh_postgres().await)
    else {
        eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set");
        return;
    };
    chunked_scans_agree(&demo_on(a).await, &demo_on(b).await).await;
}

async fn chunked_scans_agree(whole: &App, chunked: &App) {
    let one_pass = reminders::scan_in_chunks(whole, 10_000).await.unwrap();
    let by_group = reminders::scan_in_chunks(chunked, 1).await.unwrap();
    assert!(one_pass.groups >= 3 && one_pass.new_reminders > 0, "{one_pass:?}");
    assert_eq!(by_group, one_pass);
    assert_eq!(notifications(chunked).await, notifications(whole).await);
    // A rescan adds nothing, in chunks or not.
    assert_eq!(reminders::scan_in_chunks(chunked, 2).await.unwrap().new_reminders, 0);
}
