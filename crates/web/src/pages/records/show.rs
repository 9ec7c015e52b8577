//! A record with its revisions.

use super::display_value;
use crate::context::Ctx;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{respond_done, Query, Submitted};
use crate::pages::layout::{csrf_field, page};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::records;
use taizhang_core::fields::field_texts;
use taizhang_core::period::{chinese_date, shanghai_minute};
use taizhang_store::{Void, VOID_REASON_MAX_CHARS};

#[derive(Deserialize)]
pub struct VoidForm {
    #[serde(default)]
    reason: String,
}

/// The void banner of a voided record.
fn void_banner(void: &Void) -> Markup {
    html! {
        div.flash.error {
            strong { "已作废" } "：" (void.by_name) " 于 " (shanghai_minute(void.at)) " 作废，原因：" (void.reason)
            "。该记录不再计入任何统计、报告和台账。"
        }
    }
}

fn void_form(user: &crate::auth::CurrentUser, id: i64, typed: &str) -> Markup {
    html! {
        details {
            summary { "作废这条记录" }
            form.record method="post" action=(format!("/records/{id}/void")) {
                (csrf_field(user))
                label for="reason" { "作废原因（必填，如：测试数据、重复录入、录错单位）" }
                textarea #reason name="reason" rows="2" maxlength=(VOID_REASON_MAX_CHARS) required { (typed) }
                p.muted { "作废后记录仍可查看，但不再计入统计、报告和台账；此操作记入审计记录，不能撤销。" }
                button.btn type="submit" { "确认作废" }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    uploaded: Option<String>,
    voided: Option<String>,
}

pub async fn show(c: Ctx, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let flash = match (&q.uploaded, &q.voided) {
        (Some(n), _) => html! { div.flash.ok { "已上传" (n) "个文件。" } },
        (None, Some(_)) => html! { div.flash.ok { "文件已作废。" } },
        _ => html! {},
    };
    Ok(page_with(&state, &view, &user, id, flash).await?.into_response())
}

/// The record's page with `flash` above it (for the files' forms too).
pub(crate) async fn page_with(
    state: &crate::state::AppState,
    view: &taizhang_app::view::View,
    user: &crate::auth::CurrentUser,
    id: i64,
    flash: Markup,
) -> Result<Markup, AppError> {
    Ok(page("记录", Some(user), record_page(state, view, user, id, flash, "").await?))
}

/// POST /records/{id}/void
pub async fn void(c: Ctx, Submitted { form, .. }: Submitted<VoidForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let outcome = records::void(&state, &view, &user, id, &form.reason).await;
    respond_done(
        Done::Voided,
        outcome,
        |_| format!("/records/{id}"),
        async |refusal| {
            Ok(page("记录", Some(&user), record_page(&state, &view, &user, id, refusal.flash(), &form.reason).await?))
        },
    )
    .await
}

async fn record_page(
    state: &crate::state::AppState,
    view: &taizhang_app::view::View,
    user: &crate::auth::CurrentUser,
    id: i64,
    flash: Markup,
    typed_reason: &str,
) -> Result<Markup, AppError> {
    let records::Shown { record, group, void, can_void } = records::load_with_void(state, view, user, id).await?;
    let revisions = state.store.revisions(id).await?;
    let files = taizhang_app::attachments::of(state, view, user, taizhang_app::attachments::Parent::Record(id)).await?;
    let can_write = void.is_none() && view.access(user).can_write(record.unit_id);
    Ok(html! {
        p.back { a href=(format!("/units/{group}/records")) { "← 返回记录列表" } }
        (flash)
        @if let Some(v) = &void { (void_banner(v)) }
        h1 { @if void.is_some() { "【已作废】" } (record.kind().label()) "：" (record.data.title()) }
        table {
            tr { th { "所属" } td { (view.tree.get(record.unit_id).map(|u| u.name.as_str()).unwrap_or("")) } }
            tr { th { "日期" } td { (chinese_date(record.occurred_on)) } }
            @for (spec, text) in field_texts(&record.data) {
                tr { th { (spec.label) } td style="white-space:pre-wrap" { (display_value(view, spec, &text)) } }
            }
            tr { th { "录入时间" } td { (shanghai_minute(record.entered_at)) } }
            tr { th { "版本" } td { "第" (record.revision) "版" } }
        }
        @if can_write { p { a.btn href=(format!("/records/{id}/edit")) { "修改" } } }
        (crate::pages::attachments::section(user, id, &files, can_write))
        @if can_void { (void_form(user, id, typed_reason)) }
        @if !revisions.is_empty() {
            h2 { "历史版本" }
            table {
                thead { tr { th { "版本" } th { "日期" } th { "内容" } th { "被替换时间" } } }
                tbody { @for r in &revisions { tr { td { "第" (r.revision) "版" } td { (chinese_date(r.occurred_on)) } td { (r.data.title()) } td { (shanghai_minute(r.replaced_at)) } } } }
            }
        }
    })
}
