//! The public-feedback register (舆情与诉求处置台账) pages: the list with
//! filters and time-limit flags, a new entry, an entry with its history and
//! the form for its next step, the weekly summary, CSV import and the
//! .xlsx ledger. Every rule is checked on the server by
//! `taizhang_core::feedback`; the forms only offer what is likely allowed.

mod dashboard;
mod entry;
mod list;
mod new;
mod weekly;

pub use dashboard::dashboard_section;
pub use entry::{record_step, show};
pub(crate) use list::filtered;
pub use list::{export, import, list, UPLOAD_MAX_BYTES};
pub use new::{create, new_page};
pub use weekly::weekly_page;

use crate::state::AppState;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use taizhang_core::drafts::Person;
use taizhang_core::feedback::{deadlines, short_summary, DeadlineStatus, Feedback, FeedbackStatus};
use taizhang_core::period::shanghai_minute;
use taizhang_store::FeedbackItem;

fn status_badge(f: &Feedback) -> Markup {
    let status = f.status();
    let class = if status == FeedbackStatus::Closed { "badge s-met" } else { "badge s-pending" };
    html! { span class=(class) { (status.label()) } }
}

fn deadline_badges(statuses: &[DeadlineStatus]) -> Markup {
    html! { @for d in statuses { span class=(format!("badge {}", d.class())) { (d.label()) } " " } }
}

fn person_options(people: &[Person], selected: i64) -> Markup {
    html! { @for p in people { option value=(p.id) selected[p.id == selected] { (p.name) } } }
}

fn items_table(state: &AppState, items: &[&FeedbackItem], now: DateTime<Utc>) -> Markup {
    html! {
        div.scroll { table.feedback {
            thead { tr { th { "发现时间" } th { "内容摘要" } th { "来源" } th { "类别" } th { "等级" } th { "责任人" } th { "状态" } th { "时限" } } }
            tbody {
                @for item in items {
                    @let f = &item.feedback;
                    tr {
                        td.date { (shanghai_minute(f.discovered_at())) }
                        td { a href=(format!("/feedback/{}", item.id)) { (short_summary(&f.summary)) } }
                        td { (f.source.label()) }
                        td { (f.category) }
                        td.nowrap { (f.level.label()) }
                        td.person { (f.owner.name) }
                        td { (status_badge(f)) }
                        td { (deadline_badges(&deadlines(f, &state.feedback_limits, now))) }
                    }
                }
            }
        } }
    }
}

fn back_to_register(group: i64) -> Markup {
    crate::pages::layout::back(&format!("/units/{group}/feedback"), "返回台账")
}
