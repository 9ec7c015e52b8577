//! The steps of a draft's review: editing it, signing a stage (or sending
//! it back) and registering its publication.

use super::show::{draft_page, parse_stage};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{current_version, invalid, respond, respond_done, Refusal, Submitted};
use crate::pages::layout::{back, csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::drafts as drafting;
use taizhang_app::view::View;
use taizhang_core::drafts::Acknowledgement;
use taizhang_store::{Draft, ReviewStep};

/// The edit form with `title` and `body` at `version`; `extra` above it
/// (a refusal), `after` below it (the version saved meanwhile).
fn edit_form(user: &CurrentUser, draft: &Draft, typed: &StepForm, extra: Markup, after: Markup) -> Markup {
    let (id, signed) = (draft.id, draft.review.signed.len());
    let body = html! {
        (back(&format!("/drafts/{id}"), "返回稿件"))
        h1 { "修改稿件" }
        (extra)
        @if signed > 0 { div.flash.error { "本稿已有" (signed) "个环节签署。保存修改后，您所在环节及以后环节的签署将失效，须重新审校。" } }
        form.record method="post" action=(format!("/drafts/{id}/edit")) {
            (csrf_field(user))
            input type="hidden" name="version" value=(typed.version.unwrap_or(draft.review.version));
            label for="title" { "标题" }
            input #title type="text" name="title" value=(typed.title.as_deref().unwrap_or_default()) required;
            label for="body" { "正文" }
            textarea #body name="body" rows="18" { (typed.body.as_deref().unwrap_or_default()) }
            button.btn type="submit" { "保存修改" }
        }
        (after)
    };
    page("修改稿件", Some(user), body)
}

/// GET /drafts/{id}/edit
pub async fn edit_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let draft = drafting::load(&state, &view, &user, id, true).await?;
    let typed = StepForm { title: Some(draft.title.clone()), body: Some(draft.body.clone()), ..Default::default() };
    Ok(edit_form(&user, &draft, &typed, html! {}, html! {}).into_response())
}

/// The fields of every step's form; each step reads its own.
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    version: Option<u32>,
    stage: Option<String>,
    decision: Option<String>,
    opinion: Option<String>,
    title: Option<String>,
    body: Option<String>,
    url: Option<String>,
}

/// Applies a step; after it the draft, saying which sign-offs an edit
/// cleared.
async fn apply(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    id: i64,
    version: Option<u32>,
    step: taizhang_app::Result<ReviewStep>,
) -> taizhang_app::Result<String> {
    let (_, cleared) = drafting::apply(state, view, user, id, version, step?).await?;
    let codes: Vec<&str> = cleared.iter().map(|s| s.code()).collect();
    Ok(match codes.is_empty() {
        true => format!("/drafts/{id}"),
        false => format!("/drafts/{id}?cleared={}", codes.join(",")),
    })
}

/// Runs a signing or publishing step; a refused one shows the draft with
/// the reason.
async fn run_step(
    c: Ctx,
    submitted: Submitted<StepForm>,
    step: impl FnOnce(&StepForm, chrono::NaiveDate) -> taizhang_app::Result<ReviewStep>,
) -> Result<Response, AppError> {
    let (Ctx { state, user, view, id }, Submitted { form, .. }) = (c, submitted);
    let step = step(&form, state.today());
    let done = match &step {
        Ok(ReviewStep::Publish { .. }) => Done::Published,
        Ok(ReviewStep::Approve { .. } | ReviewStep::Reject { .. }) => Done::Signed,
        _ => Done::Saved,
    };
    let outcome = apply(&state, &view, &user, id, form.version, step).await;
    respond_done(
        done,
        outcome,
        |to| to,
        async |refusal: Refusal| {
            let draft = drafting::load(&state, &view, &user, id, false).await?;
            draft_page(&state, &view, &user, &draft, refusal.flash()).await
        },
    )
    .await
}

/// The acknowledgements a sign form carries: `ack_{part}_{start}` = reason.
fn acknowledgements(submitted: &Submitted<StepForm>) -> Vec<Acknowledgement> {
    submitted
        .prefixed("ack_")
        .into_iter()
        .filter(|(_, reason)| !reason.trim().is_empty())
        .filter_map(|(key, reason)| {
            let (part, start) = key.split_once('_')?;
            Some(Acknowledgement { part: part.into(), start: start.parse().ok()?, original: String::new(), reason })
        })
        .collect()
}

/// POST /drafts/{id}/sign (decision=approve|reject)
pub async fn sign(c: Ctx, submitted: Submitted<StepForm>) -> Result<Response, AppError> {
    let acknowledged = acknowledgements(&submitted);
    run_step(c, submitted, |f, _| {
        let stage = parse_stage(f.stage.as_deref().unwrap_or(""))?;
        let opinion = f.opinion.clone().unwrap_or_default();
        match f.decision.as_deref() {
            Some("approve") => Ok(ReviewStep::Approve { stage, opinion, acknowledged }),
            Some("reject") => Ok(ReviewStep::Reject { stage, opinion }),
            _ => Err(invalid("请选择同意或退回")),
        }
    })
    .await
}

/// POST /drafts/{id}/publish
pub async fn publish(c: Ctx, submitted: Submitted<StepForm>) -> Result<Response, AppError> {
    run_step(c, submitted, |f, today| Ok(ReviewStep::Publish { url: f.url.clone().unwrap_or_default(), on: today }))
        .await
}

/// POST /drafts/{id}/edit: a refused edit comes back as typed, after a
/// conflict beside the draft as saved meanwhile.
pub async fn edit(c: Ctx, Submitted { mut form, .. }: Submitted<StepForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let step =
        ReviewStep::Edit { title: form.title.clone().unwrap_or_default(), body: form.body.clone().unwrap_or_default() };
    let outcome = apply(&state, &view, &user, id, form.version, Ok(step)).await;
    respond(
        outcome,
        |to| to,
        async |refusal: Refusal| {
            let draft = drafting::load(&state, &view, &user, id, false).await?;
            let mut saved = html! {};
            if refusal.conflict {
                form.version = Some(draft.review.version);
                let rows = [("标题", draft.title.clone()), ("正文", draft.body.clone())];
                saved = current_version(draft.review.version.into(), &rows);
            }
            Ok(edit_form(&user, &draft, &form, refusal.flash(), saved))
        },
    )
    .await
}
