//! Registering a new entry.

use super::{back_to_register, person_options};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{respond, Submitted};
use crate::pages::layout::{csrf_field, page};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use taizhang_app::feedback::{self as service, people_of, ItemInput};
use taizhang_app::view::View;
use taizhang_core::feedback::{local_input_value, Level, SourceKind};

/// Categories offered in the form; any other may be typed.
const CATEGORIES: [&str; 6] = ["民生诉求", "政策咨询", "投诉举报", "意见建议", "网络舆情", "媒体关注"];

fn new_form(
    view: &View,
    user: &CurrentUser,
    group: i64,
    now: DateTime<Utc>,
    values: &ItemInput,
    flash: Markup,
) -> Markup {
    let people = people_of(view, group);
    let owner = values.owner_id.unwrap_or(user.person.id);
    let finder = values.discovered_by.unwrap_or(user.person.id);
    let at = if values.discovered_at.is_empty() { local_input_value(now) } else { values.discovered_at.clone() };
    html! {
        (back_to_register(group))
        h1 { "登记舆情与诉求" }
        (flash)
        form.record method="post" action=(format!("/units/{group}/feedback")) {
            (csrf_field(user))
            label for="source_kind" { "来源" }
            select #source_kind name="source_kind" required {
                @for k in SourceKind::ALL { option value=(k.code()) selected[k.code() == values.source_kind] { (k.label()) } }
            }
            label for="source_detail" { "平台或来源说明（如 微博、12345热线）" }
            input #source_detail type="text" name="source_detail" value=(values.source_detail);
            label for="source_url" { "公开链接（网络平台必填）" }
            input #source_url type="url" name="source_url" value=(values.source_url) placeholder="https://";
            label for="summary" { "内容摘要" }
            textarea #summary name="summary" rows="3" required { (values.summary) }
            label for="category" { "类别" }
            input #category type="text" name="category" list="categories" value=(values.category) required;
            datalist #categories { @for c in CATEGORIES { option value=(c) {} } }
            label for="level" { "等级" }
            select #level name="level" required {
                @for l in Level::ALL { option value=(l.code()) selected[l.code() == values.level] { (l.label()) } }
            }
            label for="owner_id" { "责任人" }
            select #owner_id name="owner_id" { (person_options(&people, owner)) }
            label for="discovered_at" { "发现时间" }
            input #discovered_at type="datetime-local" name="discovered_at" value=(at) required;
            label for="discovered_by" { "发现人" }
            select #discovered_by name="discovered_by" { (person_options(&people, finder)) }
            label for="note" { "发现情况（可选）" }
            textarea #note name="note" rows="2" { (values.note) }
            button.btn type="submit" { "保存" }
        }
    }
}

/// GET /units/{id}/feedback/new
pub async fn new_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let markup = new_form(&view, &user, group, state.now(), &ItemInput::default(), html! {});
    Ok(page("登记舆情与诉求", Some(&user), markup).into_response())
}

/// POST /units/{id}/feedback
pub async fn create(c: Ctx, Submitted { form, .. }: Submitted<ItemInput>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let outcome = service::create(&state, &view, &user, id, &form).await;
    respond(
        outcome,
        |item| format!("/feedback/{}", item.id),
        async |refusal| {
            let markup = new_form(&view, &user, group, state.now(), &form, refusal.flash());
            Ok(page("登记舆情与诉求", Some(&user), markup))
        },
    )
    .await
}
