//! The superior's roll-up: its units × categories, coloured by the most
//! urgent status, with counts. A province has thousands of Party groups:
//! the page shows their total first, then a page of them at a time, and a
//! search by name.

use super::layout::{badge, page, period_picker};
use super::list_controls::{filter_form, nothing, pager, paginate, search_box, ListQuery};
use crate::context::Ctx;
use crate::error::AppError;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::view::rollup_under;
use taizhang_core::engine::{totals, CategoryCell, RollupRow, Status};

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

pub async fn show(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let Ctx { state, user, view, id: root } = c;
    let unit = view.unit(root)?;
    let period = q.period_or_year(&state)?;
    let asked = q.page()?;
    let (cats, rows) = rollup_under(&state, &view, root, period).await?;
    let (cells, total) = totals(&cats, &rows);
    let search = q.search();
    let matching: Vec<&RollupRow> = rows.iter().filter(|r| search.matches([r.unit_name.as_str()])).collect();
    let paged = paginate(&matching, asked);
    let body = html! {
        h1 { (unit.name) " · " (period.label()) "各单位落实情况汇总" }
        (period_picker(&format!("/rollup/{root}"), &period.code()))
        div.toolbar { a.btn.plain href=(format!("/rollup/{root}/assessment?year={}", period.year)) { "年度考核排名" } }
        p.muted { "颜色表示该类事项中最紧急的状态：" @for s in Status::ALL { (badge(s)) " " } }
        (filter_form(&q, html! {
            input type="hidden" name="period" value=(period.code());
            (search_box(&q, "党组（党委）名称"))
        }))
        div.scroll { table {
            thead { tr { th { "单位" } @for c in &cats { th { (c) } } th { "合计" } } }
            tbody {
                @if !rows.is_empty() {
                    tr.total {
                        td { strong { "全部" (rows.len()) "个党组（党委）" } }
                        @for c in &cells { (cell(c)) }
                        (cell(&total))
                    }
                }
                @for r in paged.rows {
                    tr {
                        td { a href=(format!("/units/{}?period={}", r.unit_id, period.code())) { (r.unit_name) } }
                        @for c in &r.cells { (cell(c)) }
                        (cell(&r.total))
                    }
                }
            }
        } }
        @if rows.is_empty() { p.muted { "该单位之下没有党组（党委）。" } }
        @else if matching.is_empty() { (nothing(&q, "党组（党委）", "")) }
        @else { (pager(&q, &paged, "按单位顺序")) }
    };
    Ok(page("汇总", Some(&user), body).into_response())
}
