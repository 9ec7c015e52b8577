//! The dashboard's 年度考核 section.

use super::base;
use crate::pages::layout::badge;
use crate::state::AppState;
use chrono::Datelike;
use maud::{html, Markup};
use taizhang_app::dashboard::Dashboard;
use taizhang_app::view::View;
use taizhang_core::org::{RoleKind, Unit};
use taizhang_core::period::chinese_date;

/// The dashboard's 年度考核 section: this year's automatic score so far,
/// and what the unit must do about a submission (a returned assessment,
/// or a deadline near or past), with the reason and who must act.
pub fn dashboard_section(state: &AppState, view: &View, group: &Unit, d: &Dashboard) -> Markup {
    let today = state.today();
    let year = today.year();
    let (card, rules) = (&d.card, &d.rows.rules);
    let gaps: Vec<_> = d.rows.assessments.iter().filter_map(|(y, a)| Some((*y, a.gap(rules, today)?))).collect();
    let secretary = view
        .org
        .roles
        .iter()
        .find(|r| r.kind == RoleKind::Secretary && r.scope == group.id)
        .map(|r| view.person_name(Some(r.person_id)))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "未指定".into());
    let lost = card.max() - card.total();
    let link = |y: i32| format!("{}?year={y}", base(group.id));
    html! {
        h2 { "年度考核" }
        p.assessment-summary {
            (year) "年度自动得分 " strong { (card.total()) } " 分（满分" (card.max()) "分，折合百分制"
            (card.total().scaled(card.max(), rules.full_marks)) "分），已扣" (lost) "分。"
            a href=(link(year)) { "查看考核表" }
            br; span.muted { "按今天的记录计算，每项扣分均注明原因；尚未到期的事项不扣分。" }
        }
        @if !gaps.is_empty() {
            div.scroll { table.assessment-gaps {
                thead { tr { th { "状态" } th { "事项" } th { "原因" } th { "须办理人" } th { "期限" } } }
                tbody {
                    @for (y, (status, reason)) in &gaps {
                        tr {
                            td { (badge(*status)) }
                            td { a href=(link(*y)) { (y) "年度考核自评" } }
                            td { (reason) }
                            td.person { "第一责任人：" (secretary) }
                            td.date { (chinese_date(rules.deadline(*y))) }
                        }
                    }
                }
            } }
        }
    }
}
