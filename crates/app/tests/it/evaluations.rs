//! The evaluation cache: a roll-up evaluates each Party group once while
//! nothing is written; a record written in one unit re-evaluates that
//! unit's group only; a change to the organisation re-evaluates them all.

use chrono::NaiveDate;
use taizhang_app::view::{rollup_under, View};
use taizhang_app::App;
use taizhang_core::period::Period;
use taizhang_core::record::{ChannelUpdate, RecordData};
use taizhang_store::{Actor, NewPerson, NewRecord};

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    (App { today: NaiveDate::from_ymd_opt(2026, 11, 23), ..App::new(store) }, dir)
}

/// Writes an update of 县民政局微信公众号 (a record of 县民政局党组);
/// returns the unit that keeps the account.
async fn update_the_wechat_account(app: &App) -> i64 {
    let org = app.store.org().await.unwrap();
    let wechat = org.channels.iter().find(|c| c.name == "县民政局微信公众号").unwrap();
    let update = ChannelUpdate { channel_id: wechat.id, title: "民政惠民政策解读".into(), url: String::new() };
    let new = NewRecord {
        unit_id: wechat.unit_id,
        occurred_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        data: RecordData::ChannelUpdate(update),
    };
    let mut w = app.store.begin_write().await.unwrap();
    w.create_record(&Actor::system("测试"), &new).await.unwrap();
    w.commit().await.unwrap();
    wechat.unit_id
}

/// The roll-up under 县委宣传部 for 2026, and how many evaluations the
/// engine ran for it.
async fn rollup(app: &App) -> (Vec<taizhang_core::engine::RollupRow>, u64) {
    let before = app.evaluations.computed();
    let view = View::load(app).await.unwrap();
    let county = view.org.units.iter().find(|u| u.name == "县委宣传部").unwrap().id;
    let (_, rows) = rollup_under(app, &view, county, Period::year(2026)).await.unwrap();
    // The rows are kept for the other servers after the answer.
    app.evaluations.kept_in_database().await;
    (rows, app.evaluations.computed() - before)
}

#[tokio::test]
async fn a_write_in_one_unit_re_evaluates_that_unit_only() {
    let (app, _dir) = demo().await;
    let (first, computed) = rollup(&app).await;
    assert!(first.len() >= 3, "{} Party groups", first.len());
    assert_eq!(computed, first.len() as u64, "each Party group evaluated once");
    let (again, computed) = rollup(&app).await;
    assert_eq!((again, computed), (first.clone(), 0), "nothing written: nothing evaluated");

    let wechat_unit = update_the_wechat_account(&app).await;
    let (after, computed) = rollup(&app).await;
    assert_eq!(computed, 1, "only 县民政局党组 is evaluated again");
    let changed: Vec<&str> =
        first.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, _)| a.unit_name.as_str()).collect();
    assert_eq!(changed, ["县民政局党组"]);

    // A new person may hold any role anywhere: every group is evaluated again.
    let mut w = app.store.begin_write().await.unwrap();
    let person = NewPerson {
        unit_id: wechat_unit,
        name: "新同志".into(),
        title: "科员".into(),
        username: None,
        password_hash: None,
    };
    w.create_person(&Actor::system("测试"), &person).await.unwrap();
    w.commit().await.unwrap();
    let (_, computed) = rollup(&app).await;
    assert_eq!(computed, first.len() as u64, "the organisation changed");
}

#[tokio::test]
async fn another_day_is_evaluated_again() {
    let (app, _dir) = demo().await;
    let (first, _) = rollup(&app).await;
    let tomorrow = App { today: NaiveDate::from_ymd_opt(2026, 11, 24), ..app.clone() };
    let (_, computed) = rollup(&tomorrow).await;
    assert_eq!(computed, first.len() as u64, "the cache is shared, the day is not");
}

/// 10:00 on the demo's day, Beijing time, plus `hours`.
fn at_hour(hours: i64) -> chrono::DateTime<chrono::Utc> {
    "2026-11-23T02:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap() + chrono::Duration::hours(hours)
}

#[tokio::test]
async fn another_hour_re_evaluates_only_groups_with_a_feedback_limit_running() {
    let (app, _dir) = demo().await;
    let app = App { clock: Some(at_hour(0)), ..app };
    let (first, _) = rollup(&app).await;
    let later = App { clock: Some(at_hour(1)), ..app.clone() };
    let (rows, computed) = rollup(&later).await;
    assert!(computed >= 1, "a group with an overdue feedback entry counts its hours again");
    assert!(computed < first.len() as u64, "groups without a running limit keep their evaluation");
    // What the cache gives equals what a server with nothing cached
    // (here or in the database) computes.
    later.store.exec_for_tests("DELETE FROM evaluation_rows").await;
    let fresh = App { evaluations: Default::default(), ..later.clone() };
    let (expected, all) = rollup(&fresh).await;
    assert_eq!(all, first.len() as u64);
    assert_eq!(rows, expected);
}

/// A second server (another `App` with its own cache on the same
/// database) builds the roll-up from the rows the first one kept; after a
/// write it evaluates the group written to only, and a third server then
/// evaluates nothing.
#[tokio::test]
async fn servers_share_their_rows_through_the_database() {
    let (first, _dir) = demo().await;
    let second = || App { evaluations: Default::default(), org_cache: Default::default(), ..first.clone() };
    let (rows, computed) = rollup(&first).await;
    assert_eq!(computed, rows.len() as u64);
    let b = second();
    assert_eq!(rollup(&b).await, (rows.clone(), 0), "the second server evaluates nothing");

    update_the_wechat_account(&b).await;
    let (after, computed) = rollup(&b).await;
    assert_eq!(computed, 1, "only the group written to");
    assert_ne!(after, rows);
    let c = second();
    assert_eq!(rollup(&c).await, (after.clone(), 0), "a third server takes every row, the new one too");
    // The first server's own entry of that group is stale; it takes the kept row.
    assert_eq!(rollup(&first).await, (after.clone(), 0));
    // Without the kept rows, a server evaluates every group, to the same rows.
    first.store.exec_for_tests("DELETE FROM evaluation_rows").await;
    let (fresh, computed) = rollup(&second()).await;
    assert_eq!((fresh, computed), (after, rows.len() as u64));
}

/// A year's roll-up scores each group as it evaluates it: the ranking
/// that follows evaluates nothing.
#[tokio::test]
async fn the_ranking_after_a_roll_up_evaluates_nothing() {
    let (app, _dir) = demo().await;
    let (rows, _) = rollup(&app).await;
    let view = View::load(&app).await.unwrap();
    let county = view.org.units.iter().find(|u| u.name == "县委宣传部").unwrap().id;
    let before = app.evaluations.computed();
    let standings = taizhang_app::assessment::ranking(&app, &view, county, 2026).await.unwrap();
    assert_eq!(app.evaluations.computed(), before);
    assert_eq!(standings.len(), rows.len());
}

/// A second server's roll-up takes the kept rows without their cards
/// (most of the kept text); its ranking then takes the cards, and neither
/// evaluates anything.
#[tokio::test]
async fn a_second_servers_ranking_takes_the_kept_cards() {
    let (first, _dir) = demo().await;
    let (rows, _) = rollup(&first).await;
    let second = App { evaluations: Default::default(), org_cache: Default::default(), ..first.clone() };
    assert_eq!(rollup(&second).await, (rows.clone(), 0));
    let view = View::load(&second).await.unwrap();
    let county = view.org.units.iter().find(|u| u.name == "县委宣传部").unwrap().id;
    let expected = taizhang_app::assessment::ranking(&first, &view, county, 2026).await.unwrap();
    let standings = taizhang_app::assessment::ranking(&second, &view, county, 2026).await.unwrap();
    assert_eq!(second.evaluations.computed(), 0, "the cards were kept");
    assert_eq!(format!("{standings:?}"), format!("{expected:?}"));
}

/// A ranking keeps each card's scores only; the scorecard page's card
/// still gives every deduction with its reason, to the same totals.
#[tokio::test]
async fn the_scorecard_keeps_its_reasons_after_a_ranking_kept_scores_only() {
    let (app, _dir) = demo().await;
    let view = View::load(&app).await.unwrap();
    let county = view.org.units.iter().find(|u| u.name == "县委宣传部").unwrap().id;
    let group = view.org.units.iter().find(|u| u.name == "县民政局党组").unwrap().id;
    let standings = taizhang_app::assessment::ranking(&app, &view, county, 2026).await.unwrap();
    let (card, _) = taizhang_app::assessment::live_card(&app, &view, group, 2026).await.unwrap();
    assert!(card.items.iter().any(|i| !i.deductions.is_empty() && !i.deductions[0].reason.is_empty()), "{card:?}");
    let standing = standings.iter().find(|s| s.unit_id == group).unwrap();
    assert_eq!(standing.auto, card.total());
}

/// The scorecard's card leaves its scores for the dashboard that follows,
/// which then scores nothing again.
#[tokio::test]
async fn the_scorecard_leaves_its_scores_for_the_dashboard() {
    use taizhang_app::evaluations::{cached_card, evaluation_stamped};
    let (app, _dir) = demo().await;
    let view = View::load(&app).await.unwrap();
    let group = view.org.units.iter().find(|u| u.name == "县民政局党组").unwrap().id;
    let (_, stamp) = evaluation_stamped(&app, &view, group, Period::year(2026)).await.unwrap();
    assert!(cached_card(&app, group, 2026, stamp).is_none(), "nothing scored yet");
    let (card, _) = taizhang_app::assessment::live_card(&app, &view, group, 2026).await.unwrap();
    let kept = cached_card(&app, group, 2026, stamp).expect("the scores are kept");
    assert_eq!((kept.total(), kept.max()), (card.total(), card.max()));
    assert!(kept.items.iter().all(|i| i.deductions.is_empty()));
}

/// The warming job keeps every group's row before anybody asks: a server
/// then builds its first roll-up from the kept rows; the job runs once per
/// interval across servers.
#[tokio::test]
async fn the_warming_job_keeps_the_rows_before_anybody_asks() {
    use taizhang_app::evaluations::warming;
    let (app, _dir) = demo().await;
    let every = std::time::Duration::from_secs(600);
    assert_eq!(warming::run_once(&app, every).await.unwrap(), Some(3), "three Party groups");
    assert_eq!(app.evaluations.computed(), 3);
    let other = App { evaluations: Default::default(), org_cache: Default::default(), ..app.clone() };
    assert_eq!(warming::run_once(&other, every).await.unwrap(), None, "run less than the interval ago");
    let (rows, computed) = rollup(&other).await;
    assert_eq!((rows.len(), computed), (3, 0), "the first roll-up of another server evaluates nothing");
}
