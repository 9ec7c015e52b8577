//! Registering a new entry.

use super::{back_to_register, person_options};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{respond, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::register_form::{field, fields_except, FormValues};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use taizhang_app::feedback::{self as service, people_of, ItemInput};
use taizhang_app::view::View;
use taizhang_core::feedback::{local_input_value, FeedbackInput};
use taizhang_core::register::Values;

/// The schema's fields placed first, in the form's order (the rest, if
/// any, follow them).
const PLACED: [&str; 7] = ["source_kind", "source_detail", "source_url", "summary", "category", "level", "owner_id"];

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
    let mut typed = Values::default();
    for (name, text) in [
        ("source_kind", &values.source_kind),
        ("source_detail", &values.source_detail),
        ("source_url", &values.source_url),
        ("summary", &values.summary),
        ("category", &values.category),
        ("level", &values.level),
    ] {
        typed.set(name, text.as_str());
    }
    typed.set("owner_id", owner.to_string());
    let choices: Vec<(i64, String)> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    // Today's labels (the prompts carry the hints), without stars or help.
    let form = FormValues {
        suggestions: &[("category", &CATEGORIES)],
        star_required: false,
        help: false,
        urls: &["source_url"],
        ..FormValues::new(&typed, &choices)
    };
    html! {
        (back_to_register(group))
        h1 { "登记舆情与诉求" }
        (flash)
        form.record method="post" action=(format!("/units/{group}/feedback")) {
            (csrf_field(user))
            // The plain fields from the schema, in the form's order.
            @for name in PLACED { (field::<FeedbackInput>(&form, name)) }
            (fields_except::<FeedbackInput>(&form, &PLACED))
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
