//! 我的待办: the caller's own open items, most urgent first; the landing
//! page on a phone.

use super::layout::page;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use taizhang_app::todo::for_caller;
use taizhang_app::view::View;
use taizhang_core::period::chinese_date;

/// GET /todo
pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let items = for_caller(&state, &view, &user).await?;
    let body = html! {
        h1 { "我的待办" }
        @if items.is_empty() {
            p.muted { "目前没有需要您办理的事项。" }
        } @else {
            p.muted { "共" (items.len()) "项，已逾期的排在前面。" }
            ul.todo {
                @for item in &items {
                    li class=(if item.overdue { "todo-item overdue" } else { "todo-item" }) {
                        span.badge class=(if item.overdue { "s-overdue" } else { "s-due_soon" }) { (item.module) }
                        " "
                        a href=(item.url) { (item.title) }
                        div.muted {
                            (view.tree.get(item.unit_id).map(|u| u.name.as_str()).unwrap_or(""))
                            " · " (item.detail)
                            @if let Some(due) = item.due { " · 期限" (chinese_date(due)) }
                        }
                    }
                }
            }
        }
    };
    Ok(page("我的待办", Some(&user), body).into_response())
}
