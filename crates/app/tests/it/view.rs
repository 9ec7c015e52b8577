//! The organisation snapshot: shared while nothing is written, reloaded
//! after any write, on this server or another one on the same database.

use std::sync::Arc;
use taizhang_app::{App, View};
use taizhang_core::org::UnitKind;
use taizhang_store::{Actor, NewUnit};

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    (App::new(store), dir)
}

#[tokio::test]
async fn the_organisation_is_read_once_until_something_is_written() {
    let (app, _dir) = demo().await;
    let first = View::load(&app).await.unwrap();
    let again = View::load(&app).await.unwrap();
    assert!(Arc::ptr_eq(&first, &again), "nothing was written: the same snapshot");

    // Another app server on the same database writes a unit.
    let other = App::new(app.store.clone());
    let mut w = other.store.begin_write().await.unwrap();
    let parent = first.tree.all().find(|u| u.kind == UnitKind::Superior).unwrap().id;
    let new = NewUnit { name: "县新设局党组".into(), parent_id: Some(parent), kind: UnitKind::PartyGroup };
    let unit = w.create_unit(&Actor::system("测试"), &new).await.unwrap();
    w.commit().await.unwrap();

    let after = View::load(&app).await.unwrap();
    assert!(!Arc::ptr_eq(&first, &after), "a write moves the audit position");
    assert_eq!(after.unit(unit.id).unwrap().name, "县新设局党组");
    assert!(first.unit(unit.id).is_err(), "the old snapshot is left as it was");
}
