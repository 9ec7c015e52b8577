//! The columns of every audited table, pinned. The audit chain hashes whole
//! rows (`SELECT *`), and `verify` compares each row with the hash of its
//! last audit entry: a column added to an audited table changes the hash of
//! every row already written, so an upgraded database would no longer
//! verify. New data goes in a table of its own (see
//! `0009_accounts.sql`, `0014_daily_use.sql`); this test fails first.

use taizhang_store::testing::fresh_sqlite;

const COLUMNS: &[(&str, &str)] = &[
    ("units", "id name parent_id kind created_at"),
    ("people", "id unit_id name title username password_hash active created_at"),
    ("roles", "id person_id kind scope_unit_id in_charge_of"),
    ("channels", "id unit_id name kind account owner_person_id created_at"),
    ("duty_lists", "id code name version source issued_by created_at"),
    ("adoptions", "id unit_id list_id position adopted_at"),
    ("records", "id unit_id kind occurred_on entered_at entered_by revision data deleted"),
    ("record_revisions", "id record_id revision occurred_on data replaced_at replaced_by"),
    ("record_voids", "id record_id at person_id person_name reason"),
    ("reminder_cadence", "id unit_id repeat_days updated_at"),
    ("assessment_reopenings", "id unit_id year until_on opinion created_at"),
    ("directory_only", "id person_id created_at"),
    (
        "attachments",
        "id owner owner_id unit_id kind name file_type size sha256 at person_id person_name void_at void_by_name \
         void_reason",
    ),
    ("feedback_step_files", "id attachment_id step_no"),
    ("channel_reviewers", "id channel_id reviewers"),
    ("drafts", "id unit_id channel_id title body author_id created_at updated_at review status published_at"),
    (
        "rectifications",
        "id unit_id source found_on problem measures owner_id deadline evidence rectified_on closed_on opinion \
         revision created_at",
    ),
    (
        "risks",
        "id unit_id domain title level description measures owner_person_id status identified_on created_at \
         updated_at revision",
    ),
    (
        "risk_reviews",
        "id risk_id record_id reviewed_on reviewer conclusion status next_review_on created_at created_by",
    ),
    ("feedback", "id unit_id data level category status owner_id discovered_at closed_at created_at updated_at"),
    (
        "assessments",
        "id unit_id year state adjustments reviews submitted submitted_on finalised_on opinion revision created_at",
    ),
    (
        "reminder_settings",
        "id unit_id before_days webhook_kind webhook_url webhook_secret smtp_host smtp_port smtp_security \
         smtp_username smtp_password smtp_from smtp_to updated_at",
    ),
    ("news_officers", "id unit_id department_id person_id"),
    ("news_quotas", "id unit_id department_id cadence measure target revision"),
    (
        "news_submissions",
        "id unit_id department_id title author_ids outlet level submitted_on adopted_on issue revision created_at",
    ),
];

#[tokio::test]
async fn audited_tables_keep_their_columns_so_old_rows_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_sqlite(dir.path()).await.unwrap();
    for table in taizhang_store::AUDITED {
        let pinned = COLUMNS.iter().find(|(t, _)| t == table).map(|(_, c)| c.split_whitespace().collect::<Vec<_>>());
        let Some(pinned) = pinned else {
            // A new audited table: pin its columns here when it is added.
            panic!("audited table {table} has no pinned columns in this test");
        };
        let actual = store.column_names_for_tests(table).await;
        assert_eq!(
            actual, pinned,
            "{table}: a column added to (or removed from) an audited table changes the hash of every existing row, \
             and `verify` then fails on upgraded databases; keep new data in a table of its own"
        );
    }
}
