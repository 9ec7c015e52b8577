//! The register of a period, its .xlsx export and the import (.xlsx or CSV).

use super::adoption;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{flash, import_refused, page, sheet_import};
use crate::pages::list_controls::{
    choice_select, coded_select, filter_form, id_select, nothing, pager, paginate, period_box, person_select,
    search_box, ListQuery,
};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::news::{self as news, Overview};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::news::import::COLUMNS;
use taizhang_core::news::{Level, Submission};
use taizhang_core::period::{chinese_date, Period};
use taizhang_docs::ledger::write_workbook;
use taizhang_docs::news_ledger::{news_ledgers, NewsBook};

/// Larger files are refused (a year of submissions is a few hundred lines).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

const ADOPTION: [(&str, &str); 2] = [("yes", "已录用"), ("no", "未录用")];

/// The period's submissions the list's filters keep, newest first (by the
/// date sent): by 录用, 级别, 科室, 作者 and the words of the title,
/// outlet, issue, authors or department.
pub(crate) fn filtered<'a>(
    view: &View,
    group: i64,
    ov: &'a Overview,
    q: &ListQuery,
) -> Result<Vec<&'a Submission>, AppError> {
    let adopted = q.choice("adopted", "录用情况", &ADOPTION)?.map(|a| a == "yes");
    let level = q.coded::<Level>("level", "级别")?;
    let department = q.id_choice("department", "科室", &news::departments(view, group))?;
    let (person, search) = (q.person(view, group)?, q.search());
    let mut kept: Vec<&Submission> = ov
        .data
        .submissions
        .iter()
        .filter(|s| {
            let (authors, dept) = (news::author_names(view, s), news::department_name(view, s.department_id));
            adopted.is_none_or(|a| s.adopted_on.is_some() == a)
                && level.is_none_or(|l| s.level == l)
                && department.is_none_or(|d| s.department_id == d)
                && person.is_none_or(|p| s.authors.contains(&p))
                && search.matches([s.title.as_str(), &s.outlet, &s.issue, &authors, &dept])
        })
        .collect();
    kept.sort_by_key(|s| std::cmp::Reverse((s.submitted_on, s.id)));
    Ok(kept)
}

fn filters(q: &ListQuery, view: &View, group: i64, period: Period) -> Markup {
    filter_form(
        q,
        html! {
            (period_box(Some(period)))
            (choice_select(q, "adopted", "录用情况", "录用与否", &ADOPTION))
            (coded_select::<Level>(q, "level", "级别", "全部级别"))
            (id_select(q, "department", "科室", "全部科室", &news::departments(view, group)))
            (person_select(q, view, group, "作者"))
            (search_box(q, "搜索标题或刊物"))
        },
    )
}

fn list_page(
    view: &View,
    user: &CurrentUser,
    group: i64,
    ov: &Overview,
    q: &ListQuery,
    flash: Markup,
) -> Result<Markup, AppError> {
    let name = news::department_name(view, group);
    let code = ov.period.code();
    let kept = filtered(view, group, ov, q)?;
    let shown = paginate(&kept, q.page()?);
    Ok(html! {
        p.back { a href=(format!("/units/{group}?period={code}")) { "← 返回工作台" } }
        h1 { (name) " · 信息报送台账" }
        (flash)
        div.toolbar {
            @if view.access(user).can_write(group) { a.btn href=(format!("/units/{group}/news/new")) { "登记信息" } }
            a.btn.plain href=(format!("/units/{group}/news/stats?period={code}")) { "统计与定额完成情况" }
            a.btn.plain href=(format!("/units/{group}/news/officers")) { "信息员" }
            a.btn.plain href=(format!("/units/{group}/news/quotas")) { "定额" }
            a.btn.plain href=(format!("/units/{group}/news.xlsx?period={code}")) download { "信息报送台账（Excel）" }
        }
        p.summary { (ov.stats.sentence()) }
        (filters(q, view, group, ov.period))
        div.scroll { table.news {
            thead { tr { th { "报送日期" } th { "科室" } th { "信息标题" } th { "作者" } th { "报送刊物（媒体/平台）" } th { "级别" } th { "录用" } } }
            tbody {
                @for s in shown.rows {
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
        @if kept.is_empty() { (nothing(q, "信息", "本期没有报送或录用的信息。")) } @else { (pager(q, &shown, "按报送日期从新到旧")) }
        @if view.access(user).can_write(group) { (import_form(user, group)) }
    })
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    let help = html! { "表头：" (COLUMNS.join(",")) "。标题、科室、刊物、级别、报送日期必填；科室、作者须为本单位的；级别填国家级、省级、市级或县级；未录用的录用日期和期号留空。" };
    let template = format!("/units/{group}/news/template.xlsx");
    sheet_import(user, "从 Excel 或 CSV 导入信息", &format!("/units/{group}/news/import"), &template, help)
}

/// GET /units/{id}/news?period=2026&adopted=…&level=…&department=…&person=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let group = c.group()?;
    let ov = news::overview(&c.state, &c.view, group, q.period_or_year(&c.state)?).await?;
    Ok(page("信息报送", Some(&c.user), list_page(&c.view, &c.user, group, &ov, &q, html! {})?).into_response())
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
    let body = list_page(&view, &user, group, &ov, &ListQuery::at(&format!("/units/{group}/news")), flash)?;
    Ok((status, page("信息报送", Some(&user), body)).into_response())
}
