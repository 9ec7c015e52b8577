//! A draft with the proofreader's findings, its stages and history, and
//! the forms of the step the reader may take.

use super::{channel_name, link, status_badge};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::attachments::{files_section, upload_form};
use crate::pages::layout::{back, csrf_field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::attachments::{self, Parent};
use taizhang_app::drafts::{self as drafting, proofread};
use taizhang_app::view::View;
use taizhang_core::drafts::{cleared_message, Event, OpenError, Review, Stage};
use taizhang_core::period::shanghai_minute;
use taizhang_proof::{Finding, Severity};
use taizhang_store::Draft;

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
                        tr { td.num { "题" (n + 1) } td { "标题" } td { (severity_label(f.severity)) } td { (f.original) } td { (f.suggestions.join("、")) } td { (f.reason) } }
                    }
                    @for (n, f) in body.iter().enumerate() {
                        tr { td.num { (n + 1) } td.nowrap { (line_col(f.start)) } td { (severity_label(f.severity)) } td { (f.original) } td { (f.suggestions.join("、")) } td { (f.reason) } }
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
        Event::Approved(s) => html! {
            li {
                (shanghai_minute(s.at)) " " (s.by.name) " 签署“" (s.stage.label()) "”（第" (s.version) "稿）"
                @if !s.opinion.is_empty() { "：" (s.opinion) }
                @for a in &s.acknowledged { div.muted { "保留校对提示“" (a.original) "”，理由：" (a.reason) } }
            }
        },
        Event::Rejected(s) => {
            html! { li { (shanghai_minute(s.at)) " " (s.by.name) " 在“" (s.stage.label()) "”退回：" (s.opinion) } }
        }
        Event::Published { by, at, url } => {
            html! { li { (shanghai_minute(*at)) " " (by.name) " 发布：" (link(url)) } }
        }
    }
}

fn stages_table(view: &View, review: &Review, reviewers: &taizhang_core::drafts::Reviewers) -> Markup {
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
fn actions(
    view: &View,
    user: &CurrentUser,
    draft: &Draft,
    reviewers: &taizhang_core::drafts::Reviewers,
    open: &[OpenError],
) -> Markup {
    let access = view.access(user);
    let review = &draft.review;
    let version = review.version;
    let me = taizhang_core::drafts::Person { id: user.person.id, name: user.person.name.clone() };
    let pending = review.next_stage().filter(|s| review.may_sign(*s, &me, reviewers));
    html! {
        @if review.published.is_none() {
            @if let Some(stage) = pending {
                form.record method="post" action=(format!("/drafts/{}/sign", draft.id)) {
                    (csrf_field(user))
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="stage" value=(stage.code());
                    @if !open.is_empty() {
                        fieldset.acknowledge {
                            legend { "自动校对发现" (open.len()) "处错误：请先修改稿件；确需保留原文的（如人名、引文），逐条写明理由" }
                            @for e in open {
                                label {
                                    "“" (e.original) "”"
                                    @if !e.suggestion.is_empty() { "（建议改为“" (e.suggestion) "”）" }
                                    " 保留理由 "
                                    input type="text" name=(format!("ack_{}_{}", e.part, e.start)) maxlength="200";
                                }
                            }
                        }
                    }
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

pub(super) fn parse_stage(code: &str) -> taizhang_app::Result<Stage> {
    Stage::parse(code).ok_or_else(|| taizhang_app::Error::Invalid(format!("未知的审校环节：{code}")))
}

pub(super) async fn draft_page(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    draft: &Draft,
    flash: Markup,
) -> Result<Markup, AppError> {
    let reviewers = state.store.channel_reviewers(draft.channel_id).await?;
    let (title_findings, body_findings) = proofread(&draft.title, &draft.body).await;
    let open = drafting::open_errors_in(&title_findings, &body_findings);
    let files = attachments::of(state, view, user, Parent::Draft(draft.id)).await?;
    let can_upload = draft.review.published.is_some() && view.access(user).can_write(draft.unit_id);
    let body = html! {
        (back(&format!("/units/{}/drafts", draft.unit_id), "返回稿件列表"))
        h1 { (marked_text(&draft.title, &title_findings)) }
        p { (status_badge(&draft.review)) " 第" (draft.review.version) "稿 · " (channel_name(view, draft.channel_id))
            " · 撰稿人 " (view.person_name(draft.author_id)) " · 提交于 " (shanghai_minute(draft.created_at)) }
        (flash)
        @if let Some((at, url)) = &draft.review.published { div.flash.ok { "已于" (shanghai_minute(*at)) "发布：" (link(url)) } }
        div.draft-body { (marked_text(&draft.body, &body_findings)) }
        (findings_table(&title_findings, &body_findings, &draft.body))
        h2 { "三审三校" }
        (stages_table(view, &draft.review, &reviewers))
        @if let Some(why) = taizhang_core::drafts::stuck_reason(&draft.review, &reviewers) { div.flash.error { (why) } }
        (actions(view, user, draft, &reviewers, &open))
        h2 { "审校记录" }
        ol.history { @for e in &draft.review.history { (event_line(e)) } }
        @if draft.review.history.is_empty() { p.muted { "尚无审校记录。" } }
        @if draft.review.published.is_some() || !files.is_empty() {
            (files_section(user, &files, &|_| None, html! {
                @if can_upload {
                    p.muted { "上传发布版本的截图或PDF，作为已发布的佐证。" }
                    (upload_form(user, &format!("/drafts/{}/attachments", draft.id), "", "上传"))
                }
            }))
        }
    };
    Ok(page(&draft.title, Some(user), body))
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// Codes of the stages an edit just cleared, to say so.
    pub cleared: Option<String>,
}

/// GET /drafts/{id}
pub async fn show(c: Ctx, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let draft = drafting::load(&state, &view, &user, id, false).await?;
    let cleared: Vec<Stage> =
        q.cleared.as_deref().unwrap_or("").split(',').filter_map(|c| parse_stage(c).ok()).collect();
    let message = cleared_message(&cleared);
    let flash = html! { @if let Some(m) = message { div.flash.error { (m) } } };
    Ok(draft_page(&state, &view, &user, &draft, flash).await?.into_response())
}
