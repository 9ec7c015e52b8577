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
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) "年度任务清单（" (items.len()) "项）" }
        table {
            thead { tr { th { "类别" } th { "事项" } th { "要求" } th { "责任人" } th { "须有佐证" } th { "分值" } th { "依据" } } }
            tbody {
                @for item in &items {
                    tr {
                        td { (item.category) }
                        td title=(format!("事项编号：{}", item.id)) { (item.title) }
                        td { (item.rule.describe()) }
                        td { (item.owner.label()) @if let Some(d) = &item.department { "（" (d) "）" } }
                        td { (item.evidence.iter().map(|e| e.label()).collect::<Vec<_>>().join("、")) }
                        td { (item.points) }
                        td { (item.basis) }
                    }
                }
            }
        }
    };
    Ok(page("任务清单", Some(&user), body).into_response())
}
