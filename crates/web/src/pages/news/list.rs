//! The register of a period, its .xlsx export and the import (.xlsx or CSV).

use super::adoption;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{flash, import_refused, page, period_picker, sheet_import};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::news::{self as news, Overview};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::news::import::COLUMNS;
use taizhang_core::period::chinese_date;
use taizhang_docs::ledger::write_workbook;
use taizhang_docs::news_ledger::{news_ledgers, NewsBook};

/// Larger files are refused (a year of submissions is a few hundred lines).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

fn list_page(view: &View, user: &CurrentUser, group: i64, ov: &Overview, flash: Markup) -> Markup {
    let name = news::department_name(view, group);
    let code = ov.period.code();
    html! {
        p.back { a href=(format!("/units/{group}?period={code}")) { "← 返回工作台" } }
        h1 { (name) " · 信息报送台账" }
        (flash)
        (period_picker(&format!("/units/{group}/news"), &code))
        div.toolbar {
            @if view.access(user).can_write(group) { a.btn href=(format!("/units/{group}/news/new")) { "登记信息" } }
            a.btn.plain href=(format!("/units/{group}/news/stats?period={code}")) { "统计与定额完成情况" }
            a.btn.plain href=(format!("/units/{group}/news/officers")) { "信息员" }
            a.btn.plain href=(format!("/units/{group}/news/quotas")) { "定额" }
            a.btn.plain href=(format!("/units/{group}/news.xlsx?period={code}")) download { "信息报送台账（Excel）" }
        }
        p.summary { (ov.stats.sentence()) }
        div.scroll { table.news {
            thead { tr { th { "报送日期" } th { "科室" } th { "信息标题" } th { "作者" } th { "报送刊物（媒体/平台）" } th { "级别" } th { "录用" } } }
            tbody {
                @for s in &ov.data.submissions {
                    tr {
                        td.date { (chinese_date(s.submitted_on)) }
                        td.nowrap { (news::department_name(view, s.department_id)) }
                        td { a href=(format!("/news/{}", s.id)) { (s.title) } }
                        td.person { (news::author_names(view, s)) }
                        td { (s.outlet) }
                        td.nowrap { (s.level.label()) }
                        td.nowrap { (adoption(s)) }
                    }
                }
            }
        } }
        @if ov.data.submissions.is_empty() { p.muted { "本期没有报送或录用的信息。" } }
        @if view.access(user).can_write(group) { (import_form(user, group)) }
    }
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    let help = html! { "表头：" (COLUMNS.join(",")) "。标题、科室、刊物、级别、报送日期必填；科室、作者须为本单位的；级别填国家级、省级、市级或县级；未录用的录用日期和期号留空。" };
    let template = format!("/units/{group}/news/template.xlsx");
    sheet_import(user, "从 Excel 或 CSV 导入信息", &format!("/units/{group}/news/import"), &template, help)
}

/// GET /units/{id}/news?period=2026
pub async fn list(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let group = c.group()?;
    let ov = news::overview(&c.state, &c.view, group, q.resolve(&c.state)?).await?;
    Ok(page("信息报送", Some(&c.user), list_page(&c.view, &c.user, group, &ov, html! {})).into_response())
}

/// GET /units/{id}/news.xlsx?period=2026
pub async fn export(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user: _, view, id } = c;
    let group = view.group_of(id)?.id;
    let group = view.unit(group)?;
    let ov = news::overview(&state, &view, group.id, q.resolve(&state)?).await?;
    let progress: Vec<_> = ov.progress(&view).into_iter().map(|l| (l.subject, l.quota.clone(), l.progress)).collect();
    let book = NewsBook {
        unit_name: &group.name,
        stats: &ov.stats,
        submissions: &ov.data.submissions,
        progress: &progress,
        department_name: &|id| news::department_name(&view, id),
        person_name: &|id| view.person_name(Some(id)),
    };
    let name = format!("{}{}信息报送台账.xlsx", group.name, ov.stats.span);
    xlsx(write_workbook(&news_ledgers(&book)), &name, "news.xlsx")
}

/// POST /units/{id}/news/import (multipart: csrf, file)
pub async fn import(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let upload = Upload::read(&user, form, &["file"], IMPORT_MAX_BYTES).await?;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    let outcome = news::import(&state, &view, &user, group, upload.import_file("file")?).await?;
    let period = taizhang_core::period::Period::year(chrono::Datelike::year(&state.today()));
    let ov = news::overview(&state, &view, group, period).await?;
    let (status, flash) = match outcome {
        Ok(n) => (StatusCode::OK, flash("ok", html! { "已导入" (n) "条信息。" })),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, import_refused("信息", &errors)),
    };
    let body = list_page(&view, &user, group, &ov, flash);
    Ok((status, page("信息报送", Some(&user), body)).into_response())
}
