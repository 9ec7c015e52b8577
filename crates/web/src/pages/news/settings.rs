//! 信息报送 statistics (by department and level, with the sentence offices
//! report, and each quota's progress), the information officers of each
//! department and the quotas.

use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::form::{invalid, refusal, respond, Pressed, Submitted};
use crate::pages::layout::{back, badge, csrf_field, flash, page, period_picker};
use crate::register_form::{fields, FormValues};
use crate::state::AppState;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::news::{self as news, Overview};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::news::stats::Tally;
use taizhang_core::news::{Level, Quota, QuotaInput, QUOTA_FIELDS};
use taizhang_core::period::Period;
use taizhang_core::register::{Register, Values};

fn back_to_register(group: i64, period: Option<Period>) -> Markup {
    let query = period.map(|p| format!("?period={}", p.code())).unwrap_or_default();
    back(&format!("/units/{group}/news{query}"), "返回信息报送台账")
}

fn tally_cells(t: &Tally) -> Markup {
    html! {
        td { (t.submitted) } td { (t.adopted) }
        @for l in Level::ALL { td { (t.level(l)) } }
    }
}

fn stats_page(view: &View, group: i64, ov: &Overview) -> Markup {
    let name = news::department_name(view, group);
    let code = ov.period.code();
    let lines = ov.progress(view);
    html! {
        (back_to_register(group, Some(ov.period)))
        h1 { (name) " · 信息报送统计" }
        (period_picker(&format!("/units/{group}/news/stats"), &code))
        p.summary { (ov.stats.sentence()) }
        h2 { "按科室和级别统计（" (ov.stats.span) "）" }
        div.scroll { table.news-stats {
            thead { tr { th { "科室" } th { "报送（篇）" } th { "录用（篇）" } @for l in Level::ALL { th { (l.label()) "录用" } } } }
            tbody {
                @for d in &ov.stats.departments { tr { td { (d.name) } (tally_cells(&d.tally)) } }
                tr.total { td { strong { "合计" } } (tally_cells(&ov.stats.total)) }
            }
        } }
        p.muted { "报送按报送日期统计，录用按录用日期统计，级别为录用刊物的级别。" }
        h2 { "定额完成情况" }
        @if lines.is_empty() {
            p.muted { "尚未设定定额。" a href=(format!("/units/{group}/news/quotas")) { "设定定额" } }
        } @else {
            div.scroll { table.quota-progress {
                thead { tr { th { "科室" } th { "期间" } th { "定额" } th { "完成（篇）" } th { "差额（篇）" } th { "状态" } th { "说明" } } }
                tbody {
                    @for l in &lines {
                        tr {
                            td.nowrap { (l.subject) }
                            td.nowrap { (l.progress.period.label()) }
                            td { (l.quota.describe()) }
                            td { (l.progress.done) }
                            td { (l.progress.shortfall()) }
                            td { (badge(l.progress.status)) }
                            td { (l.progress.text) }
                        }
                    }
                }
            } }
        }
    }
}

/// GET /units/{id}/news/stats?period=2026
pub async fn stats(c: Ctx, Query(q): Query<PeriodQuery>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let ov = news::overview(&state, &view, group, q.resolve(&state)?).await?;
    Ok(page("信息报送统计", Some(&user), stats_page(&view, group, &ov)).into_response())
}

/// `typed`: a refused form's department and names, shown as typed.
fn officers_page(
    view: &View,
    user: &CurrentUser,
    group: i64,
    ov: &Overview,
    flash: Markup,
    typed: Option<&OfficersForm>,
) -> Markup {
    let name = news::department_name(view, group);
    let can = news::may_configure(view, user, group);
    let names = |dept: i64| -> String {
        let ids = ov.data.officers.iter().filter(|o| o.department_id == dept).map(|o| Some(o.person_id));
        ids.map(|id| view.person_name(id)).collect::<Vec<_>>().join("、")
    };
    html! {
        (back_to_register(group, None))
        h1 { (name) " · 信息员" }
        (flash)
        p.muted { "每个科室指定信息员，负责本科室信息的采写和报送。由书记、班子成员或系统管理员指定，须为本单位人员。" }
        table.officers {
            thead { tr { th { "科室" } th { "信息员" } @if can { th { "指定" } } } }
            tbody {
                @for (dept, dept_name) in news::departments(view, group).into_iter().filter(|(id, _)| *id != group) {
                    tr {
                        td { (dept_name) }
                        td.person { (names(dept)) }
                        @if can {
                            td {
                                form.toolbar method="post" action=(format!("/units/{group}/news/officers")) {
                                    (csrf_field(user))
                                    input type="hidden" name="department_id" value=(dept);
                                    @let shown = typed.filter(|t| t.department_id == dept).map(|t| t.names.clone()).unwrap_or_else(|| names(dept));
                                    input type="text" name="names" value=(shown) aria-label=(format!("{dept_name}信息员")) placeholder="姓名，多人用“、”分隔";
                                    button.btn.plain type="submit" { "保存" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// GET /units/{id}/news/officers
pub async fn officers(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let ov = news::overview(&state, &view, group, Period::year(chrono::Datelike::year(&state.today()))).await?;
    Ok(page("信息员", Some(&user), officers_page(&view, &user, group, &ov, html! {}, None)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct OfficersForm {
    department_id: i64,
    #[serde(default)]
    names: String,
}

/// POST /units/{id}/news/officers: the page again, saying it saved.
pub async fn set_officers(c: Ctx, Submitted { form, .. }: Submitted<OfficersForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let (status, flash, typed) =
        match news::set_officers(&state, &view, &user, group, form.department_id, &form.names).await {
            Ok(()) => (StatusCode::OK, flash("ok", html! { "已保存。" }), None),
            Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, refusal(e)?.flash(), Some(&form)),
        };
    let ov = news::overview(&state, &view, group, Period::year(chrono::Datelike::year(&state.today()))).await?;
    let body = officers_page(&view, &user, group, &ov, flash, typed);
    Ok((status, page("信息员", Some(&user), body)).into_response())
}

/// The quota form's fields, from the schema, with today's labels (no
/// stars): 科室 a `<select>` of the unit's departments, 全单位 first; a
/// blank form on 每季度.
fn quota_fields(view: &View, group: i64, typed: Option<&QuotaForm>) -> Markup {
    let values = typed.map_or_else(
        || {
            let mut v = Values::default();
            v.set("cadence", "quarter");
            v
        },
        QuotaForm::values,
    );
    let departments: Vec<(i64, String)> =
        news::departments(view, group).into_iter().filter(|(id, _)| *id != group).collect();
    let form = FormValues {
        options: &[("department_id", &departments)],
        blank: &[("department_id", "全单位")],
        star_required: false,
        ..FormValues::new(&values, &[])
    };
    fields::<QuotaInput>(&form)
}

/// `typed`: a refused form, shown as typed.
fn quotas_page(
    view: &View,
    user: &CurrentUser,
    group: i64,
    quotas: &[Quota],
    flash: Markup,
    typed: Option<&QuotaForm>,
) -> Markup {
    let name = news::department_name(view, group);
    let can = news::may_configure(view, user, group);
    let subject = |q: &Quota| q.department_id.map(|d| news::department_name(view, d)).unwrap_or("全单位".into());
    html! {
        (back_to_register(group, None))
        h1 { (name) " · 信息报送定额" }
        (flash)
        p.muted { "定额按科室（或全单位）、周期和口径设定：报送按报送日期计，录用按录用日期计。期满未完成的，在工作台“信息报送”事项中显示为已逾期。" }
        table.quotas {
            thead { tr { th { "科室" } th { "定额" } @if can { th { "操作" } } } }
            tbody {
                @for q in quotas {
                    tr {
                        td { (subject(q)) }
                        td { (q.describe()) }
                        @if can {
                            td {
                                form method="post" action=(format!("/units/{group}/news/quotas/{}/delete", q.id)) {
                                    (csrf_field(user))
                                    button.btn.plain type="submit" { "删除" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if quotas.is_empty() { p.muted { "尚未设定定额。" } }
        @if can {
            h2 { "设定定额" }
            p.muted { "同一科室、周期和口径只有一个定额，再次设定即修改。" }
            form.record method="post" action=(format!("/units/{group}/news/quotas")) {
                (csrf_field(user))
                (quota_fields(view, group, typed))
                button.btn type="submit" { "保存定额" }
            }
        }
    }
}

/// GET /units/{id}/news/quotas
pub async fn quotas(c: Ctx) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let quotas = state.store.news_quotas(&[group]).await?;
    Ok(page("信息报送定额", Some(&user), quotas_page(&view, &user, group, &quotas, html! {}, None)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QuotaForm {
    department_id: String,
    cadence: String,
    measure: String,
    target: String,
}

impl QuotaForm {
    fn values(&self) -> Values {
        let mut v = Values::default();
        v.set("department_id", &self.department_id);
        v.set("cadence", &self.cadence);
        v.set("measure", &self.measure);
        v.set("target", &self.target);
        v
    }

    /// The quota typed in; the first problem (in the form's order) worded
    /// as the form always worded it.
    fn parse(&self) -> taizhang_app::Result<Quota> {
        let input = QuotaInput::from_values(&self.values(), None).map_err(|errors| {
            let first = QUOTA_FIELDS.iter().find(|f| errors.iter().any(|e| e.field == f.name));
            invalid(match first.map(|f| f.name) {
                Some("department_id") => "科室无法识别",
                Some("cadence") => "请选择周期",
                Some("measure") => "请选择口径",
                _ => "定额须为1至1000篇",
            })
        })?;
        Ok(Quota::new(0, input))
    }
}

/// After a quota change: back to the list, or the list with the refusal.
async fn quotas_after(
    state: &AppState,
    view: &View,
    user: &CurrentUser,
    group: i64,
    outcome: taizhang_app::Result<()>,
    typed: Option<&QuotaForm>,
) -> Result<Response, AppError> {
    respond(
        outcome,
        |_| format!("/units/{group}/news/quotas"),
        async |refusal| {
            let quotas = state.store.news_quotas(&[group]).await?;
            let body = quotas_page(view, user, group, &quotas, refusal.flash(), typed);
            Ok(page("信息报送定额", Some(user), body))
        },
    )
    .await
}

/// POST /units/{id}/news/quotas
pub async fn set_quota(c: Ctx, Submitted { form, .. }: Submitted<QuotaForm>) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    if !news::may_configure(&view, &user, group) {
        return Err(AppError::Forbidden);
    }
    let outcome = match form.parse() {
        Ok(q) => news::set_quota(&state, &view, &user, group, q).await.map(|_| ()),
        Err(e) => Err(e),
    };
    quotas_after(&state, &view, &user, group, outcome, Some(&form)).await
}

/// POST /units/{id}/news/quotas/{quota}/delete
pub async fn delete_quota(c: Ctx, Path((_, quota)): Path<(i64, i64)>, _: Pressed) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let group = view.group_of(id)?.id;
    let outcome = news::delete_quota(&state, &view, &user, group, quota).await;
    quotas_after(&state, &view, &user, group, outcome, None).await
}
