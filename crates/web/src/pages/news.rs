//! 信息报送 pages: a unit's register of submissions for a period (with the
//! sentence offices report), recording and editing a submission, marking
//! it adopted (录用), the CSV import and the .xlsx export. Statistics,
//! officers and quotas are in `news_settings`.

use super::downloads::{content_disposition, XLSX};
use super::layout::{csrf_field, page, period_picker};
use super::upload::Upload;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::news::{self as news, Change, Overview};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::fields::parse_date;
use taizhang_core::news::import::COLUMNS;
use taizhang_core::news::{Level, Submission};
use taizhang_core::period::chinese_date;
use taizhang_docs::ledger::write_workbook;
use taizhang_docs::news_ledger::{news_ledgers, NewsBook};

/// Larger CSV files are refused (a year of submissions is a few hundred lines).
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;

fn adoption(s: &Submission) -> Markup {
    html! {
        @match s.adopted_on {
            Some(on) => { span.badge.s-met { "已录用" } " " (chinese_date(on)) }
            None => span.badge.s-pending { "未录用" },
        }
    }
}

fn list_page(view: &View, user: &CurrentUser, group: i64, ov: &Overview, flash: Option<(&str, Markup)>) -> Markup {
    let name = news::department_name(view, group);
    let code = ov.period.code();
    html! {
        p { a href=(format!("/units/{group}?period={code}")) { "← 返回工作台" } }
        h1 { (name) " · 信息报送台账" }
        @if let Some((class, message)) = flash { div class=(format!("flash {class}")) { (message) } }
        (period_picker(&format!("/units/{group}/news"), &code))
        div.toolbar {
            @if view.access(user).can_write(group) { a.btn href=(format!("/units/{group}/news/new")) { "登记信息" } }
            a.btn.plain href=(format!("/units/{group}/news/stats?period={code}")) { "统计与定额完成情况" }
            a.btn.plain href=(format!("/units/{group}/news/officers")) { "信息员" }
            a.btn.plain href=(format!("/units/{group}/news/quotas")) { "定额" }
            a.btn.plain href=(format!("/units/{group}/news.xlsx?period={code}")) download { "信息报送台账（Excel）" }
        }
        p.summary { (ov.stats.sentence()) }
        div.scroll { table.news {
            thead { tr { th { "报送日期" } th { "科室" } th { "信息标题" } th { "作者" } th { "报送刊物（媒体/平台）" } th { "级别" } th { "录用" } } }
            tbody {
                @for s in &ov.data.submissions {
                    tr {
                        td.date { (chinese_date(s.submitted_on)) }
                        td.nowrap { (news::department_name(view, s.department_id)) }
                        td { a href=(format!("/news/{}", s.id)) { (s.title) } }
                        td.person { (news::author_names(view, s)) }
                        td { (s.outlet) }
                        td.nowrap { (s.level.label()) }
                        td.nowrap { (adoption(s)) }
                    }
                }
            }
        } }
        @if ov.data.submissions.is_empty() { p.muted { "本期没有报送或录用的信息。" } }
        @if view.access(user).can_write(group) { (import_form(user, group)) }
    }
}

fn import_form(user: &CurrentUser, group: i64) -> Markup {
    html! {
        details {
            summary { "从 CSV 导入信息" }
            form.record method="post" action=(format!("/units/{group}/news/import")) enctype="multipart/form-data" {
                (csrf_field(user))
                p.help { "UTF-8 CSV（Excel 另存为“CSV UTF-8”），表头：" (COLUMNS.join(",")) "。标题、科室、刊物、级别、报送日期必填；科室、作者须为本单位的；级别填国家级、省级、市级或县级；未录用的录用日期和期号留空。整个文件先校验，有错则一条也不导入。" }
                input type="file" name="file" accept=".csv,text/csv" required;
                button.btn type="submit" { "导入" }
            }
        }
    }
}

/// GET /units/{id}/news?period=2026
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    let ov = news::overview(&state, &view, group, q.resolve(&state)?).await?;
    Ok(page("信息报送", Some(&user), list_page(&view, &user, group, &ov, None)).into_response())
}

/// GET /units/{id}/news.xlsx?period=2026
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?;
    let ov = news::overview(&state, &view, group.id, q.resolve(&state)?).await?;
    let progress: Vec<_> = ov.progress(&view).into_iter().map(|l| (l.subject, l.quota.clone(), l.progress)).collect();
    let book = NewsBook {
        unit_name: &group.name,
        stats: &ov.stats,
        submissions: &ov.data.submissions,
        progress: &progress,
        department_name: &|id| news::department_name(&view, id),
        person_name: &|id| view.person_name(Some(id)),
    };
    let bytes = write_workbook(&news_ledgers(&book)).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("{}{}信息报送台账.xlsx", group.name, ov.stats.span);
    let headers = [
        (header::CONTENT_TYPE, XLSX.to_string()),
        (header::CONTENT_DISPOSITION, content_disposition(&name, "news.xlsx")),
    ];
    Ok((headers, bytes).into_response())
}

/// The submission form's fields as typed, so a refused form comes back filled in.
#[derive(Debug, Default, Deserialize)]
pub struct SubmissionForm {
    #[serde(default)]
    csrf: String,
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
            csrf: String::new(),
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
    fn parse(&self, view: &View, group: i64) -> Result<Submission, AppError> {
        let bad = |m: &str| AppError::BadRequest(m.into());
        let department_id = self.department_id.trim().parse().map_err(|_| bad("请选择报送科室"))?;
        let level = Level::parse(&self.level).ok_or_else(|| bad("请选择级别"))?;
        let submitted_on = parse_date(&self.submitted_on).ok_or_else(|| bad("请填写报送日期（如 2026-11-20）"))?;
        let adopted_on = optional_date(&self.adopted_on, "录用日期")?;
        let authors = taizhang_core::news::import::authors(&news::people(view, group), &self.authors)
            .map_err(AppError::BadRequest)?;
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

fn optional_date(text: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => parse_date(t)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest(format!("{label}“{t}”无法识别，应如 2026-11-20"))),
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

struct FormPage<'a> {
    group: i64,
    heading: &'a str,
    action: String,
    typed: &'a SubmissionForm,
    outlets: &'a [String],
    error: Option<&'a str>,
}

fn form_page(view: &View, user: &CurrentUser, f: &FormPage) -> Markup {
    let t = f.typed;
    let back = match t.revision {
        Some(_) => f.action.clone(),
        None => format!("/units/{}/news", f.group),
    };
    html! {
        p { a href=(back) { "← 返回" } }
        h1 { (f.heading) }
        @if let Some(e) = f.error { div.flash.error { (e) } }
        form.record method="post" action=(f.action) {
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
    }
}

/// GET /units/{id}/news/new
pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    let typed = SubmissionForm { submitted_on: state.today().to_string(), ..Default::default() };
    let outlets = outlets(&state, group).await?;
    let f = FormPage {
        group,
        heading: "登记报送信息",
        action: format!("/units/{group}/news"),
        typed: &typed,
        outlets: &outlets,
        error: None,
    };
    Ok(page("登记报送信息", Some(&user), form_page(&view, &user, &f)).into_response())
}

/// POST /units/{id}/news
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<SubmissionForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf)?;
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    let saved = match f.parse(&view, group) {
        Ok(new) => news::add(&state, &view, &user, group, new).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(s) => Ok(Redirect::to(&format!("/news/{}?saved=1", s.id)).into_response()),
        Err(AppError::BadRequest(m)) => {
            let outlets = outlets(&state, group).await?;
            let fp = FormPage {
                group,
                heading: "登记报送信息",
                action: format!("/units/{group}/news"),
                typed: &f,
                outlets: &outlets,
                error: Some(&m),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("登记报送信息", Some(&user), form_page(&view, &user, &fp)))
                .into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// A submission's page: its fields, 修改, and 登记录用 while not adopted.
fn detail(
    view: &View,
    user: &CurrentUser,
    s: &Submission,
    revision: i64,
    today: NaiveDate,
    note: Option<Markup>,
) -> Markup {
    let can_write = view.access(user).can_write(s.unit_id);
    html! {
        p { a href=(format!("/units/{}/news?period={}", s.unit_id, chrono::Datelike::year(&s.submitted_on))) { "← 返回信息报送台账" } }
        h1 { (s.title) }
        @if let Some(n) = note { (n) }
        table.kv {
            tr { th { "报送科室" } td { (news::department_name(view, s.department_id)) } }
            tr { th { "作者" } td { (news::author_names(view, s)) } }
            tr { th { "报送刊物（媒体/平台）" } td { (s.outlet) } }
            tr { th { "级别" } td { (s.level.label()) } }
            tr { th { "报送日期" } td { (chinese_date(s.submitted_on)) } }
            tr { th { "录用情况" } td { (adoption(s)) } }
            tr { th { "期号或链接" } td { (s.issue) } }
            tr { th { "版本" } td { "第" (revision) "版" } }
        }
        @if can_write {
            div.toolbar { a.btn.plain href=(format!("/news/{}/edit", s.id)) { "修改" } }
            @if s.adopted_on.is_none() {
                h2 { "登记录用" }
                form.record method="post" action=(format!("/news/{}/adopt", s.id)) {
                    (csrf_field(user))
                    input type="hidden" name="revision" value=(revision);
                    label for="on" { "录用日期" }
                    input #on type="date" name="on" value=(today.to_string()) required;
                    label for="adopt_issue" { "期号或链接" }
                    input #adopt_issue type="text" name="issue";
                    button.btn type="submit" { "登记录用" }
                }
            }
        }
    }
}

/// GET /news/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let (s, revision) = news::load(&state, &view, &user, id).await?;
    let note = q.saved.map(|_| html! { div.flash.ok { "已保存。" } });
    Ok(page("信息报送", Some(&user), detail(&view, &user, &s, revision, state.today(), note)).into_response())
}

/// GET /news/{id}/edit
pub async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let (s, revision) = news::load(&state, &view, &user, id).await?;
    view.access(&user).require_write(s.unit_id)?;
    let typed = SubmissionForm::of(&s, &view, revision);
    let outlets = outlets(&state, s.unit_id).await?;
    let f = FormPage {
        group: s.unit_id,
        heading: "修改报送信息",
        action: format!("/news/{id}"),
        typed: &typed,
        outlets: &outlets,
        error: None,
    };
    Ok(page("修改报送信息", Some(&user), form_page(&view, &user, &f)).into_response())
}

/// POST /news/{id}
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<SubmissionForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf)?;
    let view = View::load(&state).await?;
    let (current, _) = news::load(&state, &view, &user, id).await?;
    let group = current.unit_id;
    view.access(&user).require_write(group)?;
    let outcome = match f.parse(&view, group) {
        Ok(edited) => {
            news::change(&state, &view, &user, id, f.revision, Change::Edit(edited)).await.map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/news/{id}?saved=1")).into_response()),
        Err(AppError::BadRequest(m)) | Err(AppError::Conflict(m)) => {
            let outlets = outlets(&state, group).await?;
            let fp = FormPage {
                group,
                heading: "修改报送信息",
                action: format!("/news/{id}"),
                typed: &f,
                outlets: &outlets,
                error: Some(&m),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("修改报送信息", Some(&user), form_page(&view, &user, &fp)))
                .into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct AdoptForm {
    csrf: String,
    revision: Option<i64>,
    #[serde(default)]
    on: String,
    #[serde(default)]
    issue: String,
}

/// POST /news/{id}/adopt
pub async fn adopt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<AdoptForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&f.csrf)?;
    let view = View::load(&state).await?;
    let step = parse_date(&f.on)
        .ok_or_else(|| AppError::BadRequest("请填写录用日期（如 2026-11-20）".into()))
        .map(|on| Change::Adopt { on, issue: f.issue.clone() });
    let outcome = match step {
        Ok(step) => news::change(&state, &view, &user, id, f.revision, step).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/news/{id}?saved=1")).into_response()),
        Err(AppError::BadRequest(m)) | Err(AppError::Conflict(m)) => {
            let (s, revision) = news::load(&state, &view, &user, id).await?;
            let note = html! { div.flash.error { (m) } };
            let body = detail(&view, &user, &s, revision, state.today(), Some(note));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("信息报送", Some(&user), body)).into_response())
        }
        Err(e) => Err(e),
    }
}

/// POST /units/{id}/news/import (multipart: csrf, file)
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = Upload::read(form, &["file"], IMPORT_MAX_BYTES).await?;
    user.check_csrf(upload.field("csrf"))?;
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?.id;
    view.access(&user).require_write(group)?;
    if upload.file("file").is_none() {
        return Err(AppError::BadRequest("请选择要导入的文件".into()));
    }
    let text = upload.text_file("file")?;
    let outcome = news::import(&state, &view, &user, group, &text).await?;
    let period = taizhang_core::period::Period::year(chrono::Datelike::year(&state.today()));
    let ov = news::overview(&state, &view, group, period).await?;
    let (status, flash) = match outcome {
        Ok(n) => (StatusCode::OK, ("ok", html! { "已导入" (n) "条信息。" })),
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ("error", html! { "文件有误，未导入任何信息：" ul { @for e in &errors { li { (e.to_string()) } } } }),
        ),
    };
    let body = list_page(&view, &user, group, &ov, Some(flash));
    Ok((status, page("信息报送", Some(&user), body)).into_response())
}
