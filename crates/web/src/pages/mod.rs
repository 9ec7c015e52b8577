//! Server-rendered pages, in Chinese; they work without JavaScript.

pub mod admin;
pub mod assessment;
pub mod channels;
pub mod chart;
pub mod dashboard;
pub mod downloads;
pub mod drafts;
pub mod duty_list;
pub mod feedback;
pub mod layout;
pub mod login;
pub mod news;
pub mod records;
pub mod rectifications;
pub mod reminders;
pub mod risks;
pub mod rollup;
pub mod upload;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use taizhang_app::view::View;

/// The organisation and the Party group of unit `id`, which the caller
/// may see (or, with `write`, change): how most pages about a unit begin.
pub async fn group_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    write: bool,
) -> Result<(std::sync::Arc<View>, i64), AppError> {
    let view = View::load(state).await?;
    view.access(user).require(id, write)?;
    let group = view.group_of(id)?.id;
    Ok((view, group))
}

/// The router names these by their old module paths.
pub use assessment::ranking as assessment_ranking;
pub use news::settings as news_settings;
