//! A problem's page with the forms of its next step.

use super::{date_field, owner_field, owner_name, people_options, REMIND_DAYS};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{invalid, respond, Submitted};
use crate::pages::attachments::{files_section, optional_files, upload_form};
use crate::pages::layout::{back, badge, csrf_field, page};
use crate::pages::upload::FormWithFiles;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::attachments::{self, Listed, Parent, WithFiles};
use taizhang_app::rectifications::{self as rectify, Step};
use taizhang_app::view::View;
use taizhang_core::period::chinese_date;
use taizhang_core::rectification::{assess, Rectification};

/// A problem's page; `typed` refills the forms after a refusal.
fn detail(
    view: &View,
    user: &CurrentUser,
    p: &Rectification,
    revision: i64,
    today: chrono::NaiveDate,
    typed: Option<&StepForm>,
    files: &[Listed],
) -> Markup {
    let typed_on = typed.and_then(|t| t.on.clone()).unwrap_or_else(|| today.to_string());
    let typed_evidence = typed.and_then(|t| t.evidence.clone()).unwrap_or_default();
    let typed_opinion = typed.and_then(|t| t.opinion.clone()).unwrap_or_default();
    let access = view.access(user);
    let (status, text, _) = assess(p, today, REMIND_DAYS);
    let open = p.closed_on.is_none();
    let action = format!("/rectifications/{}", p.id);
    html! {
        (back(&format!("/units/{}/rectifications", p.unit_id), "返回整改台账"))
        h1 { (p.source.label()) "问题" }
        p { (badge(status)) " " (p.state_label()) " · " (text) }
        table.kv {
            tr { th { "问题" } td { (p.problem) } }
            tr { th { "发现日期" } td { (chinese_date(p.found_on)) } }
            tr { th { "整改措施" } td { (p.measures) } }
            tr { th { "责任人" } td { (owner_name(view, p.owner)) } }
            tr { th { "整改期限" } td { (chinese_date(p.deadline)) } }
            tr { th { "整改完成日期" } td { @if let Some(d) = p.rectified_on { (chinese_date(d)) } } }
            tr { th { "佐证材料" } td { (p.evidence) } }
            tr { th { "销号日期" } td { @if let Some(d) = p.closed_on { (chinese_date(d)) } } }
            tr { th { "上级意见" } td { (p.opinion) } }
        }
        (files_section(user, files, &|_| None, html! {
            @if open && access.can_write(p.unit_id) {
                (upload_form(user, &format!("{action}/attachments"), "", "上传"))
            }
        }))
        @if open && access.can_write(p.unit_id) {
            h2 { "整改落实" }
            form.record method="post" action=(format!("{action}/update")) {
                (csrf_field(user))
                input type="hidden" name="revision" value=(revision);
                label for="measures" { "整改措施" }
                textarea #measures name="measures" { (p.measures) }
                label for="owner" { "责任人" }
                select #owner name="owner" { (people_options(view, p.unit_id, p.owner)) }
                button.btn.plain type="submit" { "保存" }
            }
            @if p.rectified_on.is_none() {
                form.record method="post" action=(format!("{action}/report")) enctype="multipart/form-data" {
                    (csrf_field(user))
                    input type="hidden" name="revision" value=(revision);
                    label for="on" { "整改完成日期" }
                    input #on type="date" name="on" value=(typed_on) required;
                    label for="evidence" { "佐证材料（整改情况、文件、记录）" }
                    textarea #evidence name="evidence" required { (typed_evidence) }
                    (optional_files("-report"))
                    button.btn type="submit" { "申请销号" }
                }
            }
        }
        @if open && p.rectified_on.is_some() && access.can_inspect(p.unit_id) {
            h2 { "上级审核" }
            form.record method="post" action=(format!("{action}/review")) {
                (csrf_field(user))
                input type="hidden" name="revision" value=(revision);
                label for="opinion" { "意见" }
                textarea #opinion name="opinion" { (typed_opinion) }
                button.btn type="submit" name="decision" value="close" { "同意销号" }
                " "
                button.btn.plain type="submit" name="decision" value="send_back" { "退回重新整改" }
            }
        }
    }
}

/// GET /rectifications/{id}
pub async fn show(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (p, revision) = rectify::load(&state, &view, &user, id).await?;
    let files = attachments::of(&state, &view, &user, Parent::Rectification(id)).await?;
    Ok(page("问题整改", Some(&user), detail(&view, &user, &p, revision, state.today(), None, &files)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    revision: Option<i64>,
    measures: Option<String>,
    owner: Option<String>,
    on: Option<String>,
    evidence: Option<String>,
    opinion: Option<String>,
    decision: Option<String>,
}

/// Applies a step (with the files chosen with it); a refused one shows
/// the problem with the reason and what was typed.
async fn run(
    c: Ctx,
    form: StepForm,
    files: taizhang_app::Result<Option<WithFiles>>,
    step: impl FnOnce(&StepForm) -> taizhang_app::Result<Step>,
) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let outcome = match (step(&form), files) {
        (Ok(step), Ok(files)) => {
            rectify::apply_with_files(&state, &view, &user, id, form.revision, step, files).await.map(|_| ())
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    respond(
        outcome,
        |_| format!("/rectifications/{id}"),
        async |refusal| {
            let (p, revision) = rectify::load(&state, &view, &user, id).await?;
            let files = attachments::of(&state, &view, &user, Parent::Rectification(id)).await?;
            let body = html! {
                (refusal.flash())
                (detail(&view, &user, &p, revision, state.today(), Some(&form), &files))
            };
            Ok(page("问题整改", Some(&user), body))
        },
    )
    .await
}

/// POST /rectifications/{id}/update
pub async fn update(c: Ctx, Submitted { form, .. }: Submitted<StepForm>) -> Result<Response, AppError> {
    run(c, form, Ok(None), |f| {
        let owner = owner_field(f.owner.as_deref().unwrap_or(""))?;
        Ok(Step::Update { measures: f.measures.clone().unwrap_or_default(), owner })
    })
    .await
}

/// POST /rectifications/{id}/report: the 销号 request, with its proof
/// as files when chosen (multipart) or as text only.
pub async fn report(c: Ctx, FormWithFiles { form, files, .. }: FormWithFiles<StepForm>) -> Result<Response, AppError> {
    run(c, form, files, |f| {
        let on = date_field(f.on.as_deref().unwrap_or(""), "整改完成日期")?;
        Ok(Step::Report { on, evidence: f.evidence.clone().unwrap_or_default() })
    })
    .await
}

/// POST /rectifications/{id}/review (decision=close|send_back)
pub async fn review(c: Ctx, Submitted { form, .. }: Submitted<StepForm>) -> Result<Response, AppError> {
    run(c, form, Ok(None), |f| {
        let opinion = f.opinion.clone().unwrap_or_default();
        match f.decision.as_deref() {
            Some("close") => Ok(Step::Close { opinion }),
            Some("send_back") => Ok(Step::SendBack { opinion }),
            _ => Err(invalid("请选择同意销号或退回")),
        }
    })
    .await
}
