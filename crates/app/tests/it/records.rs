//! Records through the application layer: work is recorded once it has
//! happened, whether typed, sent by the API or imported.

use chrono::NaiveDate;
use taizhang_app::App;
use taizhang_core::import::parse_csv;

#[tokio::test]
async fn an_import_with_a_record_dated_after_today_writes_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    let app = App { today: NaiveDate::from_ymd_opt(2026, 11, 23), ..App::new(store) };
    let before = app.store.scalar_for_tests("SELECT COUNT(*) FROM records").await;
    let csv = "类别,单位,日期,meeting_type,topic,due,present,absentees\r\n\
               branch_meeting,县民政局机关第二党支部,2026-11-20,党小组会,十一月党小组会,6,6,\r\n\
               branch_meeting,县民政局机关第二党支部,2026-12-20,党小组会,十二月党小组会,6,6,\r\n";
    let rows = parse_csv(csv).unwrap();
    let errors = taizhang_app::records::import(&app, None, rows).await.unwrap().unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("不能晚于今天（2026-11-23）"), "{}", errors[0].message);
    assert_eq!(app.store.scalar_for_tests("SELECT COUNT(*) FROM records").await, before, "nothing written");
}
