//! The scorecard page and its .xlsx.

use super::steps::{field, AdjustForm};
use super::{base, state_badge};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::downloads::xlsx;
use crate::pages::layout::{badge, csrf_field, page};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use taizhang_app::assessment::{self as assess, Loaded, YearQuery};
use taizhang_app::view::View;
use taizhang_core::assessment::{Line, Rules, Scorecard, State as AState};
use taizhang_core::org::{Unit, UnitKind};
use taizhang_core::period::chinese_date;
use taizhang_docs::assessment_ledger::scorecard_ledger;
use taizhang_docs::ledger::write_xlsx;

/// The superior body above a group, if the caller may see it: where the
/// ranking is.
fn superior_of<'a>(view: &'a View, user: &CurrentUser, group: &Unit) -> Option<&'a Unit> {
    let parent = view.tree.get(group.parent_id?)?;
    (parent.kind == UnitKind::Superior && view.access(user).can_view(parent.id)).then_some(parent)
}

/// What was typed into a refused form, to put back.
pub(super) enum Typed<'a> {
    Nothing,
    Adjust(&'a AdjustForm),
    Review(&'a [(String, String)]),
    Reopen(&'a super::steps::ReopenForm),
}

fn rules_text(rules: &Rules, year: i32) -> String {
    let pct = |x: f64| format!("{}%", (x * 100.0).round());
    format!(
        "扣分规则：各事项分值按适用对象和期间平均分摊；未完成（已逾期）扣该期分值的{}，逾期完成扣{}（补做后仍扣），缺少佐证扣{}（按缺佐证记录所占比例）；未到期、即将到期的不扣分。自评自{}起可提交，截止{}。",
        pct(rules.overdue),
        pct(rules.late),
        pct(rules.missing_evidence),
        chinese_date(rules.opens_on(year)),
        chinese_date(rules.deadline(year)),
    )
}

fn totals(card: &Scorecard, rules: &Rules) -> Markup {
    let max = card.max();
    let best = card.final_total().unwrap_or(card.self_total());
    let review_label = if card.final_total().is_some() { "审定得分" } else { "审核得分" };
    html! {
        div.cards.assessment-totals {
            div.card { span.muted { "满分" } b { (max) } }
            div.card { span.muted { "自动得分" } b.auto-total { (card.auto()) } }
            div.card { span.muted { "自评得分" } b.self-total { (card.self_total()) } }
            div.card { span.muted { (review_label) } b.review-total { @if let Some(t) = card.review_total() { (t) } @else { "—" } } }
            div.card { span.muted { "折合百分制" } b { (best.scaled(max, rules.full_marks)) } }
            @if let (Some(w), Some(carried)) = (rules.weight_percent, rules.weighted(best.scaled(max, rules.full_marks))) {
                div.card { span.muted { "计入年度考核（权重" (w) "%）" } b { (carried) } }
            }
        }
    }
}

fn deductions_cell(line: &Line) -> Markup {
    let item = line.item;
    html! {
        td.deductions {
            @for d in &item.deductions {
                div { (badge(d.status)) " 扣" (d.points) "分：" (d.reason) br; span.muted { (d.how) } }
            }
            @if item.deductions.is_empty() {
                span.muted { @if item.note.is_empty() { "未扣分" } @else { (item.note) } }
            }
            @if item.running { div.muted { "（部分期间尚未到期，不扣分）" } }
        }
    }
}

fn adjustment_cell(loaded: &Loaded, line: &Line, user: &CurrentUser, editable: bool) -> Markup {
    let Some(a) = line.adjustment else { return html! { td {} } };
    let year = loaded.assessment.year;
    html! {
        td.adjustment {
            strong { (a.delta.signed()) "分" } br;
            "理由：" (a.reason) br;
            "佐证：" (a.evidence)
            @if editable {
                form method="post" action=(format!("{}/adjustments/remove", base(loaded.group.id))) {
                    (csrf_field(user))
                    input type="hidden" name="year" value=(year);
                    input type="hidden" name="revision" value=(loaded.revision);
                    input type="hidden" name="item_id" value=(a.item_id);
                    button.btn.plain type="submit" { "撤销调整" }
                }
            }
        }
    }
}

fn review_cell(line: &Line, reviewing: bool, typed: &Typed) -> Markup {
    let id = &line.item.item_id;
    let typed_pairs = match typed {
        Typed::Review(pairs) => Some(*pairs),
        _ => None,
    };
    let score = typed_pairs
        .and_then(|p| field(p, &format!("score.{id}")).map(str::to_string))
        .or_else(|| line.review.map(|r| r.score.to_string()))
        .unwrap_or_default();
    let opinion = typed_pairs
        .and_then(|p| field(p, &format!("opinion.{id}")).map(str::to_string))
        .or_else(|| line.review.map(|r| r.opinion.clone()))
        .unwrap_or_default();
    html! {
        td.review {
            @if reviewing {
                input type="text" form="review" name=(format!("score.{id}")) value=(score) size="5"
                    aria-label=(format!("{}审核得分", line.item.title));
                input type="text" form="review" name=(format!("opinion.{id}")) value=(opinion) placeholder="意见"
                    aria-label=(format!("{}审核意见", line.item.title));
            } @else if let Some(r) = line.review {
                strong { (r.score) } @if !r.opinion.is_empty() { br; span.muted { (r.opinion) } }
            }
        }
    }
}

fn table(
    loaded: &Loaded,
    card: &Scorecard,
    user: &CurrentUser,
    editable: bool,
    reviewing: bool,
    typed: &Typed,
) -> Markup {
    html! {
        div.scroll { table.scorecard {
            thead { tr {
                th { "序号" } th { "考核事项" } th { "分值" } th { "自动得分" } th { "扣分说明" }
                th { "自评调整" } th { "自评得分" } th { "审核得分" }
            } }
            tbody {
                @for (i, l) in card.lines.iter().enumerate() {
                    tr data-item=(l.item.item_id) {
                        td.num { (i + 1) }
                        td { (l.item.title) br; span.muted { (l.item.category) } }
                        td.points { (l.item.points) }
                        td.auto { (l.item.auto) }
                        (deductions_cell(l))
                        (adjustment_cell(loaded, l, user, editable))
                        td.self { (l.self_score) }
                        (review_cell(l, reviewing, typed))
                    }
                }
            }
            tfoot { tr {
                th colspan="2" { "合计" } td { (card.max()) } td { (card.auto()) } td {}
                td {} td { (card.self_total()) } td { @if let Some(t) = card.review_total() { (t) } }
            } }
        } }
    }
}

fn unit_forms(loaded: &Loaded, card: &Scorecard, user: &CurrentUser, typed: &Typed) -> Markup {
    let a = &loaded.assessment;
    let adjust = match typed {
        Typed::Adjust(f) => Some(*f),
        _ => None,
    };
    let v = |f: fn(&AdjustForm) -> &str| adjust.map(f).unwrap_or("");
    let action = base(loaded.group.id);
    html! {
        h2 { "自评调整" }
        form.record method="post" action=(format!("{action}/adjustments")) {
            (csrf_field(user))
            input type="hidden" name="year" value=(a.year);
            input type="hidden" name="revision" value=(loaded.revision);
            p.help { "对自动得分有异议，或有本系统未记录的工作，可逐项调整得分：须写明理由和佐证材料（记录、文件或台账的名称）。调整后的得分须在0至该项分值之间；同一事项再次调整即替换原调整。" }
            label for="item_id" { "考核事项" }
            select #item_id name="item_id" {
                @for l in &card.lines {
                    option value=(l.item.item_id) selected[v(|f| &f.item_id) == l.item.item_id] {
                        (l.item.title) "（分值" (l.item.points) "，自动得分" (l.item.auto) "）"
                    }
                }
            }
            label for="delta" { "调整分值" }
            input #delta type="text" name="delta" value=(v(|f| &f.delta)) placeholder="如 2 或 -1.5" required;
            label for="reason" { "调整理由" }
            textarea #reason name="reason" required { (v(|f| &f.reason)) }
            label for="evidence" { "佐证材料" }
            textarea #evidence name="evidence" required { (v(|f| &f.evidence)) }
            button.btn type="submit" { "保存调整" }
        }
        h2 { "提交自评" }
        form.record method="post" action=(format!("{action}/submit")) {
            (csrf_field(user))
            input type="hidden" name="year" value=(a.year);
            input type="hidden" name="revision" value=(loaded.revision);
            p.help {
                "提交后考核表（含自动得分）即固定，报上级审核；" (chinese_date(loaded.rules.opens_on(a.year))) "起可提交，截止"
                (chinese_date(loaded.rules.deadline(a.year))) "。"
            }
            button.btn type="submit" { "提交自评" }
        }
    }
}

fn review_form(loaded: &Loaded, user: &CurrentUser, typed: &Typed) -> Markup {
    let opinion = match typed {
        Typed::Review(pairs) => field(pairs, "opinion").unwrap_or(""),
        _ => "",
    };
    html! {
        h2 { "上级审核" }
        form #review .record method="post" action=(format!("{}/review", base(loaded.group.id))) {
            (csrf_field(user))
            input type="hidden" name="year" value=(loaded.assessment.year);
            input type="hidden" name="revision" value=(loaded.revision);
            p.help { "在上表“审核得分”栏逐项填写得分和意见；审定时，未填写的事项按自评得分。退回须写明意见。" }
            label for="opinion" { "审核意见" }
            textarea #opinion name="opinion" { (opinion) }
            button.btn.plain type="submit" name="decision" value="save" { "保存审核得分" }
            " "
            button.btn type="submit" name="decision" value="finalise" { "审定" }
            " "
            button.btn.plain type="submit" name="decision" value="return" { "退回修改" }
        }
    }
}

/// 重新开放: after the deadline, while the unit has it, the superior may
/// let it submit up to a day.
fn reopen_form(loaded: &Loaded, user: &CurrentUser, today: chrono::NaiveDate, typed: &Typed) -> Markup {
    let a = &loaded.assessment;
    let (until, reason) = match typed {
        Typed::Reopen(f) => (f.until.clone(), f.reason.clone()),
        _ => ((today + chrono::Days::new(7)).format("%Y-%m-%d").to_string(), String::new()),
    };
    html! {
        h2 { "重新开放提交" }
        form #reopen .record method="post" action=(format!("{}/reopen", base(loaded.group.id))) {
            (csrf_field(user))
            input type="hidden" name="year" value=(a.year);
            input type="hidden" name="revision" value=(loaded.revision);
            p.help {
                "提交期限（" (chinese_date(loaded.rules.deadline(a.year))) "）已过。"
                @if let Some(until) = a.reopened_until { "此前已重新开放至" (chinese_date(until)) "。" }
                "重新开放后，该单位可在所定日期前（含当日）修改并提交自评。"
            }
            label for="until" { "开放至" }
            input #until type="date" name="until" value=(until) required;
            label for="reopen-reason" { "理由（必填）" }
            textarea #reopen-reason name="reason" required { (reason) }
            button.btn type="submit" { "重新开放" }
        }
    }
}

pub(super) fn scorecard_page(view: &View, user: &CurrentUser, loaded: &Loaded, flash: Markup, typed: Typed) -> Markup {
    let a = &loaded.assessment;
    let card = loaded.scorecard();
    let access = view.access(user);
    let group = &loaded.group;
    let editable = a.state.with_unit() && access.can_self_assess(group.id);
    let reviewing = a.state == AState::Submitted && access.can_review_assessment(group.id);
    let today = loaded.today;
    let reopenable = a.state.with_unit()
        && today > loaded.rules.deadline(a.year)
        && access.can_review_assessment(group.id)
        && !a.open_for_submission(today, &loaded.rules);
    let action = base(group.id);
    html! {
        p {
            a href=(format!("/units/{}", group.id)) { "← 返回工作台" }
            @if let Some(s) = superior_of(view, user, group) {
                " · " a href=(format!("/rollup/{}/assessment?year={}", s.id, a.year)) { "各单位考核排名" }
            }
        }
        h1 { (group.name) " · " (a.year) "年度意识形态工作责任制考核" }
        form.toolbar method="get" action=(action) {
            label { "年度 " input type="text" name="year" value=(a.year) size="6"; }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("{action}.xlsx?year={}", a.year)) download { "考核评分表（Excel）" }
        }
        (flash)
        p.assessment-state {
            (state_badge(a.state))
            @if let Some(d) = a.submitted_on { " 已于" (chinese_date(d)) "提交" }
            @if let Some(d) = a.finalised_on { "，" (chinese_date(d)) "审定" }
            @if !a.opinion.is_empty() { "。上级意见：" span.opinion { (a.opinion) } }
        }
        (totals(&card, &loaded.rules))
        p.muted {
            "自动得分按" (chinese_date(card.card.as_of)) "的记录由系统计算"
            @if a.submitted.is_some() { "（提交时固定，此后不再变化）" }
            "。" (rules_text(&loaded.rules, a.year))
        }
        (table(loaded, &card, user, editable, reviewing, &typed))
        @if editable { (unit_forms(loaded, &card, user, &typed)) }
        @if reviewing { (review_form(loaded, user, &typed)) }
        @if reopenable { (reopen_form(loaded, user, today, &typed)) }
    }
}

/// GET /units/{id}/assessment?year=
pub async fn show(c: Ctx, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let year = q.resolve(&state)?;
    let loaded = assess::load(&state, &view, &user, id, year).await?;
    if loaded.group.id != id {
        return Ok(Redirect::to(&format!("{}?year={year}", base(loaded.group.id))).into_response());
    }
    Ok(page("年度考核", Some(&user), scorecard_page(&view, &user, &loaded, html! {}, Typed::Nothing)).into_response())
}

/// GET /units/{id}/assessment.xlsx?year=
pub async fn export(c: Ctx, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let year = q.resolve(&state)?;
    let loaded = assess::load(&state, &view, &user, id, year).await?;
    let ledger = scorecard_ledger(&loaded.group.name, &loaded.scorecard(), loaded.rules.full_marks);
    let name = format!("{}{year}年度考核评分表.xlsx", loaded.group.name);
    xlsx(write_xlsx(&ledger), &name, &format!("assessment-{year}.xlsx"))
}
