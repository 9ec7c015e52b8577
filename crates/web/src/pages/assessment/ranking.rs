//! The superior's 年度考核 page: every Party group under it with its
//! automatic, self and 审定 score, its state and a ranking (by 审定得分
//! where finalised, else by the automatic score, as each row says), the
//! ranking as .xlsx, and the import of review scores from a CSV file.

use super::state_badge;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{back, csv_import, flash, import_refused, page};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::assessment::{self as assess, YearQuery};
use taizhang_app::view::View;
use taizhang_core::assessment::{Standing, REVIEW_CSV_HEADER};
use taizhang_docs::assessment_ledger::ranking_ledger;
use taizhang_docs::ledger::write_xlsx;

/// Larger files are refused (axum's default body limit is 2MB too).
const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

fn maybe(s: Option<taizhang_core::assessment::Score>) -> String {
    s.map(|s| s.to_string()).unwrap_or_else(|| "—".into())
}

fn ranking_page(view: &View, user: &CurrentUser, root: i64, year: i32, rows: &[Standing], flash: Markup) -> Markup {
    let name = view.tree.get(root).map(|u| u.name.as_str()).unwrap_or("");
    let access = view.access(user);
    let may_import = rows.iter().any(|r| access.can_review_assessment(r.unit_id));
    let action = format!("/rollup/{root}/assessment");
    html! {
        (back(&format!("/rollup/{root}?period={year}"), "返回汇总"))
        h1 { (name) " · " (year) "年度意识形态工作责任制考核排名" }
        form.toolbar method="get" action=(action) {
            label { "年度 " input type="text" name="year" value=(year) size="6"; }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("{action}.xlsx?year={year}")) download { "考核排名（Excel）" }
        }
        (flash)
        p.muted { "已审定的单位按审定得分排名，其余按系统自动得分排名（未审定，随记录变化）；得分均折合百分制。" }
        div.scroll { table.ranking {
            thead { tr {
                th { "名次" } th { "单位" } th { "状态" } th { "满分" } th { "自动得分" } th { "自评得分" }
                th { "审定得分" } th { "排名得分（百分制）" } th { "排名依据" }
            } }
            tbody {
                @for r in rows {
                    tr {
                        td { (r.rank) }
                        td { a href=(format!("/units/{}/assessment?year={year}", r.unit_id)) { (r.unit_name) } }
                        td { (state_badge(r.state)) }
                        td { (r.max) }
                        td { (r.auto) }
                        td { (maybe(r.self_total)) }
                        td { (maybe(r.final_total)) }
                        td { strong { (r.score) } }
                        td { (r.basis_label) }
                    }
                }
            }
        } }
        @if rows.is_empty() { p.muted { "该单位之下没有党组（党委）。" } }
        @if may_import {
            (csv_import(user, "从 CSV 导入审核得分", &format!("{action}/import"), html! { input type="hidden" name="year" value=(year); },
                html! {
                    "UTF-8 CSV，表头：" (REVIEW_CSV_HEADER.join(",")) "。每行一个单位的一个事项（事项编号见任务清单）；"
                    "只能导入已提交自评的单位。整个文件先校验，有错则一条也不导入。"
                }))
        }
    }
}

/// The year asked for and the ranking of the Party groups under the roll-up's unit.
async fn ranked(c: &Ctx, q: &YearQuery) -> Result<(i32, Vec<Standing>), AppError> {
    let year = q.resolve(&c.state)?;
    Ok((year, assess::ranking(&c.state, &c.view, c.id, year).await?))
}

/// GET /rollup/{id}/assessment?year=
pub async fn show(c: Ctx, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows) = ranked(&c, &q).await?;
    let body = ranking_page(&c.view, &c.user, c.id, year, &rows, html! {});
    Ok(page("年度考核排名", Some(&c.user), body).into_response())
}

/// GET /rollup/{id}/assessment.xlsx?year=
pub async fn export(c: Ctx, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows) = ranked(&c, &q).await?;
    let name = c.view.unit(c.id)?.name.clone();
    let file = format!("{name}{year}年度考核排名.xlsx");
    xlsx(write_xlsx(&ranking_ledger(&name, year, &rows)), &file, &format!("assessment-ranking-{year}.xlsx"))
}

/// POST /rollup/{id}/assessment/import (multipart: csrf, year, file)
pub async fn import(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id: root } = c;
    let upload = Upload::read(&user, form, &["file"], IMPORT_MAX_BYTES).await?;
    let year = assess::parse_year(upload.field("year"))?;
    let outcome = assess::import_reviews(&state, &view, &user, root, year, &upload.csv("file")?).await?;
    let rows = assess::ranking(&state, &view, root, year).await?;
    let (status, flash) = match outcome {
        Ok(n) => (StatusCode::OK, flash("ok", html! { "已导入" (n) "项审核得分。" })),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, import_refused("得分", &errors)),
    };
    let body = ranking_page(&view, &user, root, year, &rows, flash);
    Ok((status, page("年度考核排名", Some(&user), body)).into_response())
}
