//! 问题整改 pages: a unit's problems with where each stands, adding one or
//! importing a CSV, a problem's page with the unit's forms (measures,
//! 申请销号) and the superior's (销号, 退回), and the 整改台账 as .xlsx.

mod detail;
mod list;

pub use detail::{report, review, show, update};
pub(crate) use list::filtered;
pub use list::{create, export, import, list, IMPORT_MAX_BYTES};

use crate::form::invalid;
use maud::{html, Markup};
use taizhang_app::view::View;
use taizhang_core::fields::parse_date;

/// Days before a deadline a problem shows as due soon (the duty list's
/// `remind_days` for 问题整改 decides the dashboard; this is the list's).
const REMIND_DAYS: i64 = 7;

fn owner_name(view: &View, id: Option<i64>) -> String {
    Some(view.person_name(id)).filter(|n| !n.is_empty()).unwrap_or_else(|| "未指定".into())
}

fn people_options(view: &View, group: i64, selected: Option<i64>) -> Markup {
    html! {
        option value="" { "（未指定）" }
        @for p in view.people_of(group) {
            option value=(p.id) selected[Some(p.id) == selected] { (p.name) "（" (p.title) "）" }
        }
    }
}

fn date_field(text: &str, label: &str) -> taizhang_app::Result<chrono::NaiveDate> {
    parse_date(text).ok_or_else(|| invalid(format!("请填写{label}（如 2026-11-20）")))
}

fn owner_field(text: &str) -> taizhang_app::Result<Option<i64>> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| invalid("责任人无法识别")),
    }
}
