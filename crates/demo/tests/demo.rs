//! The demo on a real SQLite file: it seeds once, its accounts log in, and
//! the real engine finds exactly the seeded gaps.

use taizhang_core::engine::{evaluate, DutyStatus, Evaluation};
use taizhang_core::{Period, Status};
use taizhang_demo::{accounts, demo_today, seed, DEMO_PASSWORD, DEMO_YEAR, SEEDED_GAPS};
use taizhang_store::testing::{fresh_postgres, fresh_sqlite};
use taizhang_store::{party_groups_under, password, Store};

async fn seeded() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    let summary = seed(&store).await.unwrap();
    assert!(!summary.reused, "{summary}");
    assert!(summary.records > 500, "{summary}");
    (dir, store)
}

async fn evaluations(store: &Store) -> Vec<Evaluation> {
    let org = store.org().await.unwrap();
    let root = org.units.iter().find(|u| u.parent_id.is_none()).unwrap().id;
    let groups = party_groups_under(&org, root);
    assert_eq!(groups.len(), 3);
    let period = Period::year(DEMO_YEAR);
    let inputs = store.evaluation_inputs(&groups, period).await.unwrap();
    inputs.groups.iter().map(|g| evaluate(&g.items, &g.context(), period, demo_today())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_once_then_reuses_with_an_intact_chain() {
    let (_dir, store) = seeded().await;
    let chain = store.verify().await.unwrap().expect("intact audit chain after seeding");
    let audit = store.scalar_for_tests("SELECT COUNT(*) FROM audit").await;
    assert_eq!(chain.entries as i64, audit);

    let again = seed(&store).await.unwrap();
    assert!(again.reused, "{again}");
    assert_eq!((again.accounts, again.records), (0, 0));
    assert!(again.to_string().contains("沿用"), "{again}");
    assert_eq!(store.scalar_for_tests("SELECT COUNT(*) FROM audit").await, audit, "a second seed writes nothing");
    assert_eq!(store.audit_head().await.unwrap(), chain);

    let org = store.org().await.unwrap();
    for name in ["县委宣传部", "县民政局党组", "县水利局党委", "县残联党组", "县民政局机关第一党支部"]
    {
        assert!(org.units.iter().any(|u| u.name == name), "{name}");
    }
    let offices = org.units.iter().filter(|u| u.name == "办公室").count();
    assert_eq!(offices, 3, "every unit has an 办公室");

    // The same on PostgreSQL, when TAIZHANG_TEST_PG is set.
    match fresh_postgres().await {
        Some(pg) => {
            let first = seed(&pg).await.unwrap();
            assert!(!first.reused && first.records > 500, "{first}");
            assert!(pg.verify().await.unwrap().is_ok());
            assert!(seed(&pg).await.unwrap().reused);
        }
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_account_logs_in_with_the_demo_password() {
    let (_dir, store) = seeded().await;
    let mut hashes = Vec::new();
    for account in accounts() {
        let login =
            store.login(account.username).await.unwrap().unwrap_or_else(|| panic!("{} missing", account.username));
        assert!(login.active, "{}", account.username);
        assert_eq!(login.person.name, account.name, "{}", account.username);
        hashes.push((account.username, login.password_hash.expect("has a password")));
    }
    // Argon2 is slow: verify on the blocking pool, all at once.
    let checks: Vec<_> = hashes
        .into_iter()
        .map(|(user, hash)| {
            tokio::task::spawn_blocking(move || (user, password::verify_password(DEMO_PASSWORD, &hash)))
        })
        .collect();
    for check in checks {
        let (user, ok) = check.await.unwrap();
        assert!(ok, "{user}: the demo password does not verify");
    }
    let org = store.org().await.unwrap();
    let mz = org.units.iter().find(|u| u.name == "县民政局党组").unwrap().id;
    let fuju = store.login("mz-fuju").await.unwrap().unwrap().person.id;
    let office = org.units.iter().find(|u| u.name == "办公室" && u.parent_id == Some(mz)).unwrap().id;
    assert!(org.roles_of(fuju).iter().any(|r| r.in_charge_of.contains(&office)), "mz-fuju is in charge of 办公室");
}

/// The duty status for a gap: the branch or channel named at the start of
/// the description, else the unit itself.
fn gap_status<'a>(eval: &'a Evaluation, item: &str, description: &str) -> &'a DutyStatus {
    let of_item: Vec<&DutyStatus> = eval.duties.iter().filter(|d| d.item_id == item).collect();
    assert!(!of_item.is_empty(), "{}: no duty {item}", eval.unit_name);
    of_item
        .iter()
        .find(|d| description.starts_with(&d.subject.name))
        .or_else(|| of_item.iter().find(|d| d.subject.name == eval.unit_name))
        .copied()
        .unwrap_or_else(|| panic!("{}: no subject of {item} matches “{description}”", eval.unit_name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_finds_exactly_the_seeded_gaps() {
    let (_dir, store) = seeded().await;
    let evals = evaluations(&store).await;
    // With --nocapture: every reason that is not "met", for reviewing the wording.
    for eval in &evals {
        for d in eval.duties.iter().filter(|d| d.status != Status::Met) {
            println!("{} | {} | {} | {:?} | {}", eval.unit_name, d.item_id, d.subject.name, d.status, d.reason);
        }
    }
    let bad = [Status::Overdue, Status::Late, Status::MissingEvidence, Status::DueSoon];

    // What each gap's reason must say.
    let specifics: &[(&str, &str, &[&str])] = &[
        ("县民政局党组", "risk-ledger", &["2025年12月18日", "2026年7月10日"]),
        ("县民政局党组", "half-year-report", &["逾期12天"]),
        ("县民政局党组", "study-sessions", &["3次缺少研讨记录"]),
        ("县民政局党组", "branch-committee", &["2026年4月", "2026年8月"]),
        ("县民政局党组", "channel-freshness", &["2026年10月30日"]),
        ("县民政局党组", "rectification", &["三审三校记录不完整", "已逾期23天"]),
        ("县民政局党组", "news-quota", &["养老服务股2026年第3季度录用信息1篇，少于定额2篇", "黄立新"]),
        ("县民政局党组", "feedback-response", &["网民发帖反映低保审批办理时间过长", "超过48小时未回应", "李红梅"]),
        ("县民政局党组", "event-filing", &["举办后3天才完成审核报备", "尚未报备，须在活动前完成（剩4天）"]),
        ("县水利局党委", "quarterly-analysis", &["2026年第2季度"]),
        ("县水利局党委", "study-sessions", &["1次缺少签到表（9月22日）"]),
        ("县残联党组", "study-sessions", &["4次"]),
        ("县残联党组", "first-topic", &["缺少第一议题", "5月"]),
        ("县残联党组", "channel-check", &["县残联微信视频号2026年第2季度未开展宣传阵地季度检查"]),
    ];
    assert_eq!(specifics.len(), SEEDED_GAPS.len());

    let mut gap_keys = Vec::new();
    for (unit, item, description) in SEEDED_GAPS {
        let eval = evals.iter().find(|e| e.unit_name == *unit).unwrap_or_else(|| panic!("no evaluation of {unit}"));
        let status = gap_status(eval, item, description);
        assert!(
            bad.contains(&status.status),
            "{unit} {item} ({}): {:?} — {}",
            status.subject.name,
            status.status,
            status.reason
        );
        let (_, _, words) = specifics.iter().find(|(u, i, _)| u == unit && i == item).expect("specifics for every gap");
        for word in *words {
            assert!(status.reason.contains(word), "{unit} {item}: reason lacks “{word}”: {}", status.reason);
        }
        gap_keys.push((eval.unit_id, status.item_id.clone(), status.subject.id));
    }

    // Nothing else is wrong: every other duty, of every unit, is met or
    // not yet due (or due soon, for what is still ahead).
    for eval in &evals {
        for d in &eval.duties {
            if gap_keys.contains(&(eval.unit_id, d.item_id.clone(), d.subject.id)) {
                continue;
            }
            assert!(
                matches!(d.status, Status::Met | Status::Pending | Status::DueSoon),
                "{} {} ({}): unexpected {:?} — {}",
                eval.unit_name,
                d.item_id,
                d.subject.name,
                d.status,
                d.reason
            );
            if eval.unit_name == "县民政局党组" {
                // A due-soon duty of 民政 must be about what is still ahead.
                if d.status == Status::DueSoon {
                    assert!(d.due.is_some_and(|due| due >= demo_today()), "{}: {}", d.item_id, d.reason);
                }
            }
        }
    }

    // The branch gap is the first branch's alone; the second is in order.
    let mz = evals.iter().find(|e| e.unit_name == "县民政局党组").unwrap();
    let second = mz
        .duties
        .iter()
        .find(|d| d.item_id == "branch-committee" && d.subject.name == "县民政局机关第二党支部")
        .unwrap();
    assert_eq!(second.status, Status::Met, "{}", second.reason);
    let lecture = mz.duties.iter().find(|d| d.item_id == "secretary-lecture").unwrap();
    assert_eq!(lecture.status, Status::Met, "{}", lecture.reason);

    // Open gaps name the demo accounts who must act.
    let actors = |item: &str| -> Vec<String> {
        mz.duties
            .iter()
            .filter(|d| d.item_id == item && d.status.is_open())
            .flat_map(|d| d.actors.iter().map(|a| a.name.clone()))
            .collect()
    };
    assert_eq!(actors("risk-ledger"), ["李红梅"], "the leader in charge of 办公室 (mz-fuju)");
    assert_eq!(actors("branch-committee"), ["郑国华"], "the first branch's secretary (mz-zhibu1)");
    assert_eq!(actors("channel-freshness"), ["刘晓雯"], "the WeChat account's owner (mz-keyuan)");
    assert_eq!(actors("event-filing"), ["陈静"], "the forum's owner, the head of 办公室 (mz-bgs)");
    assert_eq!(actors("study-sessions"), ["王建国"], "the secretary (mz-shuji)");
}

/// The 2025 assessments went through the real steps: two finalised with a
/// few points off, one returned with the superior's opinion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_2025_assessments_are_seeded_through_their_steps() {
    use taizhang_core::assessment::{Assessment, Score, State};
    use taizhang_demo::{ASSESSED_YEAR, ASSESSMENT_RETURNED_UNIT, ASSESSMENT_RETURN_OPINION};
    let (_dir, store) = seeded().await;
    let org = store.org().await.unwrap();
    let unit = |name: &str| org.units.iter().find(|u| u.name == name).unwrap().id;
    let written = store.assessments_of_year(ASSESSED_YEAR).await.unwrap();
    assert_eq!(written.len(), 3, "every demo unit assessed 2025");
    for name in ["县民政局党组", "县水利局党委"] {
        let (a, revision) = &written[&unit(name)];
        assert_eq!((a.state, *revision), (State::Finalised, 2), "{name}");
        let card = a.submitted.as_ref().expect("the card as submitted");
        assert!(card.total() < card.max(), "{name}: the engine finds 2025 mostly outside the system");
        let sc = a.scorecard(card);
        assert_eq!(sc.self_total(), card.max(), "{name}: every lost point adjusted, with evidence");
        assert!(a.adjustments.iter().all(|x| x.evidence.starts_with('《')), "{name}: ledgers named");
        let final_total = sc.final_total().unwrap();
        assert!(
            final_total < sc.self_total() && final_total > card.max() - Score::points(5),
            "{name}: a few points off"
        );
    }
    let (returned, _) = &written[&unit(ASSESSMENT_RETURNED_UNIT)];
    assert_eq!((returned.state, returned.opinion.as_str()), (State::Returned, ASSESSMENT_RETURN_OPINION));
    assert!(returned.submitted.is_none() && returned.adjustments.iter().all(|x| x.evidence == "纸质台账"));
    assert!(store.assessments_of_year(2026).await.unwrap().is_empty(), "2026 is not yet open");
    assert!(store.verify().await.unwrap().is_ok());
    // What reminders read: the same rows without scores and forms.
    let states = store.assessment_states_of_year(ASSESSED_YEAR).await.unwrap();
    assert_eq!(states.len(), written.len());
    for (unit, (full, revision)) in &written {
        let (light, light_revision) = &states[unit];
        assert_eq!(light_revision, revision);
        let expected = Assessment { adjustments: vec![], reviews: vec![], submitted: None, ..full.clone() };
        assert_eq!(light, &expected);
    }
}
