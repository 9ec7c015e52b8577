//! Reviews (复核): of one risk from its page, or of the whole ledger at
//! once. Each writes the `risk_review` record the dashboard counts.

use super::show::risk_page;
use super::{back_to_ledger, level_badge, state_flag};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{invalid, respond, respond_done, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::risks::{self as risking, ledger_unit, ReviewIn};
use taizhang_core::fields::parse_date;
use taizhang_core::risk::RiskStatus;

/// A review form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    reviewed_on: String,
    reviewer: String,
    conclusion: String,
    next_review: String,
    /// The status after a one-risk review.
    pub(super) status: String,
}

fn optional_date(text: &str) -> taizhang_app::Result<Option<NaiveDate>> {
    match text.trim() {
        "" => Ok(None),
        t => parse_date(t).map(Some).ok_or_else(|| invalid(format!("日期“{t}”无法识别，应如 2026-03-05"))),
    }
}

impl ReviewForm {
    fn input(&self, outcomes: Vec<(i64, RiskStatus)>) -> taizhang_app::Result<ReviewIn> {
        Ok(ReviewIn {
            reviewed_on: optional_date(&self.reviewed_on)?,
            reviewer: Some(self.reviewer.clone()),
            conclusion: self.conclusion.clone(),
            next_review: optional_date(&self.next_review)?,
            outcomes,
        })
    }
}

/// The fields every review form has, as typed when refilled.
pub(super) fn review_fields(
    user: &CurrentUser,
    today: NaiveDate,
    next: NaiveDate,
    typed: Option<&ReviewForm>,
) -> Markup {
    let or = |typed: Option<&String>, default: String| typed.filter(|t| !t.is_empty()).cloned().unwrap_or(default);
    let reviewed_on = or(typed.map(|t| &t.reviewed_on), today.to_string());
    let reviewer = or(typed.map(|t| &t.reviewer), user.person.name.clone());
    let next_review = or(typed.map(|t| &t.next_review), next.to_string());
    html! {
        label for="reviewed_on" { "复核日期" }
        input #reviewed_on type="date" name="reviewed_on" value=(reviewed_on) max=(today) required;
        label for="reviewer" { "复核人" }
        input #reviewer type="text" name="reviewer" value=(reviewer) required;
        label for="conclusion" { "复核结论 *" }
        textarea #conclusion name="conclusion" required { @if let Some(t) = typed { (t.conclusion) } }
        label for="next_review" { "下次复核日期" }
        input #next_review type="date" name="next_review" value=(next_review);
        div.help { "默认为下一个季度末月" (taizhang_core::risk::REVIEW_DAY) "日前后，且不超过任务清单规定的复核间隔；可以修改。" }
    }
}

/// POST /risks/{id}/reviews: a review of one risk.
pub async fn review(c: Ctx, Submitted { form, .. }: Submitted<ReviewForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let status = RiskStatus::parse(&form.status).unwrap_or(risk.entry.status);
    let outcome = match form.input(vec![(id, status)]) {
        Ok(input) => risking::review(&state, &view, &user, risk.unit_id, input).await,
        Err(e) => Err(e),
    };
    respond_done(
        Done::RiskReviewed,
        outcome,
        |_| format!("/risks/{id}"),
        async |refusal| risk_page(&state, &view, &user, &risk, refusal.flash(), Some(&form)).await,
    )
    .await
}

/// The whole-ledger review form: every risk with a box to include it
/// (在控 ones ticked, or as typed) and one to mark it 已化解.
async fn ledger_review_page(
    state: &AppState,
    user: &CurrentUser,
    group: i64,
    flash: Markup,
    typed: Option<(&ReviewForm, &[i64], &[i64])>,
) -> Result<Markup, AppError> {
    let listed = risking::ledger(state, group).await?;
    let today = state.today();
    let next = risking::schedule(state, group).await?.next_after(today);
    let with =
        |status: RiskStatus| listed.iter().filter(|l| l.risk.entry.status == status).map(|l| l.risk.id).collect();
    let (reviewed, resolved): (Vec<i64>, Vec<i64>) = match typed {
        Some((_, reviewed, resolved)) => (reviewed.to_vec(), resolved.to_vec()),
        None => (with(RiskStatus::Controlled), with(RiskStatus::Resolved)),
    };
    let body = html! {
        (back_to_ledger(group))
        h1 { "复核风险隐患台账" }
        p.muted { "逐项复核在控风险点的防范化解措施落实情况；保存后计入“风险隐患台账复核”记录，工作台的“风险隐患台账”事项随之更新。" }
        (flash)
        form.record method="post" action=(format!("/units/{group}/risks/review")) {
            (csrf_field(user))
            table.risks {
                thead { tr { th { "复核" } th { "风险点" } th { "等级" } th { "复核情况" } th { "本次化解销号" } } }
                tbody { @for l in &listed {
                    @let (id, entry) = (l.risk.id, &l.risk.entry);
                    tr {
                        td { input type="checkbox" name="risk" value=(id) checked[reviewed.contains(&id)] aria-label=(entry.title); }
                        td { (entry.domain) "：" (entry.title) }
                        td { (level_badge(entry.level)) }
                        td { (state_flag(l.state)) }
                        td { input type="checkbox" name="resolved" value=(id) checked[resolved.contains(&id)] aria-label=(format!("{}已化解", entry.title)); }
                    }
                } }
            }
            (review_fields(user, today, next, typed.map(|t| t.0)))
            p { button.btn type="submit" { "保存复核" } }
        }
    };
    Ok(page("复核风险隐患台账", Some(user), body))
}

/// GET /units/{id}/risks/review
pub async fn ledger_review_form(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, true)?.id;
    Ok(ledger_review_page(&state, &user, group, html! {}, None).await?.into_response())
}

/// POST /units/{id}/risks/review
pub async fn ledger_review(c: Ctx, submitted: Submitted<ReviewForm>) -> Result<Response, AppError> {
    let Ctx { state, view, id, .. } = c;
    let (user, form) = (&submitted.user, &submitted.form);
    let group = ledger_unit(&view, user, id, true)?.id;
    let (chosen, resolved) = (submitted.ids("risk"), submitted.ids("resolved"));
    let outcomes = chosen
        .iter()
        .map(|r| (*r, if resolved.contains(r) { RiskStatus::Resolved } else { RiskStatus::Controlled }))
        .collect();
    let outcome = match form.input(outcomes) {
        Ok(input) => risking::review(&state, &view, user, group, input).await,
        Err(e) => Err(e),
    };
    respond(
        outcome,
        |_| format!("/units/{group}/risks"),
        async |refusal| {
            ledger_review_page(&state, user, group, refusal.flash(), Some((form, &chosen, &resolved))).await
        },
    )
    .await
}
