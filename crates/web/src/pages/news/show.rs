//! A submission's page and 登记录用.

use super::adoption;
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::{invalid, respond, Submitted};
use crate::pages::layout::{csrf_field, page};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::news::{self as news, Change};
use taizhang_app::view::View;
use taizhang_core::fields::parse_date;
use taizhang_core::news::Submission;
use taizhang_core::period::chinese_date;

/// A submission's page: its fields, 修改, and 登记录用 while not adopted.
fn detail(view: &View, user: &CurrentUser, s: &Submission, revision: i64, today: NaiveDate, note: Markup) -> Markup {
    let can_write = view.access(user).can_write(s.unit_id);
    html! {
        p.back { a href=(format!("/units/{}/news?period={}", s.unit_id, chrono::Datelike::year(&s.submitted_on))) { "← 返回信息报送台账" } }
        h1 { (s.title) }
        (note)
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
pub async fn show(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let (s, revision) = news::load(&state, &view, &user, id).await?;
    let note = html! {};
    Ok(page("信息报送", Some(&user), detail(&view, &user, &s, revision, state.today(), note)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdoptForm {
    revision: Option<i64>,
    on: String,
    issue: String,
}

/// POST /news/{id}/adopt
pub async fn adopt(c: Ctx, Submitted { form, .. }: Submitted<AdoptForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let outcome = match parse_date(&form.on) {
        Some(on) => {
            news::change(&state, &view, &user, id, form.revision, Change::Adopt { on, issue: form.issue }).await
        }
        None => Err(invalid("请填写录用日期（如 2026-11-20）")),
    };
    respond(
        outcome,
        |_| format!("/news/{id}"),
        async |refusal| {
            let (s, revision) = news::load(&state, &view, &user, id).await?;
            Ok(page("信息报送", Some(&user), detail(&view, &user, &s, revision, state.today(), refusal.flash())))
        },
    )
    .await
}
