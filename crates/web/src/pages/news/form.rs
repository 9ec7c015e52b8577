//! Recording and editing a submission.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{current_version, invalid, respond, Refusal, Submitted};
use crate::pages::layout::{back, csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::news::{self as news, Change};
use taizhang_app::view::View;
use taizhang_core::fields::parse_date;
use taizhang_core::news::{Level, Submission};

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

    /// The submission the form describes, for the Party group `group`.
    fn parse(&self, view: &View, group: i64) -> taizhang_app::Result<Submission> {
        let bad = |m: &str| invalid(m);
        let department_id = self.department_id.trim().parse().map_err(|_| bad("请选择报送科室"))?;
        let level = Level::parse(&self.level).ok_or_else(|| bad("请选择级别"))?;
        let submitted_on = parse_date(&self.submitted_on).ok_or_else(|| bad("请填写报送日期（如 2026-11-20）"))?;
        let adopted_on = optional_date(&self.adopted_on, "录用日期")?;
        let authors =
            taizhang_core::news::import::authors(&news::people(view, group), &self.authors).map_err(invalid)?;
        Ok(Submission {
            id: 0,
            unit_id: group,
            department_id,
            title: self.title.trim().to_string(),
            authors,
            outlet: self.outlet.trim().to_string(),
            level,
            submitted_on,
            adopted_on,
            issue: self.issue.trim().to_string(),
        })
    }
}

fn optional_date(text: &str, label: &str) -> taizhang_app::Result<Option<NaiveDate>> {
    match text.trim() {
        "" => Ok(None),
        t => parse_date(t).map(Some).ok_or_else(|| invalid(format!("{label}“{t}”无法识别，应如 2026-11-20"))),
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
    let body = html! {
        (back(&back_to, "返回"))
        h1 { (f.heading()) }
        (extra)
        form.record method="post" action=(action) {
            (csrf_field(user))
            @if let Some(r) = t.revision { input type="hidden" name="revision" value=(r); }
            label for="department_id" { "报送科室" }
            select #department_id name="department_id" required {
                option value="" { "（请选择）" }
                @for (id, name) in news::departments(view, f.group) {
                    option value=(id) selected[t.department_id == id.to_string()] { (name) }
                }
            }
            label for="title" { "信息标题" }
            input #title type="text" name="title" value=(t.title) required maxlength="200";
            label for="authors" { "作者" }
            input #authors type="text" name="authors" value=(t.authors) placeholder="本单位人员，多人用“、”分隔";
            label for="outlet" { "报送刊物（媒体/平台）" }
            input #outlet type="text" name="outlet" value=(t.outlet) list="outlets" required maxlength="100";
            datalist #outlets { @for o in f.outlets { option value=(o) {} } }
            label for="level" { "级别" }
            select #level name="level" required {
                option value="" { "（请选择）" }
                @for l in Level::ALL { option value=(l.code()) selected[t.level == l.code()] { (l.label()) } }
            }
            label for="submitted_on" { "报送日期" }
            input #submitted_on type="date" name="submitted_on" value=(t.submitted_on) required;
            label for="adopted_on" { "录用日期（未录用留空）" }
            input #adopted_on type="date" name="adopted_on" value=(t.adopted_on);
            label for="issue" { "期号或链接（录用后填写）" }
            input #issue type="text" name="issue" value=(t.issue);
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
        |s| format!("/news/{}?saved=1", s.id),
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
        |_| format!("/news/{id}?saved=1"),
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
