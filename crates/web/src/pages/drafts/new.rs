//! A new draft, typed or from a .docx.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{invalid, respond};
use crate::pages::layout::{back, csrf_field, page};
use crate::pages::upload::Upload;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use taizhang_app::drafts::{self as drafting, publishing_channels_of};
use taizhang_app::view::View;
use taizhang_store::NewDraft;

/// A .docx upload larger than this is refused (a news article with photos
/// stays well below). The route raises axum's 2MB body limit to match.
pub const UPLOAD_MAX_BYTES: usize = 10 * 1024 * 1024;

fn new_form(view: &View, user: &CurrentUser, group: i64, values: &NewDraft, flash: Markup) -> Markup {
    let channels = publishing_channels_of(view, group);
    html! {
        (back(&format!("/units/{group}/drafts"), "返回稿件列表"))
        h1 { "新建稿件" }
        (flash)
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
pub async fn new_page(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state: _, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let empty = NewDraft { channel_id: 0, title: String::new(), body: String::new() };
    Ok(page("新建稿件", Some(&user), new_form(&view, &user, group, &empty, html! {})).into_response())
}

/// The fields of the new-draft form; a .docx, when given, supplies the
/// body (or the reason it cannot). The .docx is unpacked on a blocking
/// thread: inflating and parsing up to the reader's caps takes a while.
async fn new_draft(upload: &Upload) -> (NewDraft, Option<String>) {
    let mut new = NewDraft {
        channel_id: upload.field("channel_id").trim().parse().unwrap_or(0),
        title: upload.field("title").to_string(),
        body: upload.field("body").to_string(),
    };
    let mut unreadable = None;
    if let Some(bytes) = upload.file("docx").map(<[u8]>::to_vec) {
        let extracted = tokio::task::spawn_blocking(move || taizhang_proof::docx::extract_text(&bytes)).await;
        match extracted.unwrap_or_else(|_| Err("解析中断".into())) {
            Ok(text) => new.body = text,
            Err(e) => unreadable = Some(format!("Word 文档无法读取：{e}")),
        }
    }
    (new, unreadable)
}

/// POST /units/{id}/drafts (multipart)
pub async fn create(c: Ctx, form: Multipart) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let upload = Upload::read(&user, form, &["docx"], UPLOAD_MAX_BYTES).await?;
    let group = view.group_of(id)?.id;
    let (new, unreadable) = new_draft(&upload).await;
    let outcome = match unreadable {
        None => drafting::create(&state, &view, &user, new.clone()).await,
        Some(m) => Err(invalid(m)),
    };
    respond(
        outcome,
        |draft| format!("/drafts/{}", draft.id),
        async |refusal| Ok(page("新建稿件", Some(&user), new_form(&view, &user, group, &new, refusal.flash()))),
    )
    .await
}
