//! 年度考核 pages of a Party group: the scorecard (each item's points, its
//! automatic score with every deduction's reason, the unit's adjustments
//! and the superior's review), the unit's forms (自评调整, 提交自评), the
//! superior's (审核得分, 审定, 退回), the 考核评分表 as .xlsx, the
//! dashboard's 年度考核 section, and the superior's ranking.

mod dashboard;
pub mod ranking;
mod scorecard;
mod steps;

pub use dashboard::dashboard_section;
pub use scorecard::{export, show};
pub use steps::{adjust, remove, reopen, review, submit};

use maud::{html, Markup};
use taizhang_core::assessment::State as AState;

pub fn state_badge(state: AState) -> Markup {
    html! { span class=(format!("badge a-{}", state.code())) { (state.label()) } }
}

fn base(group: i64) -> String {
    format!("/units/{group}/assessment")
}
