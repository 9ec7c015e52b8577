//! The binary as scripts call it: exit codes, messages, and what is left
//! in the database file afterwards.

use crate::common::{demo_db, taizhang, text};
use taizhang_store::testing::fresh_sqlite;

#[tokio::test]
async fn verify_passes_on_the_demo_and_fails_after_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let ok = taizhang(&["verify", "--db", &db]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("审计链完整"));

    // Change a record by hand, as someone with the file might.
    let store = fresh_sqlite(dir.path()).await.unwrap();
    store.exec_for_tests("UPDATE records SET occurred_on = '2026-06-19' WHERE id = (SELECT MAX(id) FROM records WHERE kind = 'report')").await;
    store.close().await;
    let bad = taizhang(&["verify", "--db", &db]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("records 表第"), "{}", text(&bad.stderr));

    // An edited audit entry is named by its number.
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = demo_db(dir2.path()).await;
    let store = fresh_sqlite(dir2.path()).await.unwrap();
    store.exec_for_tests("UPDATE audit SET actor = '某人' WHERE id = 10").await;
    store.close().await;
    let bad = taizhang(&["verify", "--db", &db2]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("审计记录第10条"), "{}", text(&bad.stderr));
}

/// `verify` re-hashes every stored evidence file and names one changed
/// behind the system's back, with the chain itself still intact.
#[tokio::test]
async fn verify_names_a_changed_evidence_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let ok = taizhang(&["verify", "--db", &db]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("佐证材料文件完整"), "{}", text(&ok.stdout));

    let store = fresh_sqlite(dir.path()).await.unwrap();
    let id = store.scalar_for_tests("SELECT MIN(id) FROM attachments").await;
    let name = store.attachment(id).await.unwrap().unwrap().name;
    store
        .exec_for_tests(&format!(
            "UPDATE blob_chunks SET data = X'255044462D312E34' WHERE sha256 = (SELECT sha256 FROM attachments WHERE id = {id})"
        ))
        .await;
    store.close().await;
    let bad = taizhang(&["verify", "--db", &db]);
    assert_eq!(bad.status.code(), Some(1));
    let out = text(&bad.stdout);
    assert!(out.contains("审计链完整"), "the chain itself is intact: {out}");
    let err = text(&bad.stderr);
    assert!(err.contains(&format!("佐证材料第{id}号“{name}”的文件内容已被改动")), "{err}");
    let json = taizhang(&["verify", "--db", &db, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["files"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().contains(&name)), "{v}");
}

const HEADER: &str = "类别,单位,日期,meeting_type,topic,due,present,absentees\n";

/// The head an inspector kept catches what `verify` alone cannot: the last
/// entry deleted together with the row it created.
#[tokio::test]
async fn verify_with_an_expected_head_catches_a_truncated_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let good = format!("{HEADER}branch_meeting,县民政局机关第二党支部,2026-10-05,党小组会,十月党小组会,6,6,\n");
    let file = dir.path().join("one.csv");
    std::fs::write(&file, good).unwrap();
    assert_eq!(taizhang(&["import", file.to_str().unwrap(), "--db", &db]).status.code(), Some(0));

    let out = taizhang(&["verify", "--db", &db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(report["ok"], true);
    let head = report["head"].as_str().unwrap().to_string();
    let entries = report["entries"].as_u64().unwrap();
    assert_eq!(head.len(), 64);
    assert_eq!(taizhang(&["verify", "--db", &db, "--expect-head", &head]).status.code(), Some(0));

    // Cut the chain: the imported record and its entry go together.
    let store = fresh_sqlite(dir.path()).await.unwrap();
    assert_eq!(
        store
            .scalar_for_tests(
                "SELECT COUNT(*) FROM audit WHERE id = (SELECT MAX(id) FROM audit) AND entity = 'records'"
            )
            .await,
        1
    );
    store
        .exec_for_tests(
            "DELETE FROM records WHERE id = (SELECT entity_id FROM audit WHERE id = (SELECT MAX(id) FROM audit))",
        )
        .await;
    store.exec_for_tests("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)").await;
    store.close().await;
    assert_eq!(taizhang(&["verify", "--db", &db]).status.code(), Some(0), "the cut chain is consistent in itself");
    let caught = taizhang(&["verify", "--db", &db, "--expect-head", &head, "--format", "json"]);
    assert_eq!(caught.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&text(&caught.stdout)).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["entries"].as_u64().unwrap(), entries - 1);
    assert!(report["error"].as_str().unwrap().contains("已没有链头"), "{report}");

    let bad = taizhang(&["verify", "--db", &db, "--expect-head", "xyz"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("64位十六进制"), "{}", text(&bad.stderr));
}

#[tokio::test]
async fn import_is_all_or_nothing_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let count = || async {
        let store = fresh_sqlite(dir.path()).await.unwrap();
        let n = store.scalar_for_tests("SELECT COUNT(*) FROM records").await;
        store.close().await;
        n
    };
    let before = count().await;
    let mut csv = HEADER.to_string();
    for i in 2..=80 {
        let date = if i == 57 { "2026-13-01".to_string() } else { format!("2026-10-{:02}", i % 28 + 1) };
        csv.push_str(&format!("branch_meeting,县民政局机关第二党支部,{date},党小组会,第{i}次党小组会,6,6,\n"));
    }
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = taizhang(&["import", file.to_str().unwrap(), "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("第57行：日期“2026-13-01”无法识别") && err.contains("未写入任何数据"), "{err}");
    assert_eq!(count().await, before);

    // A unit the importing person may not touch fails the whole file too.
    let other = format!("{HEADER}branch_meeting,县民政局机关第二党支部,2026-10-05,党小组会,十月党小组会,6,6,\nbranch_meeting,县水利局机关党支部,2026-10-05,党小组会,越权,6,6,\n");
    let file = dir.path().join("other.csv");
    std::fs::write(&file, other).unwrap();
    let out = taizhang(&["import", file.to_str().unwrap(), "--db", &db, "--user", "mz-keyuan"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("第3行"), "{}", text(&out.stderr));
    assert_eq!(count().await, before);

    let good =
        format!("{HEADER}branch_meeting,县民政局机关第二党支部,2026-10-05,党小组会,十月党小组会,6,5,王五：病假\n");
    let file = dir.path().join("good.csv");
    std::fs::write(&file, good).unwrap();
    let out = taizhang(&["import", file.to_str().unwrap(), "--db", &db, "--user", "mz-keyuan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(count().await, before + 1);
    assert_eq!(taizhang(&["verify", "--db", &db]).status.code(), Some(0));

    std::fs::write(&file, [0xff, 0xfe, 0x00]).unwrap();
    let out = taizhang(&["import", file.to_str().unwrap(), "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("UTF-8"));
}

/// `taizhang template` writes a workbook that `taizhang import` takes back
/// as it is (the example row), for the unit's names or placeholders.
#[tokio::test]
async fn a_template_imports_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let for_unit = dir.path().join("branch.xlsx");
    let out = taizhang(&[
        "template",
        "--kind",
        "branch_meeting",
        "--unit",
        "县民政局党组",
        "--db",
        &db,
        "--out",
        for_unit.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("三会一课及主题党日导入模板.xlsx"), "{}", text(&out.stdout));
    let out = taizhang(&["import", for_unit.to_str().unwrap(), "--db", &db, "--user", "mz-shuji"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已导入1条记录"), "{}", text(&out.stdout));

    let placeholders = dir.path().join("study.xlsx");
    let out = taizhang(&["template", "--kind", "study", "--out", placeholders.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(&placeholders).unwrap().starts_with(b"PK"));

    let out = taizhang(&["template", "--kind", "茶话会", "--out", placeholders.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("risks、feedback"), "{}", text(&out.stderr));
}

#[test]
fn init_creates_the_first_admin_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let db = db.to_str().unwrap();
    let short = taizhang(&["init", "--db", db, "--unit", "县委宣传部", "--password", "short"]);
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short.stderr).contains("密码太短"));
    let ok = taizhang(&["init", "--db", db, "--unit", "县委宣传部", "--password", "a-long-secret"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let again = taizhang(&["init", "--db", db, "--unit", "县委宣传部", "--password", "a-long-secret"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("已初始化"));
    assert_eq!(taizhang(&["verify", "--db", db]).status.code(), Some(0));
}

#[test]
fn proof_subcommand_is_wired() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.txt");
    std::fs::write(&file, "通知\n机密★1年\n加强意思形态工作。\n").unwrap();
    let out = taizhang(&["proof", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"secrecy\""), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("意识形态"), "the typo is found with its fix: {}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("\"line\": 2") || text(&out.stdout).contains("\"line\":2"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn a_pinned_today_dates_what_the_demo_writes_on_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let res = taizhang(&["demo", "--db", db.to_str().unwrap(), "--seed-only", "--today", "2026-11-23"]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    let res = taizhang(&["remind", "--db", db.to_str().unwrap(), "--today", "2026-11-23"]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    let url = taizhang_store::database_url(Some(db.to_str().unwrap()), None);
    let store = taizhang_store::Store::open(&url).await.unwrap();
    // Beijing's 23 November runs from 22 November 16:00 to 23 November 16:00 UTC.
    let after = store.scalar_for_tests("SELECT COUNT(*) FROM audit WHERE at >= '2026-11-23T16:00'").await;
    let before = store.scalar_for_tests("SELECT COUNT(*) FROM audit WHERE at < '2026-11-22T16:00'").await;
    assert_eq!((before, after), (0, 0), "every audit entry falls on the pinned day");
    let reminders =
        store.scalar_for_tests("SELECT COUNT(*) FROM reminders WHERE created_at >= '2026-11-23T16:00'").await;
    assert_eq!(reminders, 0, "reminders are dated on the pinned day too");
    assert!(store.scalar_for_tests("SELECT COUNT(*) FROM reminders").await > 0);
}

#[tokio::test]
async fn backup_verify_backup_and_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path()).await;
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let out = taizhang(&["backup", "--db", &db, "--out", &path("copy.zip"), "--portable"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("可移植归档"), "{}", text(&out.stdout));
    let checked = taizhang(&["verify-backup", &path("copy.zip")]);
    assert!(checked.status.success() && text(&checked.stdout).contains("备份完整"), "{}", text(&checked.stderr));
    let restored = taizhang(&["restore", "--from", &path("copy.zip"), "--db", &path("restored.db")]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let verified = taizhang(&["verify", "--db", &path("restored.db")]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    // Into a database that holds data: refused, exit code 2.
    let refused = taizhang(&["restore", "--from", &path("copy.zip"), "--db", &db]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("不是空的"), "{}", text(&refused.stderr));
    // Not a backup at all.
    std::fs::write(path("notes.txt"), "hello").unwrap();
    let wrong = taizhang(&["verify-backup", &path("notes.txt")]);
    assert_eq!(wrong.status.code(), Some(2));
}
