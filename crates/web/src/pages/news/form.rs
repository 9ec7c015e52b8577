//! Recording and editing a submission.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{current_version, invalid, respond, Refusal, Submitted};
use crate::pages::layout::{back, csrf_field, page};
use crate::register_form::{field, fields_except, FormValues};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::news::{self as news, Change};
use taizhang_app::view::View;
use taizhang_core::news::{NewsError, Submission, SubmissionInput};
use taizhang_core::record::FieldError;
use taizhang_core::register::{Register, Values};

/// The submission form's fields as typed, so a refused form comes back filled in.
#[derive(Debug, Default, Deserialize)]
pub struct SubmissionForm {
    revision: Option<i64>,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    authors: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    submitted_on: String,
    #[serde(default)]
    adopted_on: String,
    #[serde(default)]
    issue: String,
}

impl SubmissionForm {
    fn of(s: &Submission, view: &View, revision: i64) -> Self {
        SubmissionForm {
            revision: Some(revision),
            department_id: s.department_id.to_string(),
            title: s.title.clone(),
            authors: news::author_names(view, s),
            outlet: s.outlet.clone(),
            level: s.level.code().into(),
            submitted_on: s.submitted_on.to_string(),
            adopted_on: s.adopted_on.map(|d| d.to_string()).unwrap_or_default(),
            issue: s.issue.clone(),
        }
    }

    /// The plain fields as typed, by name.
    fn values(&self) -> Values {
        let mut v = Values::default();
        for (name, text) in [
            ("department_id", &self.department_id),
            ("title", &self.title),
            ("outlet", &self.outlet),
            ("level", &self.level),
            ("submitted_on", &self.submitted_on),
            ("adopted_on", &self.adopted_on),
            ("issue", &self.issue),
        ] {
            v.set(name, text.as_str());
        }
        v
    }

    /// The submission the form describes, for the Party group `group`:
    /// the plain fields read by the schema, the authors by name. The first
    /// problem is reported, worded as the form always worded it.
    fn parse(&self, view: &View, group: i64) -> taizhang_app::Result<Submission> {
        let values = self.values();
        let authors = taizhang_core::news::import::authors(&news::people(view, group), &self.authors);
        match (SubmissionInput::from_values(&values, None), authors) {
            (Ok(input), Ok(authors)) => Ok(Submission::new(group, authors, input)),
            (Ok(_), Err(message)) => Err(invalid(message)),
            (Err(errors), authors) => {
                let rank = |e: &FieldError| {
                    let order = ["department_id", "level", "submitted_on", "adopted_on", "", "title", "outlet"];
                    order.iter().position(|n| *n == e.field).unwrap_or(order.len())
                };
                let first = errors.into_iter().min_by_key(rank).expect("an error");
                match authors {
                    Err(message) if rank(&first) > 4 => Err(invalid(message)),
                    _ => Err(invalid(form_message(&first, values.get(first.field).trim()))),
                }
            }
        }
    }
}

/// A field's problem as the form has always worded it.
fn form_message(e: &FieldError, text: &str) -> String {
    let too_long = |max: usize| text.chars().count() > max;
    match e.field {
        "department_id" => "请选择报送科室".into(),
        "level" => "请选择级别".into(),
        "submitted_on" => "请填写报送日期（如 2026-11-20）".into(),
        "adopted_on" => format!("录用日期“{text}”无法识别，应如 2026-11-20"),
        "title" if text.is_empty() => NewsError::NoTitle.to_string(),
        "title" if too_long(200) => NewsError::TitleTooLong.to_string(),
        "outlet" if text.is_empty() => NewsError::NoOutlet.to_string(),
        "outlet" if too_long(100) => NewsError::OutletTooLong.to_string(),
        _ => e.message.clone(),
    }
}

/// The outlets a group has used, for the form's suggestions.
async fn outlets(state: &AppState, group: i64) -> Result<Vec<String>, AppError> {
    let mut all: Vec<String> =
        state.store.news_submissions(&[group], None).await?.into_iter().map(|(s, _)| s.outlet).collect();
    all.sort();
    all.dedup();
    Ok(all)
}

/// The form page: a new submission for `group`, or an edit of `editing`.
struct FormPage<'a> {
    group: i64,
    editing: Option<i64>,
    typed: &'a SubmissionForm,
    outlets: &'a [String],
}

impl FormPage<'_> {
    fn heading(&self) -> &'static str {
        if self.editing.is_some() {
            "修改报送信息"
        } else {
            "登记报送信息"
        }
    }
}

fn form_page(view: &View, user: &CurrentUser, f: &FormPage, extra: Markup) -> Markup {
    let t = f.typed;
    let (action, back_to) = match f.editing {
        Some(id) => (format!("/news/{id}"), format!("/news/{id}")),
        None => (format!("/units/{}/news", f.group), format!("/units/{}/news", f.group)),
    };
    let values = t.values();
    let departments = news::departments(view, f.group);
    let outlets: Vec<&str> = f.outlets.iter().map(String::as_str).collect();
    // Today's labels without stars; a level is chosen, never preselected.
    let form = FormValues {
        suggestions: &[("outlet", &outlets)],
        star_required: false,
        options: &[("department_id", &departments)],
        choose_first: true,
        ..FormValues::new(&values, &[])
    };
    let body = html! {
        (back(&back_to, "返回"))
        h1 { (f.heading()) }
        (extra)
        form.record method="post" action=(action) {
            (csrf_field(user))
            @if let Some(r) = t.revision { input type="hidden" name="revision" value=(r); }
            (field::<SubmissionInput>(&form, "department_id"))
            (field::<SubmissionInput>(&form, "title"))
            label for="authors" { "作者" }
            input #authors type="text" name="authors" value=(t.authors) placeholder="本单位人员，多人用“、”分隔";
            (fields_except::<SubmissionInput>(&form, &["department_id", "title"]))
            button.btn type="submit" { "保存" }
        }
    };
    page(f.heading(), Some(user), body)
}

/// The submission as saved, beside a form refused for a conflict.
fn saved_version(view: &View, s: &Submission, revision: i64) -> Markup {
    let rows = [
        ("报送科室", news::department_name(view, s.department_id)),
        ("信息标题", s.title.clone()),
        ("作者", news::author_names(view, s)),
        ("报送刊物（媒体/平台）", s.outlet.clone()),
        ("级别", s.level.label().to_string()),
        ("报送日期", s.submitted_on.to_string()),
        ("录用日期", s.adopted_on.map(|d| d.to_string()).unwrap_or_default()),
        ("期号或链接", s.issue.clone()),
    ];
    current_version(revision, &rows)
}

/// GET /units/{id}/news/new
pub async fn new_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    let typed = SubmissionForm { submitted_on: state.today().to_string(), ..Default::default() };
    let outlets = outlets(&state, group).await?;
    let f = FormPage { group, editing: None, typed: &typed, outlets: &outlets };
    Ok(form_page(&view, &user, &f, html! {}).into_response())
}

/// POST /units/{id}/news
pub async fn create(c: Ctx, Submitted { form, .. }: Submitted<SubmissionForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    let outcome = match form.parse(&view, group) {
        Ok(new) => news::add(&state, &view, &user, group, new).await,
        Err(e) => Err(e),
    };
    respond(
        outcome,
        |s| format!("/news/{}", s.id),
        async |refusal: Refusal| {
            let outlets = outlets(&state, group).await?;
            let f = FormPage { group, editing: None, typed: &form, outlets: &outlets };
            Ok(form_page(&view, &user, &f, refusal.flash()))
        },
    )
    .await
}

/// GET /news/{id}/edit
pub async fn edit_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (s, revision) = news::load(&state, &view, &user, id).await?;
    view.access(&user).require_write(s.unit_id)?;
    let typed = SubmissionForm::of(&s, &view, revision);
    let outlets = outlets(&state, s.unit_id).await?;
    let f = FormPage { group: s.unit_id, editing: Some(id), typed: &typed, outlets: &outlets };
    Ok(form_page(&view, &user, &f, html! {}).into_response())
}

/// POST /news/{id}
pub async fn update(c: Ctx, Submitted { mut form, .. }: Submitted<SubmissionForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (current, _) = news::load(&state, &view, &user, id).await?;
    let group = current.unit_id;
    view.access(&user).require_write(group)?;
    let outcome = match form.parse(&view, group) {
        Ok(edited) => news::change(&state, &view, &user, id, form.revision, Change::Edit(edited)).await,
        Err(e) => Err(e),
    };
    respond(
        outcome,
        |_| format!("/news/{id}"),
        async |refusal: Refusal| {
            let mut saved = html! {};
            if refusal.conflict {
                let (s, revision) = news::load(&state, &view, &user, id).await?;
                form.revision = Some(revision);
                saved = saved_version(&view, &s, revision);
            }
            let outlets = outlets(&state, group).await?;
            let f = FormPage { group, editing: Some(id), typed: &form, outlets: &outlets };
            Ok(html! { (form_page(&view, &user, &f, refusal.flash())) (saved) })
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_problem_is_worded_as_the_form_always_worded_it() {
        let e = |field: &'static str| FieldError { field, message: "schema".into() };
        assert_eq!(form_message(&e("department_id"), ""), "请选择报送科室");
        assert_eq!(form_message(&e("adopted_on"), "昨天"), "录用日期“昨天”无法识别，应如 2026-11-20");
        assert_eq!(form_message(&e("title"), ""), "请填写信息标题");
        assert_eq!(form_message(&e("outlet"), &"长".repeat(101)), "刊物、媒体或平台名称不能超过100字");
        let typed = SubmissionForm { title: " 标题 ".into(), level: "市级".into(), ..Default::default() };
        assert_eq!((typed.values().get("title"), typed.values().get("level")), (" 标题 ", "市级"));
    }
}
