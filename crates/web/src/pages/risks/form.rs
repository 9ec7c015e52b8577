//! Adding and editing a risk. A refused form comes back as typed; a stale
//! edit also shows the version saved meanwhile.

use super::back_to_ledger;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{current_version, respond, Refusal, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::register_form::{fields, readable, FormValues};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use taizhang_app::risks::{self as risking, ledger_unit};
use taizhang_app::view::View;
use taizhang_core::register::{self, Register};
use taizhang_core::risk::{RiskInput, DOMAINS};
use taizhang_store::Risk;

/// The form's fields by name, as `RiskInput::parse` reads them.
type Values = HashMap<String, String>;

/// What the add/edit form shows.
struct RiskForm<'a> {
    values: &'a Values,
    /// The risk edited, at the revision read; `None` for a new one.
    editing: Option<(i64, Option<i64>)>,
}

impl RiskForm<'_> {
    fn heading(&self) -> &'static str {
        if self.editing.is_some() {
            "修改风险点"
        } else {
            "新增风险点"
        }
    }
}

fn risk_form(view: &View, user: &CurrentUser, group: i64, f: &RiskForm) -> Markup {
    let action = match f.editing {
        Some((id, _)) => format!("/risks/{id}"),
        None => format!("/units/{group}/risks"),
    };
    let values = register::Values(f.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let people: Vec<(i64, String)> =
        view.people_of(group).iter().map(|p| (p.id, format!("{}（{}）", p.name, p.title))).collect();
    let form = FormValues { suggestions: &[("domain", DOMAINS)], ..FormValues::new(&values, &people) };
    html! {
        form.record method="post" action=(action) {
            (csrf_field(user))
            @if let Some((_, Some(rev))) = f.editing { input type="hidden" name="revision" value=(rev); }
            (fields::<RiskInput>(&form))
            p { button.btn type="submit" { "保存" } }
        }
    }
}

fn values_of(r: &RiskInput) -> Values {
    r.to_values().0.into_iter().collect()
}

/// The risk as saved, beside a form refused for a conflict.
fn saved_version(view: &View, risk: &Risk) -> Markup {
    let rows = readable(&risk.entry, |id| view.person_name(Some(id)));
    let rows: Vec<(&str, String)> = rows.into_iter().collect();
    current_version(risk.revision, &rows)
}

fn form_page(view: &View, user: &CurrentUser, group: i64, f: &RiskForm, extra: Markup) -> Markup {
    let body = html! {
        (back_to_ledger(group))
        h1 { (f.heading()) }
        (extra)
        (risk_form(view, user, group, f))
    };
    page(f.heading(), Some(user), body)
}

/// GET /units/{id}/risks/new
pub async fn new_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = ledger_unit(&view, &user, id, true)?.id;
    let values = Values::from([
        ("status".into(), "controlled".into()),
        ("level".into(), "medium".into()),
        ("identified_on".into(), state.today().to_string()),
    ]);
    let f = RiskForm { values: &values, editing: None };
    Ok(form_page(&view, &user, group, &f, html! {}).into_response())
}

/// Saves the form with `save`; a refusal shows it again as typed.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    group: i64,
    f: RiskForm<'_>,
    save: impl AsyncFnOnce(&View, &RiskInput) -> taizhang_app::Result<Risk>,
) -> Result<Response, AppError> {
    let view = View::load(state).await?;
    let group = ledger_unit(&view, user, group, true)?.id;
    let outcome = match RiskInput::parse(&|name| f.values.get(name).cloned().unwrap_or_default(), state.today()) {
        Ok(input) => save(&view, &input).await,
        Err(fields) => Err(taizhang_app::Error::Fields(fields)),
    };
    respond(
        outcome,
        |risk| format!("/risks/{}", risk.id),
        async |refusal: Refusal| {
            let mut f = f;
            let mut saved = html! {};
            if let (true, Some((id, _))) = (refusal.conflict, f.editing) {
                let risk = risking::load(state, &view, user, id, true).await?;
                f.editing = Some((id, Some(risk.revision)));
                saved = saved_version(&view, &risk);
            }
            let form = form_page(&view, user, group, &f, refusal.flash());
            Ok(html! { (form) (saved) })
        },
    )
    .await
}

/// POST /units/{id}/risks
pub async fn create(c: Ctx, Submitted { form, .. }: Submitted<Values>) -> Result<Response, AppError> {
    let Ctx { state, user, view: _, id } = c;
    let f = RiskForm { values: &form, editing: None };
    save(&state, &user, id, f, async |view, input| risking::create(&state, view, &user, id, input).await).await
}

/// GET /risks/{id}/edit
pub async fn edit_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let values = values_of(&risk.entry);
    let f = RiskForm { values: &values, editing: Some((id, Some(risk.revision))) };
    Ok(form_page(&view, &user, risk.unit_id, &f, html! {}).into_response())
}

/// POST /risks/{id}
pub async fn update(c: Ctx, Submitted { form, .. }: Submitted<Values>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let risk = risking::load(&state, &view, &user, id, true).await?;
    let revision = form.get("revision").and_then(|r| r.trim().parse().ok());
    let f = RiskForm { values: &form, editing: Some((id, revision)) };
    save(&state, &user, risk.unit_id, f, async |view, input| {
        risking::update(&state, view, &user, id, revision, input).await
    })
    .await
}
