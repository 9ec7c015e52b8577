//! Excel import through the application layer, for every importer, on
//! SQLite and (when `TAIZHANG_TEST_PG` is set) PostgreSQL: a filled
//! template with a bad date on row 12 is refused naming 第12行 and writes
//! nothing; with the date fixed it imports every row, Excel date cells and
//! dates typed as text alike.

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use taizhang_app::{templates, App, Caller, View};
use taizhang_core::import::ImportError;
use taizhang_core::record::RecordKind;
use taizhang_core::template::{template, CellType, ImportKind};
use taizhang_store::Store;

const MZ: &str = "县民政局党组";
/// Rows 2..=13: twelve rows, the eleventh (row 12) the one with the bad date.
const LAST_ROW: u32 = 13;
const BAD_ROW: u32 = 12;

/// A filled template of `kind` for the demo's 县民政局党组: its example
/// row repeated on rows 2..=13 (made unique by the row number), the date
/// column written as an Excel date cell on even rows and as text on odd
/// ones; row 12's date is 2026-02-30 when `bad`.
fn filled(app: &App, view: &View, unit: i64, kind: ImportKind, bad: bool) -> Vec<u8> {
    let names = templates::names_of(app, view, unit).unwrap();
    let t = template(kind, &names);
    let date_col = t.columns.iter().position(|c| c.cell != CellType::Text && !c.example.is_empty()).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (c, column) in t.columns.iter().enumerate() {
        ws.write(0, c as u16, column.header.as_str()).unwrap();
    }
    for row in 1..LAST_ROW {
        let line = row + 1;
        for (c, column) in t.columns.iter().enumerate() {
            let value = if column.example.starts_with("（示例）") {
                format!("{}{line}", column.example)
            } else {
                column.example.clone()
            };
            if c == date_col && line == BAD_ROW && bad {
                let text = value.replacen(&value[..10], "2026-02-30", 1);
                ws.write(row, c as u16, text).unwrap();
            } else if c == date_col && line % 2 == 0 {
                let cell = ExcelDateTime::parse_from_str(&value).unwrap();
                ws.write_with_format(row, c as u16, cell, &date_format).unwrap();
            } else if c == date_col {
                ws.write(row, c as u16, value.replacen('-', "/", 2)).unwrap();
            } else if !value.is_empty() {
                ws.write(row, c as u16, value).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn import(
    app: &App,
    view: &View,
    caller: &Caller,
    unit: i64,
    kind: ImportKind,
    file: &[u8],
) -> Result<usize, Vec<ImportError>> {
    use taizhang_app::{feedback, news, records, rectifications, risks};
    match kind {
        ImportKind::Record(_) => records::import_file(app, Some(caller), file).await,
        ImportKind::Risks => risks::import(app, view, caller, unit, file).await,
        ImportKind::Feedback => feedback::import(app, view, caller, unit, file).await,
        ImportKind::Rectifications => rectifications::import(app, view, caller, unit, file).await,
        ImportKind::News => news::import(app, view, caller, unit, file).await,
    }
    .unwrap()
}

async fn every_importer_refuses_row_12_and_then_imports_all(store: Store) {
    taizhang_demo::seed(&store).await.unwrap();
    let app = App { today: NaiveDate::from_ymd_opt(2026, 11, 23), ..App::new(store) };
    let view = View::load(&app).await.unwrap();
    let unit = view.org.units.iter().find(|u| u.name == MZ).unwrap().id;
    let login = app.store.login("mz-shuji").await.unwrap().unwrap();
    let roles = app.store.roles_of(login.person.id).await.unwrap();
    let caller = Caller { person: login.person, roles };
    let kinds = [
        ImportKind::Record(RecordKind::Study),
        ImportKind::Risks,
        ImportKind::Feedback,
        ImportKind::Rectifications,
        ImportKind::News,
    ];
    for kind in kinds {
        let before = app.store.scalar_for_tests("SELECT COUNT(*) FROM audit").await;
        let errors =
            import(&app, &view, &caller, unit, kind, &filled(&app, &view, unit, kind, true)).await.unwrap_err();
        assert_eq!(errors.len(), 1, "{kind:?}: {errors:?}");
        assert!(errors[0].to_string().starts_with("第12行："), "{kind:?}: {errors:?}");
        assert!(errors[0].message.contains("2026-02-30"), "{kind:?}: {errors:?}");
        assert_eq!(app.store.scalar_for_tests("SELECT COUNT(*) FROM audit").await, before, "{kind:?}: nothing written");

        let written = import(&app, &view, &caller, unit, kind, &filled(&app, &view, unit, kind, false)).await;
        assert_eq!(written, Ok(12), "{kind:?}");
    }
}

#[tokio::test]
async fn every_importer_takes_xlsx_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    every_importer_refuses_row_12_and_then_imports_all(
        taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap(),
    )
    .await;
}

#[tokio::test]
async fn every_importer_takes_xlsx_on_postgres() {
    let Some(store) = taizhang_store::testing::fresh_postgres().await else {
        eprintln!("skipped: set {} to run on PostgreSQL", taizhang_store::testing::PG_ENV);
        return;
    };
    every_importer_refuses_row_12_and_then_imports_all(store).await;
}
