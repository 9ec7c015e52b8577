//! A record with its revisions.

use super::display_value;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::pages::layout::{page, SavedQuery};
use axum::response::{IntoResponse, Response};
use maud::html;
use taizhang_app::records;
use taizhang_core::fields::field_texts;
use taizhang_core::period::{chinese_date, shanghai_minute};

pub async fn show(c: Ctx, Query(q): Query<SavedQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (record, group) = records::load(&state, &view, &user, id, false).await?;
    let revisions = state.store.revisions(id).await?;
    let can_write = view.access(&user).can_write(record.unit_id);
    let body = html! {
        p { a href=(format!("/units/{group}/records")) { "← 返回记录列表" } }
        (q.flash().unwrap_or_default())
        h1 { (record.kind().label()) "：" (record.data.title()) }
        table {
            tr { th { "所属" } td { (view.tree.get(record.unit_id).map(|u| u.name.as_str()).unwrap_or("")) } }
            tr { th { "日期" } td { (chinese_date(record.occurred_on)) } }
            @for (spec, text) in field_texts(&record.data) {
                tr { th { (spec.label) } td style="white-space:pre-wrap" { (display_value(&view, spec, &text)) } }
            }
            tr { th { "录入时间" } td { (shanghai_minute(record.entered_at)) } }
            tr { th { "版本" } td { "第" (record.revision) "版" } }
        }
        @if can_write { p { a.btn href=(format!("/records/{id}/edit")) { "修改" } } }
        @if !revisions.is_empty() {
            h2 { "历史版本" }
            table {
                thead { tr { th { "版本" } th { "日期" } th { "内容" } th { "被替换时间" } } }
                tbody { @for r in &revisions { tr { td { "第" (r.revision) "版" } td { (chinese_date(r.occurred_on)) } td { (r.data.title()) } td { (shanghai_minute(r.replaced_at)) } } } }
            }
        }
    };
    Ok(page("记录", Some(&user), body).into_response())
}
