//! The ledger with its filters, its .xlsx export and the import (.xlsx or CSV).

use super::{back_to_ledger, due_text, level_badge, state_flag};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{page, sheet_import};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::risks::{self as risking, ledger_unit, Listed};
use taizhang_app::view::View;
use taizhang_core::period::chinese_date;
use taizhang_core::risk::{RiskLevel, RiskStatus, IMPORT_COLUMNS};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::risk_ledger::{risk_ledger, LedgerRisk};

/// A file larger than this is refused (a ledger has dozens of rows).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub domain: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    /// `1`: only risks whose review is overdue.
    pub overdue: Option<String>,
    /// How many risks an import just added.
    pub imported: Option<usize>,
}

impl ListQuery {
    fn keeps(&self, l: &Listed) -> bool {
        let set = |v: &Option<String>| v.as_deref().filter(|t| !t.is_empty()).map(str::to_string);
        set(&self.domain).is_none_or(|d| l.risk.entry.domain == d)
            && set(&self.level).is_none_or(|v| RiskLevel::parse(&v) == Some(l.risk.entry.level))
            && set(&self.status).is_none_or(|v| RiskStatus::parse(&v) == Some(l.risk.entry.status))
            && (self.overdue.as_deref() != Some("1") || l.state.is_overdue())
    }
}

fn filters(group: i64, q: &ListQuery, domains: &[String]) -> Markup {
    let chosen = |v: &Option<String>, code: &str| v.as_deref() == Some(code);
    html! {
        form.toolbar method="get" action=(format!("/units/{group}/risks")) {
            select name="domain" aria-label="风险领域" {
                option value="" { "全部领域" }
                @for d in domains { option value=(d) selected[chosen(&q.domain, d)] { (d) } }
            }
            select name="level" aria-label="风险等级" {
                option value="" { "全部等级" }
                @for l in RiskLevel::ALL { option value=(l.code()) selected[chosen(&q.level, l.code())] { (l.label()) "风险" } }
            }
            select name="status" aria-label="状态" {
                option value="" { "全部状态" }
                @for s in RiskStatus::ALL { option value=(s.code()) selected[chosen(&q.status, s.code())] { (s.label()) } }
            }
            label { input type="checkbox" name="overdue" value="1" checked[q.overdue.as_deref() == Some("1")]; " 仅看逾期未复核" }
            button.btn.plain type="submit" { "筛选" }
        }
    }
}

fn ledger_table(view: &View, shown: &[&Listed]) -> Markup {
    html! {
        div.scroll { table.risks {
            thead { tr { th { "序号" } th { "风险领域" } th { "风险点" } th { "等级" } th { "防范化解措施" } th { "责任人" } th { "状态" } th { "最近复核" } th { "下次复核" } th { "复核情况" } } }
            tbody {
                @for (n, l) in shown.iter().enumerate() {
                    tr class=[l.state.is_overdue().then_some("overdue")] {
                        td.num { (n + 1) }
                        td { (l.risk.entry.domain) }
                        td { a href=(format!("/risks/{}", l.risk.id)) { (l.risk.entry.title) } }
                        td { (level_badge(l.risk.entry.level)) }
                        td.text { (l.risk.entry.measures) }
                        td.person { (view.person_name(l.risk.entry.owner_id)) }
                        td { (l.risk.entry.status.label()) }
                        td.date { @if let Some((on, _)) = l.risk.last_review { (chinese_date(on)) } @else { span.muted { "未复核" } } }
                        td.date { (due_text(l.state)) }
                        td { (state_flag(l.state)) }
                    }
                }
            }
        } }
    }
}

/// GET /units/{id}/risks
pub async fn list(c: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, false)?;
    let can_write = view.access(&user).can_write(group.id);
    let listed = risking::ledger(&state, group.id).await?;
    let mut domains: Vec<String> = listed.iter().map(|l| l.risk.entry.domain.clone()).collect();
    domains.sort();
    domains.dedup();
    let controlled = listed.iter().filter(|l| l.risk.entry.status == RiskStatus::Controlled).count();
    let high = listed
        .iter()
        .filter(|l| l.risk.entry.status == RiskStatus::Controlled && l.risk.entry.level == RiskLevel::High);
    let overdue = listed.iter().filter(|l| l.state.is_overdue()).count();
    let shown: Vec<&Listed> = listed.iter().filter(|l| q.keeps(l)).collect();
    let body = html! {
        p.back { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } }
        h1 { (group.name) " · 风险隐患台账" }
        @if let Some(n) = q.imported { div.flash.ok { "已导入" (n) "个风险点。" } }
        p.summary { "在控风险点" (controlled) "项（其中高风险" (high.count()) "项），已化解" (listed.len() - controlled) "项；"
            @if overdue > 0 { strong.overdue { "逾期未复核" (overdue) "项" } } @else { "均已按期复核" } "。" }
        div.toolbar {
            @if can_write {
                a.btn href=(format!("/units/{}/risks/new", group.id)) { "新增风险点" }
                a.btn.plain href=(format!("/units/{}/risks/review", group.id)) { "复核台账" }
                a.btn.plain href=(format!("/units/{}/risks/analysis", group.id)) { "分析研判" }
            }
            a.btn.plain href=(format!("/units/{}/risks.xlsx", group.id)) download { "风险隐患台账（Excel）" }
        }
        (filters(group.id, &q, &domains))
        (ledger_table(&view, &shown))
        @if shown.is_empty() { p.muted { @if listed.is_empty() { "台账中还没有风险点。" } @else { "没有符合条件的风险点。" } } }
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
