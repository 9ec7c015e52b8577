//! Pre-publication review (三审三校) pages: the drafts of a Party group, a
//! new draft (typed or a .docx), a draft with the proofreader's findings
//! marked in the text and the forms of the step the reader may take, and
//! the 三审三校记录清单 as .xlsx. Every rule is checked on the server by
//! `taizhang_core::review`; the forms only offer what is likely allowed.

use super::downloads::{content_disposition, XLSX};
use super::layout::{csrf_field, page};
use super::upload::Upload;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::drafts::{self as drafting, proofread, publishing_channels_of};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::period::shanghai_minute;
use taizhang_core::review::{cleared_message, is_web_address, Event, Review, Stage};
use taizhang_docs::ledger::write_xlsx;
use taizhang_docs::review_ledger::{review_ledger, ReviewedDraft};
use taizhang_proof::{Finding, Severity};
use taizhang_store::{Draft, NewDraft, ReviewStep};

/// A .docx upload larger than this is refused (a news article with photos
/// stays well below). The route raises axum's 2MB body limit to match.
pub const UPLOAD_MAX_BYTES: usize = 10 * 1024 * 1024;

fn channel_name(view: &View, id: i64) -> String {
    view.org.channels.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default()
}

/// A link only for web addresses; anything else is shown as text.
fn link(url: &str) -> Markup {
    if is_web_address(url) {
        html! { a href=(url) rel="noopener noreferrer" { (url) } }
    } else {
        html! { (url) }
    }
}

fn status_badge(review: &Review) -> Markup {
    let status = review.status();
    html! { span class=(format!("badge r-{}", status.code())) { (status.label()) } }
}

/// GET /units/{id}/drafts?period=2026
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let access = view.access(&user);
    access.require_view(id)?;
    let group = view.group_of(id)?;
    let period = q.resolve(&state)?;
    let (from, to) = period.instants();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let drafts = state.store.drafts(&units, from, to).await?;
    let body = html! {
        p { a href=(format!("/units/{}", group.id)) { "← 返回工作台" } " · " a href=(format!("/units/{}/channels", group.id)) { "宣传阵地台账" } }
        h1 { (group.name) " · " (period.label()) "稿件审校（三审三校）" }
        form.toolbar method="get" action=(format!("/units/{}/drafts", group.id)) {
            label { "期间 " input type="text" name="period" value=(period.code()) size="8"; }
            button.btn.plain type="submit" { "查看" }
            a.btn.plain href=(format!("/units/{}/drafts.xlsx?period={}", group.id, period.code())) download { "三审三校记录清单（Excel）" }
            @if access.can_write(group.id) { a.btn href=(format!("/units/{}/drafts/new", group.id)) { "新建稿件" } }
        }
        table {
            thead { tr { th { "提交时间" } th { "标题" } th { "发布阵地" } th { "撰稿人" } th { "稿次" } th { "状态" } } }
            tbody {
                @for d in &drafts {
                    tr {
                        td.date { (shanghai_minute(d.created_at)) }
                        td { a href=(format!("/drafts/{}", d.id)) { (d.title) } }
                        td { (channel_name(&view, d.channel_id)) }
                        td { (view.person_name(d.author_id)) }
                        td.nowrap { "第" (d.review.version) "稿" }
                        td { (status_badge(&d.review)) }
                    }
                }
            }
        }
        @if drafts.is_empty() { p.muted { "该期间没有稿件。" } }
    };
    Ok(page("稿件审校", Some(&user), body).into_response())
}

/// GET /units/{id}/drafts.xlsx?period=2026: the 三审三校记录清单.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_view(id)?;
    let group = view.group_of(id)?;
    let period = q.resolve(&state)?;
    let (from, to) = period.instants();
    let units: Vec<i64> = view.tree.subtree(group.id).iter().map(|u| u.id).collect();
    let mut drafts = state.store.drafts(&units, from, to).await?;
    drafts.reverse(); // oldest first, as a ledger is kept
    let names: Vec<(String, String)> =
        drafts.iter().map(|d| (channel_name(&view, d.channel_id), view.person_name(d.author_id))).collect();
    let rows: Vec<ReviewedDraft> = drafts
        .iter()
        .zip(&names)
        .map(|(d, (channel, author))| ReviewedDraft {
            title: &d.title,
            channel,
            author,
            submitted_at: d.created_at,
            review: &d.review,
        })
        .collect();
    let bytes = write_xlsx(&review_ledger(&group.name, &period.label(), &rows))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("{}{}三审三校记录清单.xlsx", group.name, period.label());
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&name, "review-ledger.xlsx")),
        ],
        bytes,
    )
        .into_response())
}

fn new_form(view: &View, user: &CurrentUser, group: i64, values: &NewDraft, error: Option<&str>) -> Markup {
    let channels = publishing_channels_of(view, group);
    html! {
        p { a href=(format!("/units/{group}/drafts")) { "← 返回稿件列表" } }
        h1 { "新建稿件" }
        @if let Some(e) = error { div.flash.error { (e) } }
        @if channels.is_empty() { div.flash.error { "本单位还没有登记宣传阵地，请先由管理员在“系统管理”中添加。" } }
        form.record method="post" action=(format!("/units/{group}/drafts")) enctype="multipart/form-data" {
            (csrf_field(user))
            label for="channel_id" { "发布阵地" }
            select #channel_id name="channel_id" required {
                @for c in &channels { option value=(c.id) selected[c.id == values.channel_id] { (c.name) } }
            }
            label for="title" { "标题" }
            input #title type="text" name="title" value=(values.title) required;
            label for="body" { "正文" }
            textarea #body name="body" rows="16" { (values.body) }
            label for="docx" { "或上传 Word 文档（.docx，正文取自文档）" }
            input #docx type="file" name="docx" accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            p.muted { "保存后系统自动校对，并进入初审一校。" }
            button.btn type="submit" { "保存并提交审校" }
        }
    }
}

/// GET /units/{id}/drafts/new
pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    let empty = NewDraft { channel_id: 0, title: String::new(), body: String::new() };
    Ok(page("新建稿件", Some(&user), new_form(&view, &user, group, &empty, None)).into_response())
}

/// The fields of the new-draft form; a .docx, when given, supplies the body.
async fn read_new_draft(form: Multipart) -> Result<(String, NewDraft), AppError> {
    let upload = Upload::read(form, &["docx"], UPLOAD_MAX_BYTES).await?;
    let mut new = NewDraft {
        channel_id: upload.field("channel_id").trim().parse().unwrap_or(0),
        title: upload.field("title").to_string(),
        body: upload.field("body").to_string(),
    };
    if let Some(bytes) = upload.file("docx") {
        new.body = taizhang_proof::docx::extract_text(bytes)
            .map_err(|e| AppError::BadRequest(format!("Word 文档无法读取：{e}")))?;
    }
    Ok((upload.field("csrf").to_string(), new))
}

/// POST /units/{id}/drafts (multipart)
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, AppError> {
    let (csrf, new) = read_new_draft(form).await?;
    user.check_csrf(&csrf)?;
    let view = View::load(&state).await?;
    view.access(&user).require_write(id)?;
    let group = view.group_of(id)?.id;
    match drafting::create(&state, &view, &user, new.clone()).await.map_err(AppError::from) {
        Ok(draft) => Ok(Redirect::to(&format!("/drafts/{}", draft.id)).into_response()),
        Err(AppError::BadRequest(m)) | Err(AppError::NotFound(m)) => {
            let markup = page("新建稿件", Some(&user), new_form(&view, &user, group, &new, Some(&m)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The text with each finding marked; overlapping findings keep the first.
fn marked_text(text: &str, findings: &[Finding]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let piece = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    // (plain text before the mark, the marked text, its number, the finding)
    let mut marks = Vec::new();
    let mut pos = 0;
    for (n, f) in findings.iter().enumerate() {
        if f.start >= pos && f.end <= chars.len() {
            marks.push((piece(pos, f.start), piece(f.start, f.end), n + 1, f));
            pos = f.end;
        }
    }
    let rest = piece(pos.min(chars.len()), chars.len());
    html! {
        @for (before, marked, n, f) in &marks {
            (before)
            mark class=(format!("f-{}", f.severity)) title=(finding_tip(f)) { (marked) sup { (n) } }
        }
        (rest)
    }
}

fn finding_tip(f: &Finding) -> String {
    match f.suggestions.first() {
        Some(s) => format!("{} → {}：{}", f.original, s, f.reason),
        None => format!("{}：{}", f.original, f.reason),
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "提示",
        Severity::Note => "参考",
    }
}

fn findings_table(title: &[Finding], body: &[Finding], body_text: &str) -> Markup {
    let line_col = |offset: usize| {
        let before: Vec<char> = body_text.chars().take(offset).collect();
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let col = before.iter().rev().take_while(|c| **c != '\n').count() + 1;
        format!("第{line}行第{col}字")
    };
    html! {
        @if title.is_empty() && body.is_empty() {
            div.flash.ok { "自动校对未发现问题。校对不能代替人工审校。" }
        } @else {
            h2 { "自动校对结果（" (title.len() + body.len()) "处）" }
            table.findings {
                thead { tr { th { "序号" } th { "位置" } th { "级别" } th { "原文" } th { "建议" } th { "说明" } } }
                tbody {
                    @for (n, f) in title.iter().enumerate() {
                        tr { td { "题" (n + 1) } td { "标题" } td { (severity_label(f.severity)) } td { (f.original) } td { (f.suggestions.join("、")) } td { (f.reason) } }
                    }
                    @for (n, f) in body.iter().enumerate() {
                        tr { td { (n + 1) } td.nowrap { (line_col(f.start)) } td { (severity_label(f.severity)) } td { (f.original) } td { (f.suggestions.join("、")) } td { (f.reason) } }
                    }
                }
            }
        }
    }
}

fn event_line(e: &Event) -> Markup {
    match e {
        Event::Edited { by, at, version, cleared } => html! {
            li { (shanghai_minute(*at)) " " (by.name) " 修改为第" (version) "稿"
                @if let Some(m) = cleared_message(cleared) { "（" (m) "）" } }
        },
        Event::Approved(s) => {
            html! { li { (shanghai_minute(s.at)) " " (s.by.name) " 签署“" (s.stage.label()) "”（第" (s.version) "稿）" @if !s.opinion.is_empty() { "：" (s.opinion) } } }
        }
        Event::Rejected(s) => {
            html! { li { (shanghai_minute(s.at)) " " (s.by.name) " 在“" (s.stage.label()) "”退回：" (s.opinion) } }
        }
        Event::Published { by, at, url } => {
            html! { li { (shanghai_minute(*at)) " " (by.name) " 发布：" (link(url)) } }
        }
    }
}

fn stages_table(view: &View, review: &Review, reviewers: &taizhang_core::review::Reviewers) -> Markup {
    html! {
        table.stages {
            thead { tr { th { "环节" } th { "审核人" } th { "签署" } } }
            tbody {
                @for stage in Stage::ALL {
                    tr {
                        td.nowrap { (stage.label()) }
                        td { (reviewers.for_stage(stage).iter().map(|id| view.person_name(Some(*id))).collect::<Vec<_>>().join("、")) }
                        td {
                            @match review.signed_for(stage) {
                                Some(s) => { (s.by.name) " " (shanghai_minute(s.at)) @if !s.opinion.is_empty() { "，意见：" (s.opinion) } }
                                None => { span.muted { "未签署" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the reader may do next, as forms; the server checks again.
fn actions(view: &View, user: &CurrentUser, draft: &Draft, reviewers: &taizhang_core::review::Reviewers) -> Markup {
    let access = view.access(user);
    let review = &draft.review;
    let version = review.version;
    let me = taizhang_core::review::Person { id: user.person.id, name: user.person.name.clone() };
    let pending = review.next_stage().filter(|s| review.may_sign(*s, &me, reviewers));
    html! {
        @if review.published.is_none() {
            @if let Some(stage) = pending {
                form.record method="post" action=(format!("/drafts/{}/sign", draft.id)) {
                    (csrf_field(user))
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="stage" value=(stage.code());
                    label for="opinion" { (stage.label()) "意见" }
                    textarea #opinion name="opinion" rows="3" {}
                    button.btn type="submit" name="decision" value="approve" { "同意（签署" (stage.label()) "）" }
                    " "
                    button.btn.plain type="submit" name="decision" value="reject" { "退回修改" }
                }
            }
            @if review.next_stage().is_none() && access.can_write(draft.unit_id) {
                form.record method="post" action=(format!("/drafts/{}/publish", draft.id)) {
                    (csrf_field(user))
                    input type="hidden" name="version" value=(version);
                    label for="url" { "发布链接" }
                    input #url type="url" name="url" required placeholder="https://";
                    button.btn type="submit" { "登记发布" }
                }
            }
            @if access.can_write(draft.unit_id) {
                p { a.btn.plain href=(format!("/drafts/{}/edit", draft.id)) { "修改稿件" } }
            }
        }
    }
}

fn parse_stage(code: &str) -> Result<Stage, AppError> {
    Stage::parse(code).ok_or_else(|| AppError::BadRequest(format!("未知的审校环节：{code}")))
}

async fn draft_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    draft: &Draft,
    flash: Option<(&str, &str)>,
) -> Result<Markup, AppError> {
    let reviewers = state.store.channel_reviewers(draft.channel_id).await?;
    let (title_findings, body_findings) = (proofread(&draft.title), proofread(&draft.body));
    let body = html! {
        p { a href=(format!("/units/{}/drafts", draft.unit_id)) { "← 返回稿件列表" } }
        h1 { (marked_text(&draft.title, &title_findings)) }
        p { (status_badge(&draft.review)) " 第" (draft.review.version) "稿 · " (channel_name(view, draft.channel_id))
            " · 撰稿人 " (view.person_name(draft.author_id)) " · 提交于 " (shanghai_minute(draft.created_at)) }
        @if let Some((class, message)) = flash { div class=(format!("flash {class}")) { (message) } }
        @if let Some((at, url)) = &draft.review.published { div.flash.ok { "已于" (shanghai_minute(*at)) "发布：" (link(url)) } }
        div.draft-body { (marked_text(&draft.body, &body_findings)) }
        (findings_table(&title_findings, &body_findings, &draft.body))
        h2 { "三审三校" }
        (stages_table(view, &draft.review, &reviewers))
        (actions(view, user, draft, &reviewers))
        h2 { "审校记录" }
        ol.history { @for e in &draft.review.history { (event_line(e)) } }
        @if draft.review.history.is_empty() { p.muted { "尚无审校记录。" } }
    };
    Ok(page(&draft.title, Some(user), body))
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// Codes of the stages an edit just cleared, to say so.
    pub cleared: Option<String>,
}

/// GET /drafts/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let draft = drafting::load(&state, &view, &user, id, false).await?;
    let cleared: Vec<Stage> =
        q.cleared.as_deref().unwrap_or("").split(',').filter_map(|c| parse_stage(c).ok()).collect();
    let message = cleared_message(&cleared);
    let flash = message.as_deref().map(|m| ("error", m));
    Ok(draft_page(&state, &view, &user, &draft, flash).await?.into_response())
}

/// GET /drafts/{id}/edit
pub async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    let draft = drafting::load(&state, &view, &user, id, true).await?;
    let signed = draft.review.signed.len();
    let body = html! {
        p { a href=(format!("/drafts/{id}")) { "← 返回稿件" } }
        h1 { "修改稿件" }
        @if signed > 0 { div.flash.error { "本稿已有" (signed) "个环节签署。保存修改后，您所在环节及以后环节的签署将失效，须重新审校。" } }
        form.record method="post" action=(format!("/drafts/{id}/edit")) {
            (csrf_field(&user))
            input type="hidden" name="version" value=(draft.review.version);
            label for="title" { "标题" }
            input #title type="text" name="title" value=(draft.title) required;
            label for="body" { "正文" }
            textarea #body name="body" rows="18" { (draft.body) }
            button.btn type="submit" { "保存修改" }
        }
    };
    Ok(page("修改稿件", Some(&user), body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    csrf: String,
    version: Option<u32>,
    stage: Option<String>,
    decision: Option<String>,
    opinion: Option<String>,
    title: Option<String>,
    body: Option<String>,
    url: Option<String>,
}

/// Runs a step from a form; a refused step shows the draft with the reason.
async fn run_step(
    state: AppState,
    user: CurrentUser,
    id: i64,
    form: StepForm,
    step: impl FnOnce(&StepForm, chrono::NaiveDate) -> Result<ReviewStep, AppError>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    let view = View::load(&state).await?;
    let step = step(&form, state.today())?;
    match drafting::apply(&state, &view, &user, id, form.version, step).await.map_err(AppError::from) {
        Ok((_, cleared)) if !cleared.is_empty() => {
            let codes: Vec<&str> = cleared.iter().map(|s| s.code()).collect();
            Ok(Redirect::to(&format!("/drafts/{id}?cleared={}", codes.join(","))).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/drafts/{id}")).into_response()),
        Err(AppError::BadRequest(m)) | Err(AppError::Conflict(m)) => {
            let draft = drafting::load(&state, &view, &user, id, false).await?;
            let markup = draft_page(&state, &view, &user, &draft, Some(("error", &m))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(e) => Err(e),
    }
}

/// POST /drafts/{id}/sign (decision=approve|reject)
pub async fn sign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    run_step(state, user, id, form, |f, _| {
        let stage = parse_stage(f.stage.as_deref().unwrap_or(""))?;
        let opinion = f.opinion.clone().unwrap_or_default();
        match f.decision.as_deref() {
            Some("approve") => Ok(ReviewStep::Approve { stage, opinion }),
            Some("reject") => Ok(ReviewStep::Reject { stage, opinion }),
            _ => Err(AppError::BadRequest("请选择同意或退回".into())),
        }
    })
    .await
}

/// POST /drafts/{id}/edit
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    run_step(state, user, id, form, |f, _| {
        Ok(ReviewStep::Edit { title: f.title.clone().unwrap_or_default(), body: f.body.clone().unwrap_or_default() })
    })
    .await
}

/// POST /drafts/{id}/publish
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    run_step(state, user, id, form, |f, today| {
        Ok(ReviewStep::Publish { url: f.url.clone().unwrap_or_default(), on: today })
    })
    .await
}
