//! Store tests on a real SQLite file and, when TAIZHANG_TEST_PG is set, on
//! a fresh PostgreSQL database: the same assertions on both.

use chrono::NaiveDate;
use sqlx::Executor;
use taizhang_core::drafts::{ReviewStatus, Reviewers, Stage};
use taizhang_core::org::{Role, RoleKind, UnitKind};
use taizhang_core::record::*;
use taizhang_core::Period;
use taizhang_store::testing::{fresh_postgres, fresh_sqlite};
use taizhang_store::*;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Runs a test body on SQLite, then on PostgreSQL if configured.
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let dir = tempfile::tempdir().unwrap();
            let sqlite = fresh_sqlite(dir.path()).await.unwrap();
            $body(sqlite, Some(dir.path().join("taizhang-test.db"))).await;
            match fresh_postgres().await {
                Some(pg) => $body(pg, None).await,
                None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
            }
        }
    };
}

pub(crate) struct Seed {
    pub unit: i64,
    pub branch: i64,
    pub person: i64,
}

pub(crate) async fn seed(store: &Store) -> Seed {
    let actor = Actor::system("测试");
    let mut w = store.begin_write().await.unwrap();
    let top = w
        .create_unit(&actor, &NewUnit { name: "县委宣传部".into(), parent_id: None, kind: UnitKind::Superior })
        .await
        .unwrap();
    let unit = w
        .create_unit(
            &actor,
            &NewUnit { name: "县测试局党组".into(), parent_id: Some(top.id), kind: UnitKind::PartyGroup },
        )
        .await
        .unwrap();
    let branch = w
        .create_unit(&actor, &NewUnit { name: "机关党支部".into(), parent_id: Some(unit.id), kind: UnitKind::Branch })
        .await
        .unwrap();
    let person = w
        .create_person(
            &actor,
            &NewPerson {
                unit_id: unit.id,
                name: "王书记".into(),
                title: "党组书记".into(),
                username: Some("wang".into()),
                password_hash: Some("h".into()),
            },
        )
        .await
        .unwrap();
    w.add_role(&actor, &Role { person_id: person.id, kind: RoleKind::Secretary, scope: unit.id, in_charge_of: vec![] })
        .await
        .unwrap();
    w.commit().await.unwrap();
    Seed { unit: unit.id, branch: branch.id, person: person.id }
}

pub(crate) fn meeting(topic: &str) -> RecordData {
    RecordData::BranchMeeting(BranchMeeting {
        meeting_type: BranchMeetingType::Committee,
        topic: topic.into(),
        due: 5,
        present: 5,
        ..Default::default()
    })
}

async fn count(store: &Store, sql: &str) -> i64 {
    store.scalar_for_tests(sql).await
}

async fn records_keep_revisions_and_refuse_stale_edits(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let mut w = store.begin_write().await.unwrap();
    let rec = w
        .create_record(
            &actor,
            &NewRecord { unit_id: s.branch, occurred_on: d(2026, 3, 5), data: meeting("三月支委会") },
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(rec.revision, 1);

    let mut w = store.begin_write().await.unwrap();
    let updated = w.update_record(&actor, rec.id, Some(1), d(2026, 3, 6), &meeting("三月支委会（改）")).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(updated.revision, 2);
    let stored = store.record(rec.id).await.unwrap().unwrap();
    assert_eq!((stored.revision, stored.occurred_on), (2, d(2026, 3, 6)));
    let revisions = store.revisions(rec.id).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].revision, 1);
    assert_eq!(revisions[0].data, meeting("三月支委会"));

    // Someone still holding revision 1 cannot overwrite revision 2.
    let mut w = store.begin_write().await.unwrap();
    let err = w.update_record(&actor, rec.id, Some(1), d(2026, 3, 6), &meeting("覆盖")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    drop(w);

    let found =
        store.records(&[s.branch], Some(RecordKind::BranchMeeting), d(2026, 1, 1), d(2026, 12, 31)).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(store.records(&[s.unit], None, d(2026, 1, 1), d(2026, 12, 31)).await.unwrap().is_empty());
    assert!(store.verify().await.unwrap().is_ok());
}
on_both!(records_keep_revisions_and_refuse_stale_edits_on_both, records_keep_revisions_and_refuse_stale_edits);

/// The engine's inputs read records packed per unit (see
/// `packed_records`): they carry exactly what the records list does, text
/// with tabs, line breaks, quotes and characters outside the BMP intact,
/// the latest revision, nothing voided and nothing outside the window.
async fn evaluation_inputs_carry_the_records_as_stored(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let awkward = "制表\t换行\n回车\r引号\"反斜杠\\ 记录𠮷";
    let study = RecordData::Study(StudySession {
        title: awkward.into(),
        attendees: vec!["甲".into(), "乙".into()],
        absentees: vec![Absence { name: "丙".into(), reason: awkward.into() }],
        summary: "小结".into(),
        ..Default::default()
    });
    let report = RecordData::Report(Report {
        report_type: "ideology".into(),
        period: "2026H1".into(),
        title: "半年报告".into(),
        submitted_on: Some(d(2026, 7, 2)),
        ..Default::default()
    });
    let mut w = store.begin_write().await.unwrap();
    let new = |unit_id, occurred_on, data| NewRecord { unit_id, occurred_on, data };
    w.create_record(&actor, &new(s.unit, d(2026, 3, 1), study)).await.unwrap();
    w.create_record(&actor, &new(s.unit, d(2026, 7, 1), report)).await.unwrap();
    let edited = w.create_record(&actor, &new(s.branch, d(2026, 4, 1), meeting("四月支委会"))).await.unwrap();
    let voided = w.create_record(&actor, &new(s.branch, d(2026, 5, 1), meeting("作废"))).await.unwrap();
    w.create_record(&actor, &new(s.branch, d(2023, 5, 1), meeting("窗口之外"))).await.unwrap();
    w.update_record(&actor, edited.id, Some(1), d(2026, 4, 2), &meeting("四月支委会（改）")).await.unwrap();
    w.void_record(&actor, voided.id, "重复录入").await.unwrap();
    w.commit().await.unwrap();

    let inputs = store.evaluation_inputs(&[s.unit], Period::year(2026)).await.unwrap();
    let read = &inputs.groups[0].records;
    let listed = store.records(&[s.unit, s.branch], None, d(2024, 1, 1), d(2027, 12, 31)).await.unwrap();
    assert_eq!(read, &listed);
    assert_eq!(read.len(), 3, "voided and out-of-window records are left out");
    assert!(read.iter().any(|r| r.data.title() == awkward));
    assert!(read.iter().any(|r| r.id == edited.id && r.revision == 2 && r.occurred_on == d(2026, 4, 2)));
}
on_both!(evaluation_inputs_carry_the_records_as_stored_on_both, evaluation_inputs_carry_the_records_as_stored);

/// The bulk path (`taizhang seed`) writes the same chain as one record at
/// a time: mixed with single writes in one transaction and across
/// transactions, more rows than one statement takes, it verifies; a record
/// refused in the batch leaves nothing behind.
async fn bulk_records_chain_like_single_ones(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let batch: Vec<NewRecord> = (0..950)
        .map(|i| NewRecord {
            unit_id: s.branch,
            occurred_on: d(2026, 1, 1) + chrono::Days::new(i % 300),
            data: meeting(&format!("支委会{i}")),
        })
        .collect();
    let mut w = store.begin_write().await.unwrap();
    w.create_record(&actor, &batch[0]).await.unwrap();
    let ids = w.create_records(&actor, &batch[1..]).await.unwrap();
    w.create_record(&actor, &batch[0]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(ids.len(), 949);
    assert!(ids.windows(2).all(|p| p[0] < p[1]));
    let mut w = store.begin_write().await.unwrap();
    w.create_records(&actor, &batch[..3]).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM records").await, 954);
    let chain = store.verify().await.unwrap().expect("an intact chain");
    assert_eq!(chain.entries as i64, count(&store, "SELECT COUNT(*) FROM audit").await);

    let mut bad = batch[..3].to_vec();
    bad[2].data = meeting("");
    let mut w = store.begin_write().await.unwrap();
    assert!(matches!(w.create_records(&actor, &bad).await, Err(StoreError::Fields(_))));
    drop(w);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM records").await, 954);
    assert_eq!(store.audit_head().await.unwrap(), chain);
}
on_both!(bulk_records_chain_like_single_ones_on_both, bulk_records_chain_like_single_ones);

async fn bad_input_writes_nothing(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let audit_before = count(&store, "SELECT COUNT(*) FROM audit").await;
    // A batch whose third record is invalid: nothing of it may remain.
    let mut w = store.begin_write().await.unwrap();
    w.create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, 1, 5), data: meeting("一") })
        .await
        .unwrap();
    w.create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, 2, 5), data: meeting("二") })
        .await
        .unwrap();
    let err = w
        .create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, 3, 5), data: meeting("") })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("请填写会议主题"), "{err}");
    drop(w); // rolled back, as an interrupted write would be
    assert_eq!(count(&store, "SELECT COUNT(*) FROM records").await, 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit").await, audit_before);

    // A malformed duty list is refused whole.
    let mut w = store.begin_write().await.unwrap();
    let err = w.save_duty_list(&actor, "[list]\nid = 1\n", None).await.unwrap_err();
    assert!(err.to_string().contains("第2行"), "{err}");
    drop(w);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM duty_lists").await, 0);
    assert!(store.verify().await.unwrap().is_ok());
}
on_both!(bad_input_writes_nothing_on_both, bad_input_writes_nothing);

async fn duty_lists_adopt_and_merge(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let default_items = store.duty_items_for(s.unit).await.unwrap();
    assert!(default_items.len() >= 17, "without adoption the default list applies");
    let local = r#"
[list]
id = "local"
name = "本单位补充事项"
version = "1"

[[item]]
id = "study-sessions"
title = "中心组集体学习"
category = "理论学习"
owner = "secretary"
rule = { type = "count", record = "study", per = "year", min = 8 }

[[item]]
id = "local-visit"
title = "走访慰问"
category = "本单位事项"
owner = "secretary"
rule = { type = "count", record = "analysis", per = "half", min = 1 }
"#;
    let mut w = store.begin_write().await.unwrap();
    let (default_id, _) = w.save_duty_list(&actor, taizhang_core::duty::DEFAULT_LIST_TOML, None).await.unwrap();
    let (local_id, _) = w.save_duty_list(&actor, local, Some(s.unit)).await.unwrap();
    let org = store.org().await.unwrap();
    let tree = org.tree();
    let top = org.units.iter().find(|u| u.kind == UnitKind::Superior).unwrap().id;
    assert_eq!(w.issue_to_subtree(&actor, &tree, top, default_id).await.unwrap(), 1);
    w.adopt(&actor, s.unit, local_id).await.unwrap();
    w.adopt(&actor, s.unit, local_id).await.unwrap(); // twice is once
    w.commit().await.unwrap();
    let items = store.duty_items_for(s.unit).await.unwrap();
    assert_eq!(items.len(), default_items.len() + 1);
    let study = items.iter().find(|i| i.id == "study-sessions").unwrap();
    assert!(matches!(study.rule, taizhang_core::duty::Rule::Count { min: 8, .. }));
    assert_eq!(store.duty_lists().await.unwrap().len(), 2);

    let inputs = store.evaluation_inputs(&[s.unit, s.branch], Period::year(2026)).await.unwrap();
    assert_eq!(inputs.groups.len(), 1, "only Party groups are evaluated");
    assert_eq!(inputs.groups[0].branches.len(), 1);
}
on_both!(duty_lists_adopt_and_merge_on_both, duty_lists_adopt_and_merge);

async fn sessions_expire_and_failures_count(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let now = chrono::Utc::now();
    store.create_session("h1", s.person, "csrf1", "web", now + chrono::Duration::hours(1)).await.unwrap();
    store.create_session("h2", s.person, "csrf2", "api", now - chrono::Duration::seconds(1)).await.unwrap();
    assert_eq!(store.session("h1", now).await.unwrap().unwrap().csrf, "csrf1");
    assert!(store.session("h2", now).await.unwrap().is_none(), "expired");
    assert!(store.session("nope", now).await.unwrap().is_none());
    store.delete_session("h1").await.unwrap();
    assert!(store.session("h1", now).await.unwrap().is_none());
    for _ in 0..3 {
        store.record_login_failure("wang").await.unwrap();
    }
    let since = now - chrono::Duration::minutes(15);
    assert_eq!(store.login_failures_since("wang", since).await.unwrap(), 3);
    assert_eq!(store.login_failures_since("li", since).await.unwrap(), 0);
    store.clear_login_failures("wang").await.unwrap();
    assert_eq!(store.login_failures_since("wang", since).await.unwrap(), 0);
    let login = store.login("wang").await.unwrap().unwrap();
    assert_eq!((login.person.name.as_str(), login.active), ("王书记", true));

    // Pruning removes expired sessions and day-old failures, nothing else.
    store.create_session("h3", s.person, "csrf3", "web", now + chrono::Duration::hours(1)).await.unwrap();
    store.record_login_failure("zhao").await.unwrap();
    store.prune_sessions(now).await.unwrap();
    let count = |sql: &'static str| async {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(store.pool_for_tests()).await.unwrap()
    };
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 1, "h2 expired and went, h3 stays");
    assert_eq!(count("SELECT COUNT(*) FROM login_failures").await, 1, "a fresh failure stays");
    store.prune_sessions(now + chrono::Duration::days(2)).await.unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM login_failures").await, 0);
}
on_both!(sessions_expire_and_failures_count_on_both, sessions_expire_and_failures_count);

/// Tampering with the database behind the system's back is found by verify.
async fn verify_finds_tampering(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let mut w = store.begin_write().await.unwrap();
    for m in 1..=3 {
        w.create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, m, 5), data: meeting("支委会") })
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
    let intact = store.verify().await.unwrap().expect("intact chain");
    assert_eq!(intact.entries as i64, count(&store, "SELECT COUNT(*) FROM audit").await);
    assert_eq!(store.audit_head().await.unwrap(), intact);

    let cases: &[(&str, &str, &str)] = &[
        (
            "UPDATE records SET data = REPLACE(data, '支委会', '党员大会') WHERE id = (SELECT MIN(id) FROM records)",
            "UPDATE records SET data = REPLACE(data, '党员大会', '支委会')",
            "records 表",
        ),
        (
            "UPDATE audit SET actor = '别人' WHERE id = (SELECT MIN(id) FROM audit) + 2",
            "UPDATE audit SET actor = '系统：测试' WHERE actor = '别人'",
            "审计记录第",
        ),
        (
            "UPDATE units SET name = '改名' WHERE kind = 'branch'",
            "UPDATE units SET name = '机关党支部' WHERE kind = 'branch'",
            "units 表",
        ),
    ];
    for (tamper, restore, expect) in cases {
        store.exec_for_tests(tamper).await;
        let broken = store.verify().await.unwrap().expect_err(tamper);
        assert!(broken.message.contains(expect), "{tamper}: {}", broken.message);
        store.exec_for_tests(restore).await;
        assert!(store.verify().await.unwrap().is_ok(), "restored after {tamper}");
    }
    // A deleted audit entry in the middle breaks the link to it.
    store.exec_for_tests("DELETE FROM audit WHERE id = (SELECT MIN(id) FROM audit) + 3").await;
    let broken = store.verify().await.unwrap().unwrap_err();
    assert!(broken.entry_id.is_some() && broken.message.contains("前序哈希"), "{}", broken.message);
}
on_both!(verify_finds_tampering_on_both, verify_finds_tampering);

async fn verify_finds_inserted_and_deleted_rows(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let mut w = store.begin_write().await.unwrap();
    let rec = w
        .create_record(&actor, &NewRecord { unit_id: s.branch, occurred_on: d(2026, 1, 5), data: meeting("支委会") })
        .await
        .unwrap();
    w.commit().await.unwrap();
    store.exec_for_tests(&format!("DELETE FROM records WHERE id = {}", rec.id)).await;
    let broken = store.verify().await.unwrap().unwrap_err();
    assert!(broken.message.contains("被删除"), "{}", broken.message);
    store
        .exec_for_tests(&format!(
            "INSERT INTO records (id, unit_id, kind, occurred_on, entered_at, revision, data, deleted) VALUES ({}, {}, 'branch_meeting', '2026-01-05', '2026-01-05T00:00:00Z', 1, '{{}}', 0)",
            rec.id + 100,
            s.branch
        ))
        .await;
    let broken = store.verify().await.unwrap().unwrap_err();
    assert!(broken.message.contains("绕过系统插入"), "{}", broken.message);
}
on_both!(verify_finds_inserted_and_deleted_rows_on_both, verify_finds_inserted_and_deleted_rows);

#[tokio::test]
async fn migrations_are_idempotent_and_sqlite_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    store.close().await;
    let store = fresh_sqlite(dir.path()).await.unwrap();
    let applied = store.scalar_for_tests("SELECT COUNT(*) FROM schema_migrations").await;
    assert_eq!(applied, taizhang_store::testing::migration_count() as i64, "each applied once");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool_for_tests()).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(store.pool_for_tests()).await.unwrap();
    assert_eq!(fk, 1);
    let _ = store.pool_for_tests().execute("SELECT 1").await.unwrap();
    store.ping().await.unwrap();
}

/// A person of the seeded unit, as the audit actor and the review sees them.
async fn colleague(store: &Store, unit: i64, name: &str) -> Actor {
    let mut w = store.begin_write().await.unwrap();
    let new = NewPerson { unit_id: unit, name: name.into(), title: String::new(), username: None, password_hash: None };
    let p = w.create_person(&Actor::system("测试"), &new).await.unwrap();
    w.commit().await.unwrap();
    Actor { person_id: Some(p.id), name: name.into() }
}

async fn step(store: &Store, by: &Actor, draft: i64, version: Option<u32>, s: ReviewStep) -> Result<Draft, StoreError> {
    let mut w = store.begin_write().await.unwrap();
    let (d, _) = w.review_draft(by, draft, version, s).await?;
    w.commit().await.unwrap();
    Ok(d)
}

fn approve(stage: Stage) -> ReviewStep {
    ReviewStep::Approve { stage, opinion: "同意".into(), acknowledged: vec![] }
}

async fn drafts_follow_the_review_rules(store: Store, _: Option<std::path::PathBuf>) {
    let s = seed(&store).await;
    let (author, first, second, last) = (
        colleague(&store, s.unit, "刘编辑").await,
        colleague(&store, s.unit, "陈主任").await,
        colleague(&store, s.unit, "李副局长").await,
        colleague(&store, s.unit, "王局长").await,
    );
    let id = |a: &Actor| a.person_id.unwrap();
    let mut w = store.begin_write().await.unwrap();
    let channel = w
        .create_channel(
            &author,
            &NewChannel {
                unit_id: s.unit,
                name: "微信公众号".into(),
                kind: "wechat".into(),
                account: String::new(),
                owner: None,
            },
        )
        .await
        .unwrap();
    let reviewers =
        Reviewers { first: vec![id(&first), id(&second)], second: vec![id(&second)], last: vec![id(&last)] };
    w.set_channel_reviewers(&author, channel.id, &reviewers).await.unwrap();
    let draft = w
        .create_draft(&author, &NewDraft { channel_id: channel.id, title: "  标题 ".into(), body: "正文。".into() })
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(
        (draft.title.as_str(), draft.unit_id, draft.review.status()),
        ("标题", s.unit, ReviewStatus::Awaiting(Stage::First))
    );
    assert_eq!(store.channel_reviewers(channel.id).await.unwrap(), reviewers);

    // 李副局长 may sign 初审 or 复审, but not both.
    step(&store, &second, draft.id, Some(1), approve(Stage::First)).await.unwrap();
    let err = step(&store, &second, draft.id, Some(1), approve(Stage::Second)).await.unwrap_err();
    assert!(err.to_string().contains("同一人不得担任两个审校环节"), "{err}");
    let err = step(&store, &first, draft.id, Some(1), approve(Stage::Second)).await.unwrap_err();
    assert!(err.to_string().contains("不是本阵地“复审二校”的审核人"), "{err}");
    let unchanged = store.draft(draft.id).await.unwrap().unwrap();
    assert_eq!(unchanged.review.signed.len(), 1, "a refused step writes nothing");

    // The author's edit clears the sign-off; a reviewer holding the old version is refused.
    let edit = ReviewStep::Edit { title: "标题".into(), body: "改过的正文。".into() };
    let mut w = store.begin_write().await.unwrap();
    let (edited, cleared) = w.review_draft(&author, draft.id, Some(1), edit).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((edited.review.version, cleared), (2, vec![Stage::First]));
    assert!(matches!(
        step(&store, &first, draft.id, Some(1), approve(Stage::First)).await,
        Err(StoreError::Conflict(_))
    ));
    let publish = ReviewStep::Publish { url: "https://example.gov.cn/a/1".into(), on: d(2026, 11, 20) };
    let err = step(&store, &author, draft.id, Some(2), publish.clone()).await.unwrap_err();
    assert!(err.to_string().contains("先审后发"), "{err}");

    step(&store, &first, draft.id, Some(2), approve(Stage::First)).await.unwrap();
    let err = step(&store, &second, draft.id, Some(2), approve(Stage::Second)).await.unwrap_err();
    assert!(err.to_string().contains("同一人不得"), "the first version's 初审 still counts: {err}");
    let other = colleague(&store, s.unit, "赵副局长").await;
    let mut w = store.begin_write().await.unwrap();
    let more = Reviewers { second: vec![id(&second), id(&other)], ..reviewers.clone() };
    w.set_channel_reviewers(&author, channel.id, &more).await.unwrap();
    w.commit().await.unwrap();
    step(&store, &other, draft.id, Some(2), approve(Stage::Second)).await.unwrap();
    step(&store, &last, draft.id, Some(2), approve(Stage::Final)).await.unwrap();
    let published = step(&store, &author, draft.id, Some(2), publish).await.unwrap();
    assert_eq!(published.review.status(), ReviewStatus::Published);

    // Publishing records the channel's update for the freshness duty.
    let updates =
        store.records(&[s.unit], Some(RecordKind::ChannelUpdate), d(2026, 11, 1), d(2026, 11, 30)).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert!(
        matches!(&updates[0].data, RecordData::ChannelUpdate(u) if u.channel_id == channel.id && u.url == "https://example.gov.cn/a/1")
    );
    let listed =
        store.drafts(&[s.unit], chrono::Utc::now() - chrono::Duration::days(1), chrono::Utc::now()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(store.verify().await.unwrap().is_ok(), "every step is in the audit chain");
}
on_both!(drafts_follow_the_review_rules_on_both, drafts_follow_the_review_rules);

async fn rectifications_change_under_their_rules(store: Store, _: Option<std::path::PathBuf>) {
    use taizhang_core::rectification::{FindingSource, Rectification};
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let new = Rectification {
        id: 0,
        unit_id: s.unit,
        source: FindingSource::Patrol,
        found_on: d(2026, 9, 1),
        problem: "问题".into(),
        measures: String::new(),
        owner: Some(s.person),
        deadline: d(2026, 10, 31),
        evidence: String::new(),
        rectified_on: None,
        closed_on: None,
        opinion: String::new(),
    };
    let mut w = store.begin_write().await.unwrap();
    assert!(w.create_rectification(&actor, &Rectification { deadline: d(2026, 8, 1), ..new.clone() }).await.is_err());
    let saved = w.create_rectification(&actor, &new).await.unwrap();
    w.commit().await.unwrap();
    let mut w = store.begin_write().await.unwrap();
    let refused = w
        .change_rectification(&actor, saved.id, Some(1), |r| r.report_rectified(d(2026, 10, 1), d(2026, 11, 1), "佐证"))
        .await;
    assert!(matches!(refused, Err(StoreError::Invalid(m)) if m.contains("整改措施")));
    w.change_rectification(&actor, saved.id, Some(1), |r| r.revise("措施", None)).await.unwrap();
    let done = w
        .change_rectification(&actor, saved.id, Some(2), |r| {
            r.report_rectified(d(2026, 10, 20), d(2026, 11, 1), "佐证")
        })
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!((done.rectified_on, done.owner), (Some(d(2026, 10, 20)), None));
    assert_eq!(store.rectification(saved.id).await.unwrap().unwrap().1, 3);
    let inputs = store.evaluation_inputs(&[s.unit], Period::parse("2026").unwrap()).await.unwrap();
    assert_eq!(inputs.groups[0].rectifications, vec![done]);
    assert!(store.verify().await.unwrap().is_ok());
}
on_both!(rectifications_change_under_their_rules_on_both, rectifications_change_under_their_rules);

// `..Default::default()` so a field added to the ledger needs no edit here.
#[allow(clippy::needless_update)]
pub(crate) fn risk_entry(title: &str, owner: i64) -> taizhang_core::risk::RiskInput {
    use taizhang_core::risk::{RiskInput, RiskLevel, RiskStatus};
    RiskInput {
        domain: "殡葬改革".into(),
        title: title.into(),
        level: RiskLevel::High,
        description: "清明节前后群众对禁燃政策有意见".into(),
        measures: "提前开展政策解读，设立咨询点".into(),
        owner_id: Some(owner),
        status: RiskStatus::Controlled,
        identified_on: d(2026, 3, 1),
        ..Default::default()
    }
}

/// Risks are audited, titles are unique per ledger, stale edits are
/// refused, and a review writes the engine's `risk_review` record with it.
async fn risk_ledger_reviews_write_the_engines_record(store: Store, _: Option<std::path::PathBuf>) {
    use taizhang_core::risk::RiskStatus;
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let mut w = store.begin_write().await.unwrap();
    let a = w.create_risk(&actor, s.unit, &risk_entry("祭扫舆情风险", s.person)).await.unwrap();
    let b = w.create_risk(&actor, s.unit, &risk_entry("殡仪服务收费投诉风险", s.person)).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((a.revision, a.last_review), (1, None));

    let mut w = store.begin_write().await.unwrap();
    let err = w.create_risk(&actor, s.unit, &risk_entry("祭扫舆情风险", s.person)).await.unwrap_err();
    assert!(err.to_string().contains("已在本单位的台账中"), "{err}");
    let blank = taizhang_core::risk::RiskInput { measures: " ".into(), ..risk_entry("新风险", s.person) };
    assert!(matches!(w.create_risk(&actor, s.unit, &blank).await.unwrap_err(), StoreError::Fields(_)));
    drop(w);

    let mut w = store.begin_write().await.unwrap();
    let edited = taizhang_core::risk::RiskInput { measures: "增设咨询点3个".into(), ..a.entry.clone() };
    let a2 = w.update_risk(&actor, a.id, Some(1), &edited).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((a2.revision, a2.entry.measures.as_str()), (2, "增设咨询点3个"));
    let mut w = store.begin_write().await.unwrap();
    assert!(matches!(w.update_risk(&actor, a.id, Some(1), &edited).await.unwrap_err(), StoreError::Conflict(_)));
    drop(w);

    let review = LedgerReview {
        reviewed_on: d(2026, 6, 20),
        reviewer: "王书记".into(),
        conclusion: "措施落实到位".into(),
        next_review: d(2026, 9, 18),
        outcomes: vec![(a.id, RiskStatus::Controlled), (b.id, RiskStatus::Resolved)],
    };
    let mut w = store.begin_write().await.unwrap();
    let (record, rows) = w.review_risks(&actor, s.unit, &review).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((record.unit_id, record.occurred_on, rows.len()), (s.unit, d(2026, 6, 20), 2));
    let RecordData::RiskReview(r) = &record.data else { panic!("{record:?}") };
    assert_eq!((r.risks_count, r.next_review), (2, Some(d(2026, 9, 18))));
    assert!(
        r.conclusion.starts_with("复核风险点2项：祭扫舆情风险、殡仪服务收费投诉风险。措施落实到位"),
        "{}",
        r.conclusion
    );
    assert!(rows.iter().all(|v| v.record_id == record.id));

    let ledger = store.risks(s.unit).await.unwrap();
    assert_eq!(ledger[0].last_review, Some((d(2026, 6, 20), Some(d(2026, 9, 18)))));
    assert_eq!((ledger[1].entry.status, ledger[1].revision), (RiskStatus::Resolved, 2));
    assert_eq!(store.risk_reviews(b.id).await.unwrap()[0].status, RiskStatus::Resolved);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM records WHERE kind = 'risk_review'").await, 1);

    // A review of nothing, or of another unit's risk, writes nothing.
    let audit = count(&store, "SELECT COUNT(*) FROM audit").await;
    let mut w = store.begin_write().await.unwrap();
    let empty = LedgerReview { outcomes: vec![], ..review.clone() };
    assert!(w.review_risks(&actor, s.unit, &empty).await.is_err());
    assert!(w.review_risks(&actor, s.branch, &review).await.unwrap_err().to_string().contains("不属于本单位"));
    drop(w);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit").await, audit);
    assert!(store.verify().await.unwrap().is_ok());
}
on_both!(risk_ledger_reviews_write_the_engines_record_on_both, risk_ledger_reviews_write_the_engines_record);

async fn feedback_steps_are_checked_and_audited(store: Store, _: Option<std::path::PathBuf>) {
    use chrono::{TimeZone, Utc};
    use taizhang_core::feedback::*;
    let s = seed(&store).await;
    let staff = colleague(&store, s.unit, "刘科员").await;
    let person = |a: &Actor| taizhang_core::drafts::Person { id: a.person_id.unwrap(), name: a.name.clone() };
    let at = |h: u32| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
    let now = at(12);
    let new = NewFeedback {
        source: Source::checked(SourceKind::Hotline, "12345", None).unwrap(),
        summary: "咨询临时救助申请条件".into(),
        category: "政策咨询".into(),
        level: Level::General,
        owner: person(&staff),
        discovered: Step::new(StepKind::Discover, at(1), person(&staff), ""),
    };
    let mut w = store.begin_write().await.unwrap();
    let item = w.create_feedback(&staff, s.unit, new, now).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(item.feedback.status(), FeedbackStatus::Awaiting(StepKind::Verify));

    let record = |step: Step| {
        let store = store.clone();
        let staff = staff.clone();
        async move {
            let mut w = store.begin_write().await.unwrap();
            let done = w.record_feedback_step(&staff, item.id, step, now).await?;
            w.commit().await.unwrap();
            Ok::<_, StoreError>(done)
        }
    };
    let audit = store.scalar_for_tests("SELECT COUNT(*) FROM audit").await;
    let err = record(Step::new(StepKind::Handle, at(2), person(&staff), "已处置")).await.unwrap_err();
    assert_eq!(err.to_string(), "应先完成“核实”，才能登记“处置”");
    assert_eq!(store.scalar_for_tests("SELECT COUNT(*) FROM audit").await, audit, "a refused step writes nothing");

    record(Step::new(StepKind::Verify, at(2), person(&staff), "属实")).await.unwrap();
    record(Step::new(StepKind::Handle, at(3), person(&staff), "已解答")).await.unwrap();
    let respond =
        Step { form: Some(ResponseForm::Reply), ..Step::new(StepKind::Respond, at(4), person(&staff), "电话答复") };
    record(respond).await.unwrap();
    let closed = record(Step::new(StepKind::Close, at(5), person(&staff), "")).await.unwrap();
    assert_eq!(closed.feedback.status(), FeedbackStatus::Closed);
    let status = store
        .scalar_for_tests(&format!(
            "SELECT COUNT(*) FROM feedback WHERE status = 'closed' AND closed_at IS NOT NULL AND id = {}",
            item.id
        ))
        .await;
    assert_eq!(status, 1, "derived columns follow the data");
    let listed = store.feedback_items(&[s.unit]).await.unwrap();
    assert_eq!(listed, vec![store.feedback_item(item.id).await.unwrap().unwrap()]);
    assert!(store.feedback_items(&[s.branch]).await.unwrap().is_empty());
    assert!(store.verify().await.unwrap().is_ok(), "every step is in the audit chain");
}
on_both!(feedback_steps_are_checked_and_audited_on_both, feedback_steps_are_checked_and_audited);

/// An assessment is created by its first step, every step is audited,
/// refused and stale steps write nothing, the submitted card is kept as
/// submitted, and a list's `[assessment]` parameters reach the unit.
async fn assessments_follow_their_steps(store: Store, _: Option<std::path::PathBuf>) {
    use taizhang_core::assessment::{auto_score, Adjustment, Rules, Score, State};
    let s = seed(&store).await;
    let actor = Actor { person_id: Some(s.person), name: "王书记".into() };
    let rules = store.assessment_rules_for(&[s.unit]).await.unwrap().remove(&s.unit).unwrap();
    assert_eq!(rules, Rules::default(), "no list adopted: the defaults");
    let inputs = store.evaluation_inputs(&[s.unit], Period::year(2025)).await.unwrap();
    let g = &inputs.groups[0];
    let eval = taizhang_core::evaluate(&g.items, &g.context(), Period::year(2025), d(2026, 1, 10));
    let live = auto_score(&g.items, &eval, &rules);
    assert!(live.total() < live.max(), "an empty year loses points");

    let (fresh, revision) = store.assessment(s.unit, 2025).await.unwrap();
    assert_eq!((fresh.state, revision), (State::Draft, 0));
    let audit = count(&store, "SELECT COUNT(*) FROM audit").await;
    let adjust = |reason: &str| Adjustment {
        item_id: "study-sessions".into(),
        delta: Score::parse("5").unwrap(),
        reason: reason.into(),
        evidence: "《2025年中心组学习记录本》".into(),
    };
    let mut w = store.begin_write().await.unwrap();
    let refused = w.change_assessment(&actor, s.unit, 2025, Some(0), |a| a.adjust(&live, adjust(" "))).await;
    assert!(matches!(refused, Err(StoreError::Invalid(m)) if m.contains("理由")));
    let (a, revision) =
        w.change_assessment(&actor, s.unit, 2025, Some(0), |a| a.adjust(&live, adjust("纸质台账"))).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((a.adjustments.len(), revision), (1, 1));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit").await, audit + 1, "one entry for the new row");

    let mut w = store.begin_write().await.unwrap();
    let stale = w.change_assessment(&actor, s.unit, 2025, Some(0), |a| a.remove_adjustment("study-sessions")).await;
    assert!(matches!(stale, Err(StoreError::Conflict(m)) if m.contains("第0版")));
    let early = w.change_assessment(&actor, s.unit, 2025, Some(1), |a| a.submit(live.clone(), d(2025, 11, 1), &rules));
    assert!(matches!(early.await, Err(StoreError::Invalid(m)) if m.contains("2025年12月1日")));
    w.change_assessment(&actor, s.unit, 2025, Some(1), |a| a.submit(live.clone(), d(2026, 1, 10), &rules))
        .await
        .unwrap();
    w.change_assessment(&actor, s.unit, 2025, None, |a| a.review("study-sessions", Score::points(6), "抽查"))
        .await
        .unwrap();
    let (done, revision) =
        w.change_assessment(&actor, s.unit, 2025, Some(3), |a| a.finalise(d(2026, 1, 20), "同意")).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((done.state, revision), (State::Finalised, 4));
    let (read, revision) = store.assessment(s.unit, 2025).await.unwrap();
    assert_eq!((&read, revision), (&done, 4), "what was written reads back whole");
    assert_eq!(read.submitted.as_ref(), Some(&live), "the card as submitted");
    let card = read.scorecard(&live);
    let study = card.lines.iter().find(|l| l.item.item_id == "study-sessions").unwrap();
    assert_eq!(card.final_total(), Some(card.self_total() - study.self_score + Score::points(6)), "the review counts");
    let year = store.assessments_of_year(2025).await.unwrap();
    assert_eq!(year.keys().copied().collect::<Vec<_>>(), [s.unit]);
    assert!(store.assessments_of_year(2026).await.unwrap().is_empty());

    // A list that sets the parameters, adopted by the unit.
    let source =
        format!("{}\n[assessment]\nlate = 0.3\nsubmit_by = \"+01-31\"\n", taizhang_core::duty::DEFAULT_LIST_TOML);
    let mut w = store.begin_write().await.unwrap();
    let (list, _) = w.save_duty_list(&actor, &source, None).await.unwrap();
    w.adopt(&actor, s.unit, list).await.unwrap();
    w.commit().await.unwrap();
    let rules = store.assessment_rules_for(&[s.unit]).await.unwrap().remove(&s.unit).unwrap();
    assert_eq!((rules.late, rules.submit_by.as_str()), (0.3, "+01-31"));
    assert!(store.verify().await.unwrap().is_ok(), "every step is in the audit chain");
}
on_both!(assessments_follow_their_steps_on_both, assessments_follow_their_steps);
fn reminder(
    item: &str,
    due: NaiveDate,
    kind: taizhang_core::reminder::ReminderKind,
    to: Vec<i64>,
) -> taizhang_core::reminder::Reminder {
    use taizhang_core::reminder::{Reminder, ReminderKey};
    Reminder {
        key: ReminderKey {
            item_id: item.into(),
            subject_kind: "unit".into(),
            subject_id: 1,
            period: "2026Q4".into(),
            due: Some(due),
            kind,
            seq: 0,
            round: 0,
        },
        title: format!("{item}标题"),
        message: format!("{item}提醒"),
        recipients: to,
    }
}

async fn reminders_are_recorded_once_with_notifications_and_outbox(store: Store, _: Option<std::path::PathBuf>) {
    use taizhang_core::reminder::ReminderKind::*;
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let today = d(2026, 11, 23);
    let batch = vec![
        reminder("study", d(2026, 11, 25), Before, vec![s.person]),
        reminder("report", d(2026, 10, 31), Overdue, vec![]),
    ];

    // No robot or mailbox yet: reminders and notifications, no outbox.
    let mut w = store.begin_write().await.unwrap();
    let fresh = w.record_reminders(s.unit, "县测试局党组", today, &batch).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(fresh.len(), 2);
    assert_eq!(store.unread_notifications(s.person).await.unwrap(), 1);
    assert!(store.pending_outbox().await.unwrap().is_empty());

    // A rescan with the same keys records nothing and sends nothing.
    let mut settings = ReminderSettings::defaults(s.unit);
    settings.webhook_kind = "wecom".into();
    settings.webhook_url = "http://127.0.0.1:9/hook".into();
    let mut w = store.begin_write().await.unwrap();
    w.save_reminder_settings(&actor, &settings).await.unwrap();
    assert!(w.record_reminders(s.unit, "县测试局党组", today, &batch).await.unwrap().is_empty());
    w.commit().await.unwrap();
    assert!(store.pending_outbox().await.unwrap().is_empty());
    assert_eq!(count(&store, "SELECT COUNT(*) FROM notifications").await, 1);

    // A new kind for the same duty is new: one digest goes to the robot.
    let next = vec![reminder("study", d(2026, 11, 25), OnDay, vec![s.person])];
    let mut w = store.begin_write().await.unwrap();
    assert_eq!(w.record_reminders(s.unit, "县测试局党组", d(2026, 11, 25), &next).await.unwrap().len(), 1);
    w.commit().await.unwrap();
    let outbox = store.pending_outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].channel, "webhook");
    assert!(outbox[0].body.contains("study提醒"), "{}", outbox[0].body);

    // Failed attempts are counted; after the last one the message rests.
    for _ in 0..MAX_ATTEMPTS {
        store.mark_outbox(outbox[0].id, Err("连接被拒绝".into())).await.unwrap();
    }
    assert!(store.pending_outbox().await.unwrap().is_empty());
    assert_eq!(store.outbox_of(s.unit, 10).await.unwrap()[0].last_error, "连接被拒绝");

    // Notifications: newest unread first; marking read touches only one's own.
    let mine = store.notifications_of(s.person, 10).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].reminder.kind, OnDay);
    assert_eq!(store.mark_notifications_read(s.person + 1000, &[mine[0].id]).await.unwrap(), 0);
    assert_eq!(store.mark_notifications_read(s.person, &[mine[0].id]).await.unwrap(), 1);
    assert_eq!(store.unread_notifications(s.person).await.unwrap(), 1);
    assert_eq!(store.mark_notifications_read(s.person, &[]).await.unwrap(), 1);
    assert_eq!(store.unread_notifications(s.person).await.unwrap(), 0);
    assert_eq!(store.reminders_of(s.unit, 10).await.unwrap().len(), 3);

    // Settings round-trip and are in the audit chain.
    assert_eq!(store.reminder_settings(s.unit).await.unwrap(), settings);
    assert!(store.verify().await.unwrap().is_ok());
    // The repeat cadence too (a table of its own), changed twice.
    for days in [3, 0] {
        settings.repeat_days = days;
        let mut w = store.begin_write().await.unwrap();
        w.save_reminder_settings(&actor, &settings).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(store.reminder_settings(s.unit).await.unwrap().repeat_days, days);
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit WHERE entity = 'reminder_cadence'").await, 2);
    assert!(store.verify().await.unwrap().is_ok());
}
on_both!(reminders_are_recorded_once_on_both, reminders_are_recorded_once_with_notifications_and_outbox);

/// Every notification as (reminder's unit, item, person), sorted.
async fn notified(store: &Store) -> Vec<(i64, String, i64)> {
    let mut rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT r.unit_id, r.item_id, n.person_id FROM notifications n JOIN reminders r ON r.id = n.reminder_id",
    )
    .fetch_all(store.pool_for_tests())
    .await
    .unwrap();
    rows.sort();
    rows
}

async fn a_batch_records_only_its_new_reminders(store: Store, _: Option<std::path::PathBuf>) {
    use taizhang_core::reminder::ReminderKind::*;
    let s = seed(&store).await;
    let actor = Actor::system("测试");
    let today = d(2026, 11, 23);
    let mut w = store.begin_write().await.unwrap();
    let other = w
        .create_person(
            &actor,
            &NewPerson {
                unit_id: s.unit,
                name: "李委员".into(),
                title: "党组成员".into(),
                username: None,
                password_hash: None,
            },
        )
        .await
        .unwrap()
        .id;
    // The second "group" (the store does not mind the kind) has a robot and a mailbox.
    let mut settings = ReminderSettings::defaults(s.branch);
    settings.webhook_kind = "wecom".into();
    settings.webhook_url = "http://127.0.0.1:9/hook".into();
    settings.smtp_host = "127.0.0.1".into();
    settings.smtp_to = "a@example.org".into();
    w.save_reminder_settings(&actor, &settings).await.unwrap();
    w.commit().await.unwrap();

    // Already recorded, each with its notification.
    let old = vec![
        reminder("old-a", d(2026, 11, 25), Before, vec![s.person]),
        reminder("old-c", d(2026, 10, 31), Overdue, vec![other]),
    ];
    let mut w = store.begin_write().await.unwrap();
    assert_eq!(w.record_reminders(s.unit, "县测试局党组", today, &old).await.unwrap(), old);
    w.commit().await.unwrap();

    // Old and new mixed, a key twice in the batch (the first counts), and
    // more new rows than one statement takes (two statements' worth and
    // some), so every statement boundary is crossed.
    let mut first = vec![
        old[0].clone(),
        reminder("new-b", d(2026, 11, 25), Before, vec![s.person, other]),
        old[1].clone(),
        reminder("new-d", d(2026, 11, 30), Before, vec![]),
    ];
    let mut twin = first[1].clone();
    twin.title = "重复的键".into();
    twin.recipients = vec![other];
    first.push(twin);
    let many: Vec<_> = (0..2 * ROWS_PER_INSERT + 37)
        .map(|i| reminder(&format!("bulk-{i:04}"), d(2026, 12, 1), Before, vec![other]))
        .collect();
    first.extend(many.iter().cloned());
    let second = vec![
        reminder("new-b", d(2026, 11, 25), Before, vec![s.person]),
        reminder("new-e", d(2026, 11, 26), OnDay, vec![s.person, other]),
    ];
    let groups = [
        GroupReminders { unit_id: s.unit, unit_name: "县测试局党组", reminders: &first },
        GroupReminders { unit_id: s.branch, unit_name: "机关党支部", reminders: &second },
        GroupReminders { unit_id: s.unit, unit_name: "县测试局党组", reminders: &old },
    ];
    let mut w = store.begin_write().await.unwrap();
    let fresh = w.record_reminders_of_groups(today, &groups).await.unwrap();
    w.commit().await.unwrap();

    let mut new_first = vec![first[1].clone(), first[3].clone()];
    new_first.extend(many.iter().cloned());
    assert_eq!(fresh.iter().map(Vec::len).collect::<Vec<_>>(), [new_first.len(), second.len(), 0]);
    assert!(fresh[0] == new_first, "exactly the new ones of the first group, in order");
    assert_eq!(fresh[1], second, "the same key under another unit is another reminder");
    assert!(fresh[2].is_empty(), "already recorded");

    let recorded = count(&store, "SELECT COUNT(*) FROM reminders").await;
    assert_eq!(recorded, 2 + 2 + 2 * ROWS_PER_INSERT as i64 + 37 + 2, "no row dropped or doubled");
    let mut expected: Vec<(i64, String, i64)> =
        vec![(s.unit, "old-a".into(), s.person), (s.unit, "old-c".into(), other)];
    for (unit, reminders) in [(s.unit, &new_first), (s.branch, &second)] {
        for r in reminders {
            expected.extend(r.recipients.iter().map(|&p| (unit, r.key.item_id.clone(), p)));
        }
    }
    expected.sort();
    assert_eq!(notified(&store).await, expected, "one notification per recipient of each new reminder");
    let titles: Vec<String> = store.reminders_of(s.unit, 10_000).await.unwrap().into_iter().map(|r| r.title).collect();
    assert!(titles.contains(&"new-b标题".to_string()) && !titles.contains(&"重复的键".to_string()));

    // One digest per channel of the group that has them, of its new reminders only.
    let outbox = store.pending_outbox().await.unwrap();
    let sent: Vec<_> = outbox.iter().map(|m| (m.unit_id, m.channel.as_str(), m.subject.as_str())).collect();
    assert_eq!(
        sent,
        [
            (s.branch, "webhook", "台账提醒：机关党支部新增2条提醒"),
            (s.branch, "email", "台账提醒：机关党支部新增2条提醒")
        ]
    );
    assert!(outbox[0].body.contains("new-e提醒") && !outbox[0].body.contains("old-a"), "{}", outbox[0].body);

    // The same batch again records nothing and notifies no one.
    let mut w = store.begin_write().await.unwrap();
    let again = w.record_reminders_of_groups(today, &groups).await.unwrap();
    w.commit().await.unwrap();
    assert!(again.iter().all(Vec::is_empty));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM reminders").await, recorded);
    assert_eq!(notified(&store).await, expected);
    assert_eq!(store.pending_outbox().await.unwrap().len(), 2);
}
on_both!(a_batch_records_only_its_new_reminders_on_both, a_batch_records_only_its_new_reminders);

async fn a_scheduled_job_is_claimed_by_one_at_a_time(store: Store, _: Option<std::path::PathBuf>) {
    use std::time::Duration;
    let claim = store.claim_job("reminders", Duration::ZERO).await.unwrap().expect("the first claim succeeds");
    // Another server (here: a second handle on the same database) is refused.
    assert!(store.claim_job("reminders", Duration::ZERO).await.unwrap().is_none());
    store.finish_job(claim, None).await.unwrap();
    // Released, but run too recently for an interval of an hour.
    assert!(store.claim_job("reminders", Duration::from_secs(3600)).await.unwrap().is_none());
    let again = store.claim_job("reminders", Duration::ZERO).await.unwrap().expect("free again");
    store.finish_job(again, Some("失败原因".into())).await.unwrap();
    let state = store.job_state("reminders").await.unwrap().unwrap();
    assert_eq!((state.runs, state.last_error.as_str()), (2, "失败原因"));
    assert!(state.last_finished.is_some());
}
on_both!(a_scheduled_job_is_claimed_by_one_at_a_time_on_both, a_scheduled_job_is_claimed_by_one_at_a_time);

/// Kept evaluation rows round-trip on both backends: saved in batches
/// larger than one statement, read by group or whole, replaced per group.
#[tokio::test]
async fn evaluation_rows_are_kept_read_and_replaced_on_both_backends() {
    use taizhang_store::StoredEvaluation;
    let dir = tempfile::tempdir().unwrap();
    let mut stores = vec![taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap()];
    stores.extend(taizhang_store::testing::fresh_postgres().await);
    let at = "2026-11-23T10:00:00+00:00".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let row = |g: i64, stamp: &str| StoredEvaluation {
        group_id: g,
        stamp: stamp.into(),
        hour: (g % 2 == 0).then_some(g),
        expires_at: (g % 3 == 0).then_some(at),
        row_json: format!("{{\"unit_id\":{g}}}"),
        card_json: (g % 5 == 0).then(|| "{}".to_string()),
    };
    for store in stores {
        let first: Vec<StoredEvaluation> = (1..=450).map(|g| row(g, "a")).collect();
        store.save_evaluation_rows("2026", &first).await.unwrap();
        store.save_evaluation_rows("2026", &[row(7, "b"), row(8, "b")]).await.unwrap();
        let mut all = store.evaluation_rows("2026", &[], true).await.unwrap();
        all.sort_by_key(|r| r.group_id);
        assert_eq!(all.len(), 450, "{:?}", store.backend());
        assert_eq!(all[0], row(1, "a"));
        assert_eq!(all[5], row(6, "a"), "hour, expiry and card kept as given");
        assert_eq!(all[6], row(7, "b"), "a group's row replaced");
        let some = store.evaluation_rows("2026", &[8, 9, 999], true).await.unwrap();
        assert_eq!(some.len(), 2);
        assert!(store.evaluation_rows("2026H1", &[8], true).await.unwrap().is_empty(), "another period");
        // Without the cards: the same rows, none with a card.
        let without = store.evaluation_rows("2026", &[5, 6], false).await.unwrap();
        assert_eq!(without.len(), 2);
        assert!(without.iter().all(|r| r.card_json.is_none() && r.row_json.contains("unit_id")));
        store.close().await;
    }
}
