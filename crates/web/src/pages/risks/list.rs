//! The ledger with its filters, its .xlsx export and the import (.xlsx or CSV).

use super::{back_to_ledger, due_text, level_badge, state_flag};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{page, sheet_import};
use crate::pages::list_controls::{
    choice_select, coded_select, filter_form, in_period, nothing, pager, paginate, period_box, person_select,
    same_pairs, search_box, ListQuery, Paged,
};
use crate::pages::upload::Upload;
use crate::state::AppState;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use taizhang_app::risks::{self as risking, ledger_unit, Listed};
use taizhang_app::view::View;
use taizhang_core::period::chinese_date;
use taizhang_core::risk::{RiskLevel, RiskStatus, IMPORT_COLUMNS};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::risk_ledger::{risk_ledger, LedgerRisk};

/// A file larger than this is refused (a ledger has dozens of rows).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The ledger's risks the list's filters keep, newest first (by 登记日期),
/// with every domain (for the select) and the ledger's counts.
pub(crate) struct Filtered {
    pub kept: Vec<Listed>,
    pub domains: Vec<String>,
    pub controlled: usize,
    pub controlled_high: usize,
    pub resolved: usize,
    pub overdue: usize,
}

/// Filters by 风险领域, 风险等级, 状态, 逾期未复核, 责任人, the period
/// registered and the words of the domain, risk, description, measures or owner.
pub(crate) async fn filtered(state: &AppState, view: &View, group: i64, q: &ListQuery) -> Result<Filtered, AppError> {
    let listed = risking::ledger(state, group).await?;
    let mut domains: Vec<String> = listed.iter().map(|l| l.risk.entry.domain.clone()).collect();
    domains.sort();
    domains.dedup();
    let domain = q.choice("domain", "风险领域", &same_pairs(&domains))?.map(str::to_string);
    let level = q.coded::<RiskLevel>("level", "风险等级")?;
    let status = q.coded::<RiskStatus>("status", "状态")?;
    let overdue_only = q.choice("overdue", "逾期筛选", &[("1", "仅看逾期未复核")])?.is_some();
    let (person, period, search) = (q.person(view, group)?, q.period()?, q.search());
    let controlled = |l: &Listed| l.risk.entry.status == RiskStatus::Controlled;
    let counts = (
        listed.iter().filter(|l| controlled(l)).count(),
        listed.iter().filter(|l| controlled(l) && l.risk.entry.level == RiskLevel::High).count(),
        listed.iter().filter(|l| l.state.is_overdue()).count(),
    );
    let total = listed.len();
    let mut kept: Vec<Listed> = listed
        .into_iter()
        .filter(|l| {
            let e = &l.risk.entry;
            let owner = view.person_name(e.owner_id);
            domain.as_ref().is_none_or(|d| &e.domain == d)
                && level.is_none_or(|v| e.level == v)
                && status.is_none_or(|v| e.status == v)
                && (!overdue_only || l.state.is_overdue())
                && person.is_none_or(|p| e.owner_id == Some(p))
                && in_period(period, e.identified_on)
                && search.matches([e.domain.as_str(), &e.title, &e.description, &e.measures, &owner])
        })
        .collect();
    kept.sort_by_key(|l| std::cmp::Reverse((l.risk.entry.identified_on, l.risk.id)));
    let (controlled, controlled_high, overdue) = counts;
    Ok(Filtered { kept, domains, controlled, controlled_high, resolved: total - controlled, overdue })
}

fn filters(q: &ListQuery, view: &View, group: i64, domains: &[String]) -> Markup {
    filter_form(
        q,
        html! {
            (choice_select(q, "domain", "风险领域", "全部领域", &same_pairs(domains)))
            (coded_select::<RiskLevel>(q, "level", "风险等级", "全部等级"))
            (coded_select::<RiskStatus>(q, "status", "状态", "全部状态"))
            (person_select(q, view, group, "责任人"))
            (period_box(q.period().ok().flatten()))
            (search_box(q, "搜索风险点或措施"))
            label { input type="checkbox" name="overdue" value="1" checked[q.get("overdue") == Some("1")]; " 仅看逾期未复核" }
        },
    )
}

fn ledger_table(view: &View, shown: &Paged<Listed>) -> Markup {
    html! {
        div.scroll { table.risks {
            thead { tr { th { "序号" } th { "风险领域" } th { "风险点" } th { "等级" } th { "防范化解措施" } th { "责任人" } th { "状态" } th { "最近复核" } th { "下次复核" } th { "复核情况" } th { "登记日期" } } }
            tbody {
                @for (n, l) in shown.rows.iter().enumerate() {
                    tr class=[l.state.is_overdue().then_some("overdue")] {
                        td.num { (shown.first_number() + n) }
                        td { (l.risk.entry.domain) }
                        td { a href=(format!("/risks/{}", l.risk.id)) { (l.risk.entry.title) } }
                        td { (level_badge(l.risk.entry.level)) }
                        td.text { (l.risk.entry.measures) }
                        td.person { (view.person_name(l.risk.entry.owner_id)) }
                        td { (l.risk.entry.status.label()) }
                        td.date { @if let Some((on, _)) = l.risk.last_review { (chinese_date(on)) } @else { span.muted { "未复核" } } }
                        td.date { (due_text(l.state)) }
                        td { (state_flag(l.state)) }
                        td.date { (chinese_date(l.risk.entry.identified_on)) }
                    }
                }
            }
        } }
    }
}

/// GET /units/{id}/risks?domain=…&level=…&status=…&overdue=1&person=…&period=…&q=…&page=2
pub async fn list(c: Ctx, q: ListQuery) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, false)?;
    let can_write = view.access(&user).can_write(group.id);
    let f = filtered(&state, &view, group.id, &q).await?;
    let shown = paginate(&f.kept, q.page()?);
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · 风险隐患台账" }
        @if let Some(n) = q.imported() { div.flash.ok { "已导入" (n) "个风险点。" } }
        p.summary { "在控风险点" (f.controlled) "项（其中高风险" (f.controlled_high) "项），已化解" (f.resolved) "项；"
            @if f.overdue > 0 { strong.overdue { "逾期未复核" (f.overdue) "项" } } @else { "均已按期复核" } "。" }
        div.toolbar {
            @if can_write {
                a.btn href=(format!("/units/{}/risks/new", group.id)) { "新增风险点" }
                a.btn.plain href=(format!("/units/{}/risks/review", group.id)) { "复核台账" }
                a.btn.plain href=(format!("/units/{}/risks/analysis", group.id)) { "分析研判" }
            }
            a.btn.plain href=(format!("/units/{}/risks.xlsx", group.id)) download { "风险隐患台账（Excel）" }
        }
        (filters(&q, &view, group.id, &f.domains))
        (ledger_table(&view, &shown))
        @if f.kept.is_empty() { (nothing(&q, "风险点", "台账中还没有风险点。")) } @else { (pager(&q, &shown, "按登记日期从新到旧")) }
        @if can_write { (import_form(&user, group.id)) }
    };
    Ok(page("风险隐患台账", Some(&user), body).into_response())
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    let headers: Vec<&str> = IMPORT_COLUMNS.iter().map(|c| c.1).collect();
    let help = html! { "表头：" (headers.join("，")) "。风险等级填高、中、低；状态不填为在控；登记日期不填为今天。" };
    let template = format!("/units/{group}/risks/template.xlsx");
    sheet_import(user, "从 Excel 或 CSV 导入", &format!("/units/{group}/risks/import"), &template, help)
}

/// GET /units/{id}/risks.xlsx
pub async fn export(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, false)?;
    let listed = risking::ledger(&state, group.id).await?;
    let owners: Vec<String> = listed.iter().map(|l| view.person_name(l.risk.entry.owner_id)).collect();
    let rows: Vec<LedgerRisk> = listed
        .iter()
        .zip(&owners)
        .map(|(l, owner)| LedgerRisk {
            entry: &l.risk.entry,
            owner,
            last_reviewed: l.risk.last_review.map(|(on, _)| on),
            state: l.state,
        })
        .collect();
    let workbook = write_xlsx(&risk_ledger(&group.name, state.today(), &rows));
    xlsx(workbook, &format!("{}风险隐患台账.xlsx", group.name), "risk-ledger.xlsx")
}

/// POST /units/{id}/risks/import (multipart, field `file`: .xlsx or CSV)
pub async fn import(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let upload = Upload::read(&user, form, &["file"], IMPORT_MAX_BYTES).await?;
    let group = ledger_unit(&view, &user, id, true)?.id;
    match risking::import(&state, &view, &user, group, upload.import_file("file")?).await? {
        Ok(n) => Ok(Redirect::to(&format!("/units/{group}/risks?imported={n}")).into_response()),
        Err(errors) => {
            let body = html! {
                (back_to_ledger(group))
                h1 { "导入失败" }
                div.flash.error {
                    "导入失败，未写入任何数据。请修改以下" (errors.len()) "处后重新导入："
                    ul { @for e in &errors { li { (e.to_string()) } } }
                }
                (import_form(&user, group))
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("导入失败", Some(&user), body)).into_response())
        }
    }
}
