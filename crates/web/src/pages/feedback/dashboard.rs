//! The dashboard's section of the register.

use crate::state::AppState;
use maud::{html, Markup};
use taizhang_app::feedback as service;
use taizhang_app::view::View;
use taizhang_core::feedback::{overdue_reason, short_summary};
use taizhang_core::period::shanghai_minute;
use taizhang_store::FeedbackItem;

/// The dashboard's section: open entries past a time limit, with reasons
/// and who must act. Empty when there are none.
/// `items` are the group's entries (kept between requests: see
/// [`taizhang_app::dashboard`]); which are overdue is judged now.
pub fn dashboard_section(state: &AppState, view: &View, group: i64, items: &[FeedbackItem]) -> Markup {
    let overdue = service::overdue(state, items, state.now());
    if overdue.is_empty() {
        return html! {};
    }
    html! {
        h2 { "需要办理的舆情与诉求（" (overdue.len()) "）" }
        div.scroll { table.feedback-overdue {
            thead { tr { th { "状态" } th { "事项" } th { "等级" } th { "原因" } th { "须办理人" } th { "期限" } } }
            tbody {
                @for o in &overdue {
                    @let f = &o.item.feedback;
                    tr {
                        td { span.badge.s-overdue { "已逾期" } }
                        td { a href=(format!("/feedback/{}", o.item.id)) { (short_summary(&f.summary)) } br; span.muted { (f.category) } }
                        td.nowrap { (f.level.label()) }
                        td { @for d in &o.overdue { (overdue_reason(f, d)) br; } }
                        td.person { @for (role, name) in service::must_act(view, group, f) { (role) "：" (name) br; } }
                        td.date { @for d in &o.overdue { (shanghai_minute(d.due_at)) br; } }
                    }
                }
            }
        } }
    }
}
