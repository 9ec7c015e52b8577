//! The superior's roll-up: its units × categories, coloured by the most
//! urgent status, with counts.

use super::layout::{badge, page, period_picker};
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::view::{rollup_under, PeriodQuery};
use taizhang_core::engine::{CategoryCell, Status};

fn cell(c: &CategoryCell) -> Markup {
    let class = c.worst.map(|s| format!("cell-{}", s.code())).unwrap_or_default();
    let problems = [Status::Overdue, Status::MissingEvidence, Status::DueSoon, Status::Late];
    html! {
        td class=(class) {
            @for s in problems { @if c.count(s) > 0 { (s.label()) " " (c.count(s)) br; } }
            span.muted { "完成 " (c.count(Status::Met)) " / 共 " (c.counts.iter().sum::<usize>()) }
        }
    }
}

pub async fn show(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id: root } = c;
    let unit = view.unit(root)?;
    let period = q.resolve(&state)?;
    let (cats, rows) = rollup_under(&state, &view, root, period).await?;
    let body = html! {
        h1 { (unit.name) " · " (period.label()) "各单位落实情况汇总" }
        (period_picker(&format!("/rollup/{root}"), &period.code()))
        div.toolbar { a.btn.plain href=(format!("/rollup/{root}/assessment?year={}", period.year)) { "年度考核排名" } }
        p.muted { "颜色表示该类事项中最紧急的状态：" @for s in Status::ALL { (badge(s)) " " } }
        div.scroll { table {
            thead { tr { th { "单位" } @for c in &cats { th { (c) } } th { "合计" } } }
            tbody {
                @for r in &rows {
                    tr {
                        td { a href=(format!("/units/{}?period={}", r.unit_id, period.code())) { (r.unit_name) } }
                        @for c in &r.cells { (cell(c)) }
                        (cell(&r.total))
                    }
                }
            }
        } }
        @if rows.is_empty() { p.muted { "该单位之下没有党组（党委）。" } }
    };
    Ok(page("汇总", Some(&user), body).into_response())
}
