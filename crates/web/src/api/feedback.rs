//! The feedback register (舆情与诉求) over the API: the same entries and
//! steps as the pages, checked by the same rules on the server.

use super::{created, ApiList, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::AppState;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use taizhang_app::feedback::{self as service, ItemInput, StepInput};
use taizhang_core::feedback::{deadlines, DeadlineStatus};
use taizhang_store::FeedbackItem;

fn deadline_json(d: &DeadlineStatus) -> Value {
    let mut v = json!({
        "code": d.deadline.code,
        "action": d.deadline.action,
        "hours": d.deadline.hours,
        "due_at": d.due_at,
        "label": d.label(),
    });
    if let (Some(out), Ok(Value::Object(state))) = (v.as_object_mut(), serde_json::to_value(d.state)) {
        out.extend(state);
    }
    v
}

fn item_json(state: &AppState, item: &FeedbackItem) -> Value {
    let f = &item.feedback;
    let status = f.status();
    let limits = deadlines(f, &state.feedback_limits, state.now());
    json!({
        "id": item.id,
        "unit_id": item.unit_id,
        "source": {
            "kind": f.source.kind.code(),
            "kind_label": f.source.kind.label(),
            "detail": f.source.detail,
            "url": f.source.url,
        },
        "summary": f.summary,
        "category": f.category,
        "level": f.level.code(),
        "level_label": f.level.label(),
        "owner": f.owner,
        "status": status.code(),
        "status_label": status.label(),
        "discovered_at": f.discovered_at(),
        "closed_at": f.closed_at(),
        "overdue": limits.iter().any(|d| d.is_overdue()),
        "deadlines": limits.iter().map(deadline_json).collect::<Vec<_>>(),
        "steps": f.steps,
        "allowed_next": f.allowed_next().iter().map(|k| k.code()).collect::<Vec<_>>(),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    })
}

/// GET /units/{id}/feedback: the same filters, search and `page` as the list page.
pub async fn list(c: Ctx, q: ApiList) -> Result<Json<Value>, ApiError> {
    let items = crate::pages::feedback::filtered(&c, &q.0).await?.kept;
    Ok(Json(Value::Array(q.page(&items)?.iter().map(|i| item_json(&c.state, i)).collect())))
}

pub async fn create(c: Ctx, Body(input): Body<ItemInput>) -> Result<Response, ApiError> {
    let item = service::create(&c.state, &c.view, &c.user, c.id, &input).await?;
    Ok(created(item_json(&c.state, &item)))
}

pub async fn get(c: Ctx) -> Result<Json<Value>, ApiError> {
    let item = service::load(&c.state, &c.view, &c.user, c.id, false).await?;
    Ok(Json(item_json(&c.state, &item)))
}

pub async fn step(c: Ctx, Body(input): Body<StepInput>) -> Result<Json<Value>, ApiError> {
    let item = service::record_step(&c.state, &c.view, &c.user, c.id, &input).await?;
    Ok(Json(item_json(&c.state, &item)))
}
