//! An entry with its deadlines and history, and the form for its next step.

use super::{back_to_register, deadline_badges, person_options, status_badge};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::respond;
use crate::pages::attachments::{files_section, optional_files, upload_form};
use crate::pages::layout::{csrf_field, page};
use crate::pages::upload::FormWithFiles;
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use taizhang_app::attachments::{self, Listed, Parent};
use taizhang_app::feedback::{self as service, people_of, StepInput};
use taizhang_app::view::View;
use taizhang_core::feedback::{deadlines, local_input_value, short_summary, FeedbackStatus, ResponseForm, StepKind};
use taizhang_core::period::shanghai_minute;
use taizhang_store::FeedbackItem;

fn step_details(s: &taizhang_core::feedback::Step) -> Markup {
    html! {
        @if let Some(to) = &s.to { "报告对象：" (to) br; }
        @if let Some(form) = s.form { "回应方式：" (form.label()) br; }
        (s.note)
    }
}

/// The form for the next step; the server checks the order again.
fn step_form(view: &View, user: &CurrentUser, item: &FeedbackItem, now: DateTime<Utc>) -> Markup {
    let allowed = item.feedback.allowed_next();
    let people = people_of(view, item.unit_id);
    html! {
        @if !allowed.is_empty() {
            h2 { "登记下一步" }
            form.record method="post" action=(format!("/feedback/{}/steps", item.id)) enctype="multipart/form-data" {
                (csrf_field(user))
                label for="kind" { "步骤" }
                select #kind name="kind" required {
                    @for k in &allowed { option value=(k.code()) { (k.label()) } }
                }
                label for="at" { "时间" }
                input #at type="datetime-local" name="at" value=(local_input_value(now)) required;
                label for="by" { "办理人" }
                select #by name="by" { (person_options(&people, user.person.id)) }
                @if allowed.contains(&StepKind::Report) {
                    label for="to" { "报告对象（登记“报告”时填写）" }
                    input #to type="text" name="to" placeholder="如 县委宣传部、局党组书记";
                }
                @if allowed.contains(&StepKind::Respond) {
                    label for="form" { "回应方式（登记“回应”时选择）" }
                    select #form name="form" {
                        @for f in ResponseForm::ALL { option value=(f.code()) { (f.label()) } }
                    }
                }
                label for="note" { "情况（核实结果、处置措施、回应内容、办结评估等）" }
                textarea #note name="note" rows="3" {}
                (optional_files("-step"))
                button.btn type="submit" { "登记" }
            }
        }
    }
}

/// The files of one step in its row, and the form to add some.
fn step_files(user: &CurrentUser, item: i64, step: i64, files: &[Listed], can_write: bool) -> Markup {
    let live = files.iter().filter(|l| l.step == Some(step) && l.file.void.is_none()).count();
    html! {
        @if live > 0 { a href="#files" { (live) "份" } }
        @if can_write {
            details {
                summary { "上传" }
                (upload_form(user, &format!("/feedback/{item}/steps/{step}/attachments"), &format!("-step-{step}"), "上传"))
            }
        }
    }
}

fn item_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    item: &FeedbackItem,
    flash: Markup,
    files: &[Listed],
) -> Markup {
    let can_write = view.access(user).can_write(item.unit_id);
    let step_label = |l: &Listed| {
        let n = l.step?;
        numbered_step(&item.feedback.steps, n)
    };
    let f = &item.feedback;
    let now = state.now();
    let limits = deadlines(f, &state.feedback_limits, now);
    let open = f.status() != FeedbackStatus::Closed;
    let body = html! {
        (back_to_register(item.unit_id))
        h1 { (short_summary(&f.summary)) }
        p { (status_badge(f)) " " (deadline_badges(&limits)) }
        (flash)
        table {
            tr { th { "内容摘要" } td { (f.summary) } }
            tr { th { "来源" } td { (f.source.label()) } }
            tr { th { "公开链接" } td { @if let Some(u) = &f.source.url { a href=(u) rel="noreferrer" { (u) } } } }
            tr { th { "类别" } td { (f.category) } }
            tr { th { "等级" } td { (f.level.label()) } }
            tr { th { "责任人" } td { (f.owner.name) } }
            tr { th { "发现时间" } td { (shanghai_minute(f.discovered_at())) } }
        }
        h2 { "处置时限" }
        table {
            thead { tr { th { "要求" } th { "期限" } th { "情况" } } }
            tbody {
                @for d in &limits {
                    tr {
                        td { "发现后" (d.deadline.hours) "小时内" (d.deadline.action) }
                        td.date { (shanghai_minute(d.due_at)) }
                        td { span class=(format!("badge {}", d.class())) { (d.label()) } }
                    }
                }
            }
        }
        @if open {
            p { strong { "须办理人：" }
                (service::must_act(view, item.unit_id, f).iter().map(|(r, n)| format!("{r}：{n}")).collect::<Vec<_>>().join("；")) }
        }
        h2 { "处置记录" }
        table.history {
            thead { tr { th { "步骤" } th { "时间" } th { "办理人" } th { "情况" } th { "佐证材料" } } }
            tbody {
                @for (i, s) in f.steps.iter().enumerate() {
                    tr {
                        td.nowrap { (s.kind.label()) } td.date { (shanghai_minute(s.at)) } td.person { (s.by.name) } td { (step_details(s)) }
                        td { (step_files(user, item.id, i as i64 + 1, files, can_write)) }
                    }
                }
            }
        }
        (files_section(user, files, &step_label, html! {}))
        @if can_write { (step_form(view, user, item, now)) }
    };
    page(&short_summary(&f.summary), Some(user), body)
}

/// GET /feedback/{id}
pub async fn show(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let item = service::load(&state, &view, &user, id, false).await?;
    let files = attachments::of(&state, &view, &user, Parent::Feedback(id)).await?;
    Ok(item_page(&state, &view, &user, &item, html! {}, &files).into_response())
}

/// "第2步：核实": a step by its number (1 = the first).
fn numbered_step(steps: &[taizhang_core::feedback::Step], n: i64) -> Option<String> {
    let s = steps.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
    Some(format!("第{n}步：{}", s.kind.label()))
}

/// POST /feedback/{id}/steps; a refused step shows the entry with the reason.
pub async fn record_step(
    c: Ctx,
    FormWithFiles { form, files, .. }: FormWithFiles<StepInput>,
) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    // The one form carries the fields of every step: keep only this step's.
    let input = StepInput {
        to: form.to.filter(|_| form.kind == StepKind::Report.code()),
        form: form.form.filter(|_| form.kind == StepKind::Respond.code()),
        ..form
    };
    let outcome = match files {
        Ok(files) => service::record_step_with_files(&state, &view, &user, id, &input, files).await,
        Err(e) => Err(e),
    };
    respond(
        outcome,
        |_| format!("/feedback/{id}"),
        async |refusal| {
            let item = service::load(&state, &view, &user, id, false).await?;
            let files = attachments::of(&state, &view, &user, Parent::Feedback(id)).await?;
            Ok(item_page(&state, &view, &user, &item, refusal.flash(), &files))
        },
    )
    .await
}
