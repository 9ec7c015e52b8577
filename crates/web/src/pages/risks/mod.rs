//! The risk ledger (风险隐患台账) pages: the ledger of a Party group with
//! filters and overdue-review flags, forms to add and edit a risk, a risk
//! with its reviews, the review forms (one risk, or the whole ledger), a
//! 研判 form that names the risks reviewed, the .xlsx export and the CSV
//! import. Every review also writes the `risk_review` record the
//! dashboard's 风险隐患台账 duty is evaluated from.

mod analysis;
mod form;
mod list;
mod review;
mod show;

pub use analysis::{analysis, analysis_form};
pub use form::{create, edit_page, new_page, update};
pub(crate) use list::filtered;
pub use list::{export, import, list, IMPORT_MAX_BYTES};
pub use review::{ledger_review, ledger_review_form, review};
pub use show::show;

use super::layout::back;
use maud::{html, Markup};
use taizhang_core::period::chinese_date;
use taizhang_core::risk::{ReviewState, RiskLevel};

fn level_badge(level: RiskLevel) -> Markup {
    html! { span class=(format!("badge risk-{}", level.code())) { (level.label()) } }
}

fn state_flag(state: ReviewState) -> Markup {
    let class = match state {
        ReviewState::Overdue { .. } => "s-overdue",
        ReviewState::DueSoon { .. } => "s-due_soon",
        ReviewState::InTime { .. } => "s-met",
        ReviewState::Closed => "s-pending",
    };
    html! { span class=(format!("badge {class}")) { (state.label()) } }
}

fn due_text(state: ReviewState) -> String {
    state.due().map(chinese_date).unwrap_or_default()
}

fn back_to_ledger(group: i64) -> Markup {
    back(&format!("/units/{group}/risks"), "返回风险隐患台账")
}
