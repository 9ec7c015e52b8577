//! The steps of an assessment: the unit's adjustments and submission, the
//! superior's review. A refused step shows the scorecard again as typed.

use super::base;
use super::scorecard::{scorecard_page, Typed};
use crate::context::Ctx;
use crate::error::AppError;
use crate::flash::Done;
use crate::form::{invalid, respond_done, Submitted};
use crate::pages::layout::page;
use axum::response::Response;
use serde::Deserialize;
use taizhang_app::assessment::{self as assess, Decision, Step};
use taizhang_core::assessment::{Adjustment, ReviewScore, Score};

/// After a step: back to the scorecard, or the scorecard again with the
/// message and what was typed.
async fn run(
    c: Ctx,
    (year, revision): (&str, Option<i64>),
    step: taizhang_app::Result<Step>,
    typed: Typed<'_>,
) -> Result<Response, AppError> {
    let Ctx { state, user, view, id } = c;
    let year = assess::parse_year(year)?;
    let done = match &step {
        Ok(assess::Step::Submit) => Done::Submitted,
        _ => Done::Saved,
    };
    let outcome = match step {
        Ok(step) => assess::apply(&state, &view, &user, id, year, revision, step).await.map(|l| l.group.id),
        Err(e) => Err(e),
    };
    respond_done(
        done,
        outcome,
        |group| format!("{}?year={year}", base(group)),
        async |refusal| {
            let loaded = assess::load(&state, &view, &user, id, year).await?;
            Ok(page("年度考核", Some(&user), scorecard_page(&view, &user, &loaded, refusal.flash(), typed)))
        },
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdjustForm {
    year: String,
    revision: Option<i64>,
    pub(super) item_id: String,
    pub(super) delta: String,
    pub(super) reason: String,
    pub(super) evidence: String,
}

/// A score as typed, or the message saying what is wrong with it.
fn score_field(text: &str, what: &str) -> taizhang_app::Result<Score> {
    Score::parse(text).ok_or_else(|| invalid(format!("{what}应为数字（如 2 或 -1.5），至多两位小数：{text}")))
}

/// POST /units/{id}/assessment/adjustments
pub async fn adjust(c: Ctx, Submitted { form, .. }: Submitted<AdjustForm>) -> Result<Response, AppError> {
    let step = score_field(&form.delta, "调整分值").map(|delta| {
        Step::Adjust(Adjustment {
            item_id: form.item_id.clone(),
            delta,
            reason: form.reason.clone(),
            evidence: form.evidence.clone(),
        })
    });
    run(c, (&form.year, form.revision), step, Typed::Adjust(&form)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    year: String,
    revision: Option<i64>,
    item_id: String,
}

/// POST /units/{id}/assessment/adjustments/remove
pub async fn remove(c: Ctx, Submitted { form, .. }: Submitted<StepForm>) -> Result<Response, AppError> {
    let step = Ok(Step::RemoveAdjustment(form.item_id.clone()));
    run(c, (&form.year, form.revision), step, Typed::Nothing).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReopenForm {
    year: String,
    revision: Option<i64>,
    pub(super) until: String,
    pub(super) reason: String,
}

/// POST /units/{id}/assessment/reopen
pub async fn reopen(c: Ctx, Submitted { form, .. }: Submitted<ReopenForm>) -> Result<Response, AppError> {
    let step = taizhang_core::fields::parse_date(&form.until)
        .map(|until| Step::Reopen { until, reason: form.reason.clone() })
        .ok_or_else(|| invalid(format!("重新开放至的日期无效：{}", form.until)));
    run(c, (&form.year, form.revision), step, Typed::Reopen(&form)).await
}

/// POST /units/{id}/assessment/submit
pub async fn submit(c: Ctx, Submitted { form, .. }: Submitted<StepForm>) -> Result<Response, AppError> {
    run(c, (&form.year, form.revision), Ok(Step::Submit), Typed::Nothing).await
}

/// The review form's fields by name: `score.{item}` and `opinion.{item}`
/// per item of the duty list, `opinion`, `decision`, `year`, `revision`.
pub type ReviewFields = Vec<(String, String)>;

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The review: blank scores are left alone; `decision` save|finalise|return.
fn review_step(fields: &[(String, String)]) -> taizhang_app::Result<Step> {
    let mut scores = Vec::new();
    for (key, value) in fields {
        let Some(item) = key.strip_prefix("score.") else { continue };
        if value.trim().is_empty() {
            continue;
        }
        let score = score_field(value, "审核得分")?;
        let opinion = field(fields, &format!("opinion.{item}")).unwrap_or("").to_string();
        scores.push(ReviewScore { item_id: item.to_string(), score, opinion });
    }
    let opinion = field(fields, "opinion").unwrap_or("").to_string();
    let decision = match field(fields, "decision") {
        Some("save") | None => None,
        Some("finalise") => Some(Decision::Finalise { opinion }),
        Some("return") => Some(Decision::SendBack { opinion }),
        Some(other) => return Err(invalid(format!("未知的操作：{other}"))),
    };
    Ok(Step::Review { scores, decision })
}

/// POST /units/{id}/assessment/review
pub async fn review(c: Ctx, Submitted { form, .. }: Submitted<ReviewFields>) -> Result<Response, AppError> {
    let year = field(&form, "year").unwrap_or("");
    let revision = field(&form, "revision").and_then(|r| r.trim().parse().ok());
    run(c, (year, revision), review_step(&form), Typed::Review(&form)).await
}
