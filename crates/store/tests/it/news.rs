//! 信息报送 in the store, on a SQLite file and, when TAIZHANG_TEST_PG is
//! set, on a fresh PostgreSQL database: submissions keep revisions and
//! refuse stale or invalid changes, quotas are one per subject, officers
//! are replaced as a set, everything is in the audit chain, and the
//! evaluation inputs carry it all.

use chrono::NaiveDate;
use taizhang_core::news::{Level, Measure, Officer, Quota, Submission};
use taizhang_core::org::UnitKind;
use taizhang_core::period::Cadence;
use taizhang_core::Period;
use taizhang_store::testing::{fresh_postgres, fresh_sqlite};
use taizhang_store::{Actor, NewPerson, NewUnit, Store, StoreError};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

struct Unit {
    group: i64,
    office: i64,
    people: [i64; 2],
}

async fn unit(store: &Store, name: &str) -> Unit {
    let actor = Actor::system("测试");
    let mut w = store.begin_write().await.unwrap();
    let group = w
        .create_unit(&actor, &NewUnit { name: name.into(), parent_id: None, kind: UnitKind::PartyGroup })
        .await
        .unwrap();
    let office = w
        .create_unit(&actor, &NewUnit { name: "办公室".into(), parent_id: Some(group.id), kind: UnitKind::Department })
        .await
        .unwrap();
    let mut people = [0; 2];
    for (i, n) in ["刘晓雯", "陈静"].into_iter().enumerate() {
        let new =
            NewPerson {
                unit_id: office.id, name: n.into(), title: "科员".into(), username: None, password_hash: None
            };
        people[i] = w.create_person(&actor, &new).await.unwrap().id;
    }
    w.commit().await.unwrap();
    Unit { group: group.id, office: office.id, people }
}

async fn submissions_quotas_and_officers(store: Store) {
    let u = unit(&store, "县测试局党组").await;
    let other = unit(&store, "县另一局党组").await;
    let actor = Actor::system("测试");
    let today = d(11, 23);
    let new = Submission {
        id: 0,
        unit_id: u.group,
        department_id: u.office,
        title: " 县测试局开展冬季救助排查 ".into(),
        authors: vec![u.people[0], u.people[1]],
        outlet: "县委办《每日要情》".into(),
        level: Level::County,
        submitted_on: d(11, 2),
        adopted_on: None,
        issue: String::new(),
    };
    let mut w = store.begin_write().await.unwrap();
    let refused = w.create_news(&actor, &Submission { submitted_on: d(11, 24), ..new.clone() }, today).await;
    assert!(matches!(refused, Err(StoreError::Invalid(m)) if m.contains("报送日期不能晚于今天")));
    let saved = w.create_news(&actor, &new, today).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((saved.title.as_str(), saved.authors.clone()), ("县测试局开展冬季救助排查", new.authors.clone()));

    let mut w = store.begin_write().await.unwrap();
    let bad = w.change_news(&actor, saved.id, Some(1), today, |s| s.adopt(d(11, 1), "", today)).await;
    assert!(matches!(bad, Err(StoreError::Invalid(m)) if m.contains("录用日期")));
    let adopted =
        w.change_news(&actor, saved.id, Some(1), today, |s| s.adopt(d(11, 4), "第210期", today)).await.unwrap();
    let stale = w.change_news(&actor, saved.id, Some(1), today, |_| Ok(())).await;
    assert!(matches!(stale, Err(StoreError::Conflict(m)) if m.contains("第1版")));
    w.commit().await.unwrap();
    assert_eq!((adopted.adopted_on, adopted.issue.as_str()), (Some(d(11, 4)), "第210期"));
    assert_eq!(store.news_submission(saved.id).await.unwrap().unwrap().1, 2);

    // Quotas: one per subject, cadence and measure; deleting is audited.
    let quota = Quota {
        id: 0,
        unit_id: u.group,
        department_id: Some(u.office),
        cadence: Cadence::Quarter,
        measure: Measure::Adopted,
        target: 2,
    };
    let mut w = store.begin_write().await.unwrap();
    let first = w.set_news_quota(&actor, &quota).await.unwrap();
    let changed = w.set_news_quota(&actor, &Quota { target: 3, ..quota.clone() }).await.unwrap();
    assert_eq!((changed.id, changed.target), (first.id, 3));
    let whole = w.set_news_quota(&actor, &Quota { department_id: None, ..quota.clone() }).await.unwrap();
    assert_ne!(whole.id, first.id, "the whole unit's quota is another");
    assert!(w.set_news_quota(&actor, &Quota { target: 0, ..quota.clone() }).await.is_err());
    assert!(w.delete_news_quota(&actor, other.group, whole.id).await.is_err(), "not another unit's quota");
    w.delete_news_quota(&actor, u.group, whole.id).await.unwrap();
    // Officers are replaced as a set.
    w.set_news_officers(&actor, u.group, u.office, &u.people).await.unwrap();
    w.set_news_officers(&actor, u.group, u.office, &[u.people[1]]).await.unwrap();
    w.set_news_officers(&actor, other.group, other.office, &[other.people[0]]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(store.news_quotas(&[u.group]).await.unwrap(), vec![changed.clone()]);

    let data = store.news_data(u.group, Some((d(11, 1), d(11, 30)))).await.unwrap();
    assert_eq!(data.submissions, vec![adopted.clone()]);
    assert_eq!(data.officers, vec![Officer { department_id: u.office, person_id: u.people[1] }]);
    assert!(store.news_data(u.group, Some((d(1, 1), d(1, 31)))).await.unwrap().submissions.is_empty());

    // The evaluation inputs carry each group's own, for one group and many.
    let period = Period::year(2026);
    let one = store.evaluation_inputs(&[u.group], period).await.unwrap();
    assert_eq!((one.groups[0].news.submissions.len(), one.groups[0].news.quotas.len()), (1, 1));
    let both = store.evaluation_inputs(&[u.group, other.group], period).await.unwrap();
    let news: Vec<(usize, usize, usize)> =
        both.groups.iter().map(|g| (g.news.submissions.len(), g.news.quotas.len(), g.news.officers.len())).collect();
    assert_eq!(news, [(1, 1, 1), (0, 0, 1)]);
    assert!(store.verify().await.unwrap().is_ok(), "every change, deletions too, is in the audit chain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_quotas_and_officers_on_both() {
    let dir = tempfile::tempdir().unwrap();
    submissions_quotas_and_officers(fresh_sqlite(dir.path()).await.unwrap()).await;
    match fresh_postgres().await {
        Some(pg) => submissions_quotas_and_officers(pg).await,
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}
