//! 信息报送 pages: a unit's register of submissions for a period (with the
//! sentence offices report), recording and editing a submission, marking
//! it adopted (录用), the CSV import and the .xlsx export; statistics,
//! officers and quotas in `settings`.

mod form;
mod list;
pub mod settings;
mod show;

pub use form::{create, edit_page, new_page, update};
pub(crate) use list::filtered;
pub use list::{export, import, list, IMPORT_MAX_BYTES};
pub use show::{adopt, show};

use maud::{html, Markup};
use taizhang_core::news::Submission;
use taizhang_core::period::chinese_date;

fn adoption(s: &Submission) -> Markup {
    html! {
        @match s.adopted_on {
            Some(on) => { span.badge.s-met { "已录用" } " " (chinese_date(on)) }
            None => span.badge.s-pending { "未录用" },
        }
    }
}
