//! `taizhang seed` on a SQLite file and on PostgreSQL: the audit chain
//! verifies, the counts add up, the seeded accounts log in with the roles
//! the help promises, and a second seed into the same database is refused.

use crate::common::{taizhang, text};
use taizhang_core::org::{RoleKind, UnitKind};
use taizhang_store::password::verify_password;
use taizhang_store::testing::fresh_postgres_url;
use taizhang_store::Store;

const UNITS: usize = 30;

async fn seeds_a_province(db_args: &[&str], url: &str) {
    let units = UNITS.to_string();
    let out = taizhang(&[&["seed", "--units", &units], db_args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("{UNITS}个党组")), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("seed-ducha"), "{}", text(&out.stdout));

    let verified = taizhang(&[&["verify"], db_args].concat());
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).contains("审计链完整"));

    let store = Store::open(url).await.unwrap();
    let org = store.org().await.unwrap();
    let groups: Vec<_> = org.units.iter().filter(|u| u.kind == UnitKind::PartyGroup).collect();
    assert_eq!(groups.len(), UNITS);
    let root = org.units.iter().find(|u| u.parent_id.is_none()).unwrap();
    assert_eq!(root.name, "省委宣传部");
    let names: std::collections::HashSet<&str> = groups.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), UNITS, "every group has its own name");
    let records = store.scalar_for_tests("SELECT COUNT(*) FROM records").await;
    assert!(records > (UNITS * 150) as i64, "{records}");
    let assessed = store.scalar_for_tests("SELECT COUNT(*) FROM assessments").await;
    assert_eq!(assessed, UNITS as i64);
    // Groups of one spec differ in their records.
    let per_group = store
        .scalar_for_tests(
            "SELECT COUNT(DISTINCT n) FROM (SELECT COUNT(*) AS n FROM records r JOIN units u ON u.id = r.unit_id \
             WHERE u.kind = 'party_group' GROUP BY r.unit_id) AS counts",
        )
        .await;
    assert!(per_group > 5, "{per_group}");

    let role_of = |username: &'static str| {
        let store = store.clone();
        async move {
            let login = store.login(username).await.unwrap().unwrap_or_else(|| panic!("{username}"));
            assert!(verify_password(taizhang_demo::DEMO_PASSWORD, login.password_hash.as_deref().unwrap()));
            let roles = store.roles_of(login.person.id).await.unwrap();
            assert_eq!(roles.len(), 1, "{username}");
            (roles[0].kind, roles[0].scope)
        }
    };
    assert_eq!(role_of("seed-ducha").await, (RoleKind::Inspector, root.id));
    let (kind, scope) = role_of("seed-shuji-1").await;
    let first = org.units.iter().find(|u| u.id == scope).unwrap();
    assert_eq!((kind, first.kind), (RoleKind::Secretary, UnitKind::PartyGroup));
    assert!(first.name.ends_with("民政局党组"), "{}", first.name);
    assert_eq!(role_of("seed-shuji-30").await.0, RoleKind::Secretary);
    for username in ["seed-admin", "seed-kaohe", "seed-shi-ducha-1", "seed-xian-ducha-1", "seed-keyuan-1"] {
        role_of(username).await;
    }
    store.close().await;

    let again = taizhang(&[&["seed", "--units", "3"], db_args].concat());
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("已有数据"), "{}", text(&again.stderr));
}

#[tokio::test]
async fn seed_writes_a_verified_province_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("province.db");
    let path = path.to_str().unwrap();
    seeds_a_province(&["--db", path], &taizhang_store::database_url(Some(path), None)).await;
    match fresh_postgres_url().await {
        Some(url) => seeds_a_province(&["--database-url", &url], &url).await,
        None => eprintln!("skipped on PostgreSQL: TAIZHANG_TEST_PG is not set"),
    }
}

#[test]
fn seed_refuses_a_province_of_no_units() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let out = taizhang(&["seed", "--units", "0", "--db", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--units"), "{}", text(&out.stderr));
}
