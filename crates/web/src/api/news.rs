//! 信息报送 over the API: the same steps and access rules as the pages.

use super::register::entry_json;
use super::{bad_request, created, ApiList, ApiQuery, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use taizhang_app::news::{self as news, Change};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::news::stats::Tally;
use taizhang_core::news::{Level, Submission, SubmissionInput};

fn submission_json(view: &View, s: &Submission, revision: i64) -> Value {
    entry_json(
        &s.input(),
        json!({
            "id": s.id,
            "unit_id": s.unit_id,
            "department": news::department_name(view, s.department_id),
            "author_ids": s.authors,
            "authors": news::author_names(view, s),
            "adopted": s.adopted_on.is_some(),
            "revision": revision,
        }),
    )
}

/// GET /units/{id}/news?period=2026: submissions sent or adopted in the
/// period, with the same filters, search and `page` as the list page.
pub async fn list(c: Ctx, q: ApiList) -> Result<Json<Value>, ApiError> {
    let group = c.group()?;
    let ov = news::overview(&c.state, &c.view, group, q.0.period_or_year(&c.state)?).await?;
    let revision =
        |id: i64| ov.data.submissions.iter().zip(&ov.revisions).find(|(s, _)| s.id == id).map_or(0, |(_, r)| *r);
    let kept = crate::pages::news::filtered(&c.view, group, &ov, &q.0)?;
    let items = q.page(&kept)?.iter().map(|s| submission_json(&c.view, s, revision(s.id)));
    Ok(Json(Value::Array(items.collect())))
}

#[derive(Deserialize)]
pub struct SubmissionIn {
    department_id: i64,
    title: String,
    #[serde(default)]
    author_ids: Vec<i64>,
    outlet: String,
    level: String,
    submitted_on: NaiveDate,
    adopted_on: Option<NaiveDate>,
    #[serde(default)]
    issue: String,
    /// For updates: the revision the client last read.
    revision: Option<i64>,
}

impl SubmissionIn {
    fn submission(self, unit_id: i64) -> Result<Submission, ApiError> {
        let level = Level::parse(&self.level).ok_or_else(|| {
            bad_request(format!("未知的级别：{}（可用 national、provincial、municipal、county）", self.level))
        })?;
        let input = SubmissionInput {
            title: self.title,
            department_id: self.department_id,
            outlet: self.outlet,
            level,
            submitted_on: self.submitted_on,
            adopted_on: self.adopted_on,
            issue: self.issue,
        };
        Ok(Submission::new(unit_id, self.author_ids, input))
    }
}

/// POST /units/{id}/news
pub async fn create(c: Ctx, Body(body): Body<SubmissionIn>) -> Result<Response, ApiError> {
    let group = c.group()?;
    c.view.access(&c.user).require_write(group)?;
    let saved = news::add(&c.state, &c.view, &c.user, group, body.submission(group)?).await?;
    Ok(created(submission_json(&c.view, &saved, 1)))
}

/// GET /news/{id}
pub async fn get(c: Ctx) -> Result<Json<Value>, ApiError> {
    let (s, revision) = news::load(&c.state, &c.view, &c.user, c.id).await?;
    Ok(Json(submission_json(&c.view, &s, revision)))
}

/// PUT /news/{id}: every field as edited (adopted_on null = not adopted).
pub async fn update(c: Ctx, Body(body): Body<SubmissionIn>) -> Result<Json<Value>, ApiError> {
    let (state, view, user) = (&c.state, &c.view, &c.user);
    let (current, _) = news::load(state, view, user, c.id).await?;
    view.access(user).require_write(current.unit_id)?;
    let revision = body.revision;
    let edited = body.submission(current.unit_id)?;
    let saved = news::change(state, view, user, c.id, revision, Change::Edit(edited)).await?;
    let (_, revision) = news::load(state, view, user, c.id).await?;
    Ok(Json(submission_json(view, &saved, revision)))
}

fn tally_json(t: &Tally) -> Value {
    let levels: Map<String, Value> = Level::ALL.iter().map(|l| (l.code().to_string(), json!(t.level(*l)))).collect();
    json!({ "submitted": t.submitted, "adopted": t.adopted, "adopted_by_level": levels })
}

/// GET /units/{id}/news/statistics?period=2026
pub async fn statistics(c: Ctx, ApiQuery(q): ApiQuery<PeriodQuery>) -> Result<Json<Value>, ApiError> {
    let (view, group) = (&c.view, c.group()?);
    let ov = news::overview(&c.state, view, group, q.resolve(&c.state)?).await?;
    let departments: Vec<Value> = ov
        .stats
        .departments
        .iter()
        .map(|d| {
            let mut v = tally_json(&d.tally);
            v["department_id"] = json!(d.department_id);
            v["name"] = json!(d.name);
            v
        })
        .collect();
    let quotas: Vec<Value> = ov
        .progress(view)
        .iter()
        .map(|l| {
            json!({
                "quota_id": l.quota.id,
                "subject": l.subject,
                "department_id": l.quota.department_id,
                "cadence": l.quota.cadence.code(),
                "measure": l.quota.measure.code(),
                "target": l.quota.target,
                "period": l.progress.period.code(),
                "done": l.progress.done,
                "shortfall": l.progress.shortfall(),
                "status": l.progress.status.code(),
                "text": l.progress.text,
            })
        })
        .collect();
    let officers: Vec<Value> = ov
        .data
        .officers
        .iter()
        .map(|o| json!({ "department_id": o.department_id, "person_id": o.person_id, "name": view.person_name(Some(o.person_id)) }))
        .collect();
    Ok(Json(json!({
        "unit_id": group,
        "period": ov.period.code(),
        "span": ov.stats.span,
        "through": ov.stats.through,
        "sentence": ov.stats.sentence(),
        "total": tally_json(&ov.stats.total),
        "departments": departments,
        "quotas": quotas,
        "officers": officers,
    })))
}
