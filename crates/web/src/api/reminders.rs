//! Reminders over the API: one's notifications, and a Party group's
//! reminder settings (secrets are never returned, only whether they are set).

use super::{ApiUser, Body};
use crate::context::Ctx;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use taizhang_app::reminders::settings::{self, SettingsInput};
use taizhang_store::{ReminderRow, ReminderSettings};

fn reminder_json(r: &ReminderRow) -> Value {
    json!({
        "id": r.id,
        "unit_id": r.unit_id,
        "item_id": r.item_id,
        "kind": r.kind.code(),
        "due": r.due,
        "title": r.title,
        "message": r.message,
        "created_at": r.created_at,
        "url": taizhang_core::reminder::page_of(r.unit_id, &r.item_id, r.subject_id, r.due),
    })
}

fn settings_json(s: &ReminderSettings) -> Value {
    json!({
        "unit_id": s.unit_id,
        "before_days": s.before_days,
        "repeat_days": s.repeat_days,
        "webhook_kind": s.webhook_kind,
        "webhook_url": settings::masked_url(&s.webhook_url),
        "webhook_url_set": !s.webhook_url.is_empty(),
        "webhook_secret_set": !s.webhook_secret.is_empty(),
        "smtp_host": s.smtp_host,
        "smtp_port": s.smtp_port,
        "smtp_security": s.smtp_security,
        "smtp_username": s.smtp_username,
        "smtp_password_set": !s.smtp_password.is_empty(),
        "smtp_from": s.smtp_from,
        "smtp_to": s.smtp_to,
    })
}

/// GET /notifications: the caller's notifications, unread first.
pub async fn mine(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Value>, ApiError> {
    let list = state.store.notifications_of(user.person.id, 200).await?;
    let out: Vec<Value> = list
        .iter()
        .map(|n| {
            let mut v = reminder_json(&n.reminder);
            v["reminder_id"] = v["id"].take();
            v["id"] = json!(n.id);
            v["read_at"] = json!(n.read_at);
            v
        })
        .collect();
    Ok(Json(Value::Array(out)))
}

#[derive(Deserialize)]
pub struct ReadIn {
    /// The notifications to mark read; empty or absent = all.
    #[serde(default)]
    ids: Vec<i64>,
}

/// POST /notifications/read
pub async fn read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Body(input): Body<ReadIn>,
) -> Result<Json<Value>, ApiError> {
    let marked = state.store.mark_notifications_read(user.person.id, &input.ids).await?;
    Ok(Json(json!({ "marked": marked })))
}

/// GET /units/{id}/reminder-settings
pub async fn get_settings(c: Ctx) -> Result<Json<Value>, ApiError> {
    Ok(Json(settings_json(&c.state.store.reminder_settings(c.group()?).await?)))
}

/// PUT /units/{id}/reminder-settings: fields left out keep their values.
pub async fn put_settings(c: Ctx, Body(input): Body<SettingsInput>) -> Result<Json<Value>, ApiError> {
    let settings = settings::save(&c.state, &c.view, &c.user, c.group()?, input).await?;
    Ok(Json(settings_json(&settings)))
}

/// GET /units/{id}/reminders: the group's recent reminders.
pub async fn list(c: Ctx) -> Result<Json<Value>, ApiError> {
    let list = c.state.store.reminders_of(c.group()?, 200).await?;
    Ok(Json(Value::Array(list.iter().map(reminder_json).collect())))
}
