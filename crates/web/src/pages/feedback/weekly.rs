//! The weekly summary of the register.

use super::{back_to_register, items_table};
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::layout::page;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use maud::html;
use serde::Deserialize;
use taizhang_app::feedback as service;
use taizhang_core::feedback::{parse_week, week_code, weekly, Feedback};
use taizhang_core::period::{chinese_date, shanghai_day_start, shanghai_minute, short_date};
use taizhang_store::FeedbackItem;

#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    pub week: Option<String>,
}

/// GET /units/{id}/feedback/weekly?week=2026-W47
pub async fn weekly_page(c: Ctx, Query(q): Query<WeekQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let items = service::list(&state, &view, &user, id).await?;
    let group = view.group_of(id)?;
    let monday = match q.week.as_deref().filter(|w| !w.trim().is_empty()) {
        Some(w) => parse_week(w).ok_or_else(|| AppError::BadRequest(format!("周次“{w}”无法识别，应如 2026-W47")))?,
        None => parse_week(&week_code(state.today())).expect("a week code parses"),
    };
    let now = state.now();
    let entries: Vec<&Feedback> = items.iter().map(|i| &i.feedback).collect();
    let w = weekly(&entries, &state.feedback_limits, monday, now);
    let code = week_code(monday);
    let sunday = monday + Duration::days(6);
    let label = format!("{}（{}—{}）", code.replace("-W", "年第") + "周", short_date(monday), short_date(sunday));
    let listed: Vec<&FeedbackItem> = w.items.iter().map(|i| &items[*i]).collect();
    let week_end = shanghai_day_start(monday + Duration::days(7)).min(now);
    let base = format!("/units/{}/feedback/weekly", group.id);
    let body = html! {
        (back_to_register(group.id))
        h1 { (group.name) " · 舆情与诉求每周汇总" }
        form.toolbar method="get" action=(base) {
            a.btn.plain href=(format!("{base}?week={}", week_code(monday - Duration::days(7)))) { "上一周" }
            label { "周次 " input type="text" name="week" value=(code) size="9"; }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("{base}?week={}", week_code(monday + Duration::days(7)))) { "下一周" }
        }
        h2 { (label) }
        p.muted { "本周涉及：本周前发现且本周开始时未办结的事项，以及本周新发现的事项；逾期：本周内有时限已过而未完成。情况截至" (shanghai_minute(week_end)) "。" }
        div.cards {
            div.card { span.badge.s-pending { "本周涉及" } b { (w.items.len()) } }
            div.card { span.badge.s-due_soon { "新发现" } b { (w.new) } }
            div.card { span.badge.s-met { "已办结" } b { (w.closed) } }
            div.card { span.badge.s-overdue { "逾期" } b { (w.overdue) } }
        }
        h2 { "按等级" }
        table { thead { tr { @for (l, _) in &w.by_level { th { (l.label()) } } } }
            tbody { tr { @for (_, n) in &w.by_level { td { (n) } } } } }
        h2 { "按类别" }
        @if w.by_category.is_empty() { p.muted { "无" } }
        @else { table { thead { tr { th { "类别" } th { "件数" } } }
            tbody { @for (c, n) in &w.by_category { tr { td { (c) } td { (n) } } } } } }
        h2 { "事项（" (listed.len()) "）" }
        (items_table(&state, &listed, now))
        @if listed.is_empty() { p.muted { "本周没有舆情与诉求事项。" } }
        p.muted { "今天：" (chinese_date(state.today())) }
    };
    Ok(page("舆情与诉求每周汇总", Some(&user), body).into_response())
}
