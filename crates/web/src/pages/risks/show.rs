//! A risk with its reviews, the 研判 that named it and, for those who may,
//! the form to review it.

use super::review::{review_fields, ReviewForm};
use super::{back_to_ledger, due_text, level_badge, state_flag};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::pages::attachments::{files_section, upload_form};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::attachments::Listed;
use taizhang_app::risks as risking;
use taizhang_app::view::View;
use taizhang_core::period::chinese_date;
use taizhang_core::risk::RiskStatus;
use taizhang_store::{Risk, RiskReviewRow};

/// GET /risks/{id}
pub async fn show(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let risk = risking::load(&state, &view, &user, id, false).await?;
    Ok(risk_page(&state, &view, &user, &risk, html! {}, None).await?.into_response())
}

/// The files of one review in its row, and the form to add some.
fn review_files(user: &CurrentUser, risk: i64, review: i64, files: &[Listed], can_write: bool) -> Markup {
    let live = files.iter().filter(|l| l.file.owner_id == review && l.file.void.is_none()).count();
    html! {
        @if live > 0 { a href="#files" { (live) "份" } }
        @if can_write {
            details {
                summary { "上传" }
                (upload_form(user, &format!("/risks/{risk}/reviews/{review}/attachments"), &format!("-review-{review}"), "上传"))
            }
        }
    }
}

/// "2026年9月30日复核": the review a file belongs to.
fn review_of(reviews: &[RiskReviewRow], l: &Listed) -> Option<String> {
    reviews.iter().find(|r| r.id == l.file.owner_id).map(|r| format!("{}复核", chinese_date(r.reviewed_on)))
}

/// The page of a risk; `typed` refills the review form after a refusal.
pub(super) async fn risk_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    risk: &Risk,
    flash: Markup,
    typed: Option<&ReviewForm>,
) -> Result<Markup, AppError> {
    let reviews = state.store.risk_reviews(risk.id).await?;
    let files =
        taizhang_app::attachments::of(state, view, user, taizhang_app::attachments::Parent::Risk(risk.id)).await?;
    let analyses = risking::analyses_of(state, view, risk).await?;
    let today = state.today();
    let schedule = risking::schedule(state, risk.unit_id).await?;
    let review_state = risking::review_state(&schedule, risk, today);
    let next = schedule.next_after(today);
    let can_write = view.access(user).can_write(risk.unit_id);
    let e = &risk.entry;
    let status = typed.and_then(|t| RiskStatus::parse(&t.status)).unwrap_or(e.status);
    let body = html! {
        (back_to_ledger(risk.unit_id))
        (flash)
        h1 { (e.title) " " (level_badge(e.level)) }
        table.fields {
            tr { th { "风险领域" } td { (e.domain) } }
            tr { th { "风险等级" } td { (e.level.label()) } }
            tr { th { "风险描述" } td.text { (e.description) } }
            tr { th { "防范化解措施" } td.text { (e.measures) } }
            tr { th { "责任人" } td { (view.person_name(e.owner_id)) } }
            tr { th { "状态" } td { (e.status.label()) } }
            tr { th { "登记日期" } td { (chinese_date(e.identified_on)) } }
            tr { th { "下次复核" } td { (due_text(review_state)) " " (state_flag(review_state)) } }
            tr { th { "版本" } td { "第" (risk.revision) "版" } }
        }
        @if can_write { p { a.btn.plain href=(format!("/risks/{}/edit", risk.id)) { "修改" } } }
        h2 { "复核记录（" (reviews.len()) "）" }
        @if reviews.is_empty() { p.muted { "尚未复核。" } } @else {
            table.reviews {
                thead { tr { th { "复核日期" } th { "复核人" } th { "复核结论" } th { "复核后状态" } th { "下次复核日期" } th { "台账复核记录" } th { "佐证材料" } } }
                tbody { @for r in &reviews {
                    tr {
                        td.date { (chinese_date(r.reviewed_on)) }
                        td { (r.reviewer) }
                        td.text { (r.conclusion) }
                        td { (r.status.label()) }
                        td.date { @if let Some(n) = r.next_review_on { (chinese_date(n)) } }
                        td { a href=(format!("/records/{}", r.record_id)) { "查看" } }
                        td { (review_files(user, risk.id, r.id, &files, can_write)) }
                    }
                } }
            }
        }
        @if can_write {
            h2 { "记录复核" }
            form.record #review method="post" action=(format!("/risks/{}/reviews", risk.id)) {
                (csrf_field(user))
                (review_fields(user, today, next, typed))
                label for="status" { "复核后状态" }
                select #status name="status" {
                    @for s in RiskStatus::ALL { option value=(s.code()) selected[s == status] { (s.label()) } }
                }
                p { button.btn type="submit" { "保存复核" } }
            }
        }
        (files_section(user, &files, &|l| review_of(&reviews, l), html! {}))
        h2 { "相关分析研判（" (analyses.len()) "）" }
        @if analyses.is_empty() { p.muted { "尚无分析研判涉及该风险点。" } }
        ul { @for a in &analyses { li { a href=(format!("/records/{}", a.id)) { (chinese_date(a.occurred_on)) " " (a.data.title()) } } } }
    };
    Ok(page(&e.title, Some(user), body))
}
