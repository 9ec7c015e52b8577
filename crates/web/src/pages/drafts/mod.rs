//! Pre-publication review (三审三校) pages: the drafts of a Party group, a
//! new draft (typed or a .docx), a draft with the proofreader's findings
//! marked in the text and the forms of the step the reader may take, and
//! the 三审三校记录清单 as .xlsx. Every rule is checked on the server by
//! `taizhang_core::drafts`; the forms only offer what is likely allowed.

mod list;
mod new;
mod show;
mod steps;

pub(crate) use list::filtered;
pub use list::{export, list};
pub use new::{create, new_page, UPLOAD_MAX_BYTES};
pub use show::show;
pub use steps::{edit, edit_page, publish, sign};

use maud::{html, Markup};
use taizhang_app::view::View;
use taizhang_core::drafts::{is_web_address, Review};

fn channel_name(view: &View, id: i64) -> String {
    view.org.channels.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default()
}

/// A link only for web addresses; anything else is shown as text.
fn link(url: &str) -> Markup {
    if is_web_address(url) {
        html! { a href=(url) rel="noopener noreferrer" { (url) } }
    } else {
        html! { (url) }
    }
}

fn status_badge(review: &Review) -> Markup {
    let status = review.status();
    html! { span class=(format!("badge r-{}", status.code())) { (status.label()) } }
}
