//! The unit dashboard: what is overdue and due soon, who must act, and a
//! chart of every category; and the duty detail page.

use super::chart::status_bars;
use super::layout::{badge, page, period_picker};
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use taizhang_app::dashboard;
use taizhang_app::view::{evaluate_group, PeriodQuery};
use taizhang_core::engine::{rollup, DutyStatus, Evaluation, Status};
use taizhang_core::period::chinese_date;

fn actors(d: &DutyStatus) -> String {
    d.actors.iter().map(|a| format!("{}：{}", a.role, a.name)).collect::<Vec<_>>().join("；")
}

fn duty_link(unit: i64, d: &DutyStatus, period: &str) -> String {
    format!("/units/{unit}/duties/{}?period={period}", d.item_id)
}

fn duty_table(unit: i64, duties: &[&DutyStatus], period: &str, with_actors: bool) -> Markup {
    html! {
        div.scroll { table.stack {
            thead { tr { th { "状态" } th { "事项" } th { "对象" } th { "原因" } @if with_actors { th { "须办理人" } th { "期限" } } } }
            tbody {
                @for d in duties {
                    tr {
                        td { (badge(d.status)) }
                        td data-label="事项" { a href=(duty_link(unit, d, period)) { (d.title) } br; span.muted { (d.category) } }
                        td data-label="对象" { (d.subject.name) }
                        td data-label="原因" { (d.reason) }
                        @if with_actors {
                            td.person data-label="须办理人" { @for a in &d.actors { (a.role) "：" (a.name) br; } }
                            td.date data-label="期限" { @if let Some(due) = d.due { (chinese_date(due)) } }
                        }
                    }
                }
            }
        } }
    }
}

/// `?period=…&status=overdue`: the dashboard's period and, from a status
/// card, the one status the table of all duties is narrowed to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DashboardQuery {
    pub year: Option<String>,
    pub period: Option<String>,
    pub status: Option<String>,
}

/// One card per status, each a link that narrows 全部事项 to that status;
/// the chosen card is marked and a link beside the cards shows all again.
fn summary_cards(unit: i64, e: &Evaluation, period: &str, chosen: Option<Status>) -> Markup {
    html! {
        div.cards {
            @for s in Status::ALL {
                @let class = if chosen == Some(s) { "card chosen" } else { "card" };
                a class=(class) href=(format!("/units/{unit}?period={period}&status={}#all", s.code()))
                    title=(format!("只看“{}”的事项", s.label())) aria-current=[(chosen == Some(s)).then_some("true")] {
                    span class=(format!("badge s-{}", s.code())) { (s.label()) } b { (e.count(s)) }
                }
            }
        }
    }
}

pub async fn show(c: Ctx, Query(dq): Query<DashboardQuery>) -> Result<Response, AppError> {
    let chosen = dq.status.as_deref().and_then(|c| Status::ALL.into_iter().find(|s| s.code() == c));
    let q = PeriodQuery { year: dq.year, period: dq.period };
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (group, access) = (view.unit(group)?, view.access(&user));
    if group.id != id {
        return Ok(Redirect::to(&format!("/units/{}", group.id)).into_response());
    }
    let period = q.resolve(&state)?;
    let d = dashboard::load(&state, &view, id, period).await?;
    let e = &d.evaluation;
    let code = period.code();
    let open = e.open();
    let late: Vec<&DutyStatus> = e.duties.iter().filter(|d| d.status == Status::Late).collect();
    let (_, rows) = rollup(std::slice::from_ref(e.as_ref()));
    let all: Vec<&DutyStatus> = e.duties.iter().filter(|d| chosen.is_none_or(|s| d.status == s)).collect();
    let can_write = access.can_write(id);
    let feedback = super::feedback::dashboard_section(&state, &view, id, &d.rows.feedback);
    let assessment = super::assessment::dashboard_section(&state, &view, group, &d);
    let body = html! {
        h1 { (group.name) " · " (period.label()) "工作台" }
        (period_picker(&format!("/units/{id}"), &code))
        (super::downloads::download_buttons(id, &code, None))
        div.toolbar {
            @if can_write { a.btn href=(format!("/units/{id}/records/new")) { "录入记录" } }
            a.btn.plain href=(format!("/units/{id}/records?period={code}")) { "查看记录" }
            a.btn.plain href=(format!("/units/{id}/duty-list")) { "任务清单" }
            a.btn.plain href=(format!("/units/{id}/drafts?period={code}")) { "稿件审校" }
            a.btn.plain href=(format!("/units/{id}/channels")) { "宣传阵地" }
            a.btn.plain href=(format!("/units/{id}/rectifications")) { "问题整改" }
            a.btn.plain href=(format!("/units/{id}/risks")) { "风险隐患台账" }
            a.btn.plain href=(format!("/units/{id}/feedback")) { "舆情与诉求" }
            a.btn.plain href=(format!("/units/{id}/news?period={code}")) { "信息报送" }
            a.btn.plain href=(format!("/units/{id}/reminders")) { "提醒设置" }
            a.btn.plain href=(format!("/units/{id}/assessment")) { "年度考核" }
            span.muted { "今天：" (chinese_date(e.today)) }
        }
        (summary_cards(id, e, &code, chosen))
        h2 { "需要办理的事项（" (open.len()) "）" }
        @if open.is_empty() { p.muted { "目前没有逾期、即将到期或缺少佐证的事项。" } }
        @else { (duty_table(id, &open, &code, true)) }
        (feedback)
        (assessment)
        @if !late.is_empty() {
            h2 { "逾期完成的事项（" (late.len()) "）" }
            p.muted { "已补做，但晚于规定时间；检查和考核时仍会看到。" }
            (duty_table(id, &late, &code, false))
        }
        h2 { "各类事项完成情况" }
        @if let Some(row) = rows.first() { (status_bars(&row.cells)) }
        @match chosen {
            Some(s) => {
                h2 #all { "全部事项 · " (s.label()) "（" (all.len()) "）" }
                p.toolbar { a.btn.plain href=(format!("/units/{id}?period={code}#all")) { "显示全部事项" } }
            }
            None => { h2 #all { "全部事项" } }
        }
        @if all.is_empty() { p.muted { "没有处于该状态的事项。" } }
        @else { (duty_table(id, &all, &code, false)) }
    };
    Ok(page(&group.name, Some(&user), body).into_response())
}

pub async fn duty(
    c: Ctx,
    Path((_, item)): Path<(i64, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let group = view.unit(group)?;
    let period = q.resolve(&state)?;
    let e = evaluate_group(&state, &view, group.id, period).await?;
    let statuses: Vec<&DutyStatus> = e.duties.iter().filter(|d| d.item_id == item).collect();
    let first = statuses.first().ok_or_else(|| AppError::NotFound(format!("责任清单中没有事项“{item}”")))?;
    let body = html! {
        p.back { a href=(format!("/units/{}?period={}", group.id, period.code())) { "← 返回" (group.name) "工作台" } }
        h1 { (first.title) }
        table {
            tr { th { "类别" } td { (first.category) } }
            tr { th { "要求" } td { (first.rule) } }
            tr { th { "依据" } td { (first.basis) } }
            tr { th { "分值" } td { (first.points) } }
            tr { th { "期间" } td { (period.label()) } }
        }
        @for d in &statuses {
            h2 { (d.subject.name) " " (badge(d.status)) }
            p { (d.reason) }
            @if !d.actors.is_empty() { p { strong { "须办理人：" } (actors(d)) } }
            h3 { "逐期情况" }
            table {
                thead { tr { th { "状态" } th { "期间" } th { "说明" } th { "相关记录" } } }
                tbody {
                    @for f in &d.findings {
                        tr {
                            td { (badge(f.status)) }
                            td { (f.period.clone().unwrap_or_default()) }
                            td { (f.text) }
                            td { @for r in &f.records { a href=(format!("/records/{}", r.id)) { (chinese_date(r.date)) " " (r.title) } br; } }
                        }
                    }
                }
            }
            h3 { "计入的记录（" (d.records.len()) "）" }
            @if d.records.is_empty() { p.muted { "无" } }
            ul { @for r in &d.records { li { a href=(format!("/records/{}", r.id)) { (chinese_date(r.date)) " " (r.title) } } } }
        }
    };
    Ok(page(&first.title, Some(&user), body).into_response())
}
