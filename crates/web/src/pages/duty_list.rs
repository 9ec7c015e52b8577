//! The duty list that applies to a unit: its adopted lists merged.

use super::layout::page;
use crate::context::Ctx;
use crate::error::AppError;
use axum::response::{IntoResponse, Response};
use maud::html;

pub async fn show(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let group = view.unit(group)?;
    let items = state.store.duty_items_for(group.id).await?;
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) "年度任务清单（" (items.len()) "项）" }
        table.stack {
            thead { tr { th { "类别" } th { "事项" } th { "要求" } th { "责任人" } th { "须有佐证" } th { "分值" } th { "依据" } } }
            tbody {
                @for item in &items {
                    tr {
                        td data-label="类别" { (item.category) }
                        td data-label="事项" title=(format!("事项编号：{}", item.id)) { (item.title) }
                        td data-label="要求" { (item.rule.describe()) }
                        td data-label="责任人" { (item.owner.label()) @if let Some(d) = &item.department { "（" (d) "）" } }
                        td data-label="须有佐证" { (item.evidence.iter().map(|e| e.label()).collect::<Vec<_>>().join("、")) }
                        td data-label="分值" { (item.points) }
                        td data-label="依据" { (item.basis) }
                    }
                }
            }
        }
    };
    Ok(page("任务清单", Some(&user), body).into_response())
}
