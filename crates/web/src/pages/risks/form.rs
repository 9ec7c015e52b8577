//! Adding and editing a risk. A refused form comes back as typed; a stale
//! edit also shows the version saved meanwhile.

use super::back_to_ledger;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{current_version, respond, Refusal, Submitted};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use taizhang_app::risks::{self as risking, ledger_unit};
use taizhang_app::view::View;
use taizhang_core::risk::{RiskInput, RiskLevel, RiskStatus, DOMAINS};
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
    let v = |name: &str| f.values.get(name).cloned().unwrap_or_default();
    let action = match f.editing {
        Some((id, _)) => format!("/risks/{id}"),
        None => format!("/units/{group}/risks"),
    };
    html! {
        form.record method="post" action=(action) {
            (csrf_field(user))
            @if let Some((_, Some(rev))) = f.editing { input type="hidden" name="revision" value=(rev); }
            label for="domain" { "风险领域 *" }
            input #domain type="text" name="domain" list="domains" value=(v("domain")) required;
            datalist #domains { @for d in DOMAINS { option value=(d) {} } }
            label for="title" { "风险点 *" }
            input #title type="text" name="title" value=(v("title")) required;
            div.help { "简短的名称，本单位台账内不重复；分析研判时按此名称选择。" }
            label for="level" { "风险等级 *" }
            select #level name="level" {
                @for l in RiskLevel::ALL { option value=(l.code()) selected[v("level") == l.code()] { (l.label()) } }
            }
            label for="description" { "风险描述" }
            textarea #description name="description" { (v("description")) }
            label for="measures" { "防范化解措施 *" }
            textarea #measures name="measures" required { (v("measures")) }
            label for="owner_id" { "责任人 *" }
            select #owner_id name="owner_id" required {
                option value="" { "请选择" }
                @for p in view.people_of(group) { option value=(p.id) selected[v("owner_id") == p.id.to_string()] { (p.name) "（" (p.title) "）" } }
            }
            label for="status" { "状态" }
            select #status name="status" {
                @for s in RiskStatus::ALL { option value=(s.code()) selected[v("status") == s.code()] { (s.label()) } }
            }
            label for="identified_on" { "登记日期" }
            input #identified_on type="date" name="identified_on" value=(v("identified_on"));
            p { button.btn type="submit" { "保存" } }
        }
    }
}

fn values_of(r: &RiskInput) -> Values {
    [
        ("domain", r.domain.clone()),
        ("title", r.title.clone()),
        ("level", r.level.code().into()),
        ("description", r.description.clone()),
        ("measures", r.measures.clone()),
        ("owner_id", r.owner_id.map(|i| i.to_string()).unwrap_or_default()),
        ("status", r.status.code().into()),
        ("identified_on", r.identified_on.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The risk as saved, beside a form refused for a conflict.
fn saved_version(view: &View, risk: &Risk) -> Markup {
    let e = &risk.entry;
    let rows = [
        ("风险领域", e.domain.clone()),
        ("风险点", e.title.clone()),
        ("风险等级", e.level.label().to_string()),
        ("风险描述", e.description.clone()),
        ("防范化解措施", e.measures.clone()),
        ("责任人", view.person_name(e.owner_id)),
        ("状态", e.status.label().to_string()),
    ];
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
        |risk| format!("/risks/{}?saved=1", risk.id),
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
