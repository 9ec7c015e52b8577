//! Reminders for people: one's own notifications (提醒), and a Party
//! group's reminder settings (robot, mail, lead days) with what was
//! reminded and sent lately.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::context::Ctx;
use crate::error::AppError;
use crate::form::Query;
use crate::form::{invalid, refusal, Submitted};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use taizhang_app::reminders::deliver;
use taizhang_app::reminders::settings::{self, SettingsInput, SMTP_SECURITY, WEBHOOK_KINDS};
use taizhang_core::period::shanghai_minute;
use taizhang_core::reminder::ReminderKind;
use taizhang_store::{Notification, ReminderSettings};

/// How many notifications and reminders a page lists.
const LIST_LIMIT: i64 = 200;

fn kind_badge(kind: ReminderKind) -> Markup {
    let class = match kind {
        ReminderKind::Overdue => "s-overdue",
        ReminderKind::OnDay | ReminderKind::Before | ReminderKind::Waiting => "s-due_soon",
        ReminderKind::Evidence => "s-missing_evidence",
    };
    html! { span class=(format!("badge {class}")) { (kind.label()) } }
}

fn notification_row(user: &CurrentUser, n: &Notification) -> Markup {
    let r = &n.reminder;
    html! {
        tr class=(if n.read_at.is_none() { "unread" } else { "" }) {
            td { (kind_badge(r.kind)) }
            td {
                a href=(taizhang_core::reminder::page_of(r.unit_id, &r.item_id, r.subject_id, r.due)) { (r.title) }
                div.muted { (r.message) }
            }
            td.date { (shanghai_minute(r.created_at)) }
            td {
                @if n.read_at.is_none() {
                    form method="post" action="/notifications/read" {
                        (csrf_field(user))
                        input type="hidden" name="id" value=(n.id);
                        button.btn.plain type="submit" { "标为已读" }
                    }
                } @else { span.muted { "已读" } }
            }
        }
    }
}

/// GET /notifications: the signed-in person's reminders.
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let list = state.store.notifications_of(user.person.id, LIST_LIMIT).await?;
    let unread = list.iter().filter(|n| n.read_at.is_none()).count();
    let body = html! {
        h1 { "我的提醒" }
        p.muted { "系统每隔几分钟检查一次各项责任：到期前、到期当天和逾期后各提醒一次，不会重复。" }
        @if unread > 0 {
            form.toolbar method="post" action="/notifications/read" {
                (csrf_field(&user))
                span { "未读 " (unread) " 条 " }
                button.btn.plain type="submit" { "全部标为已读" }
            }
        }
        @if list.is_empty() { p.muted { "暂无提醒。" } } @else {
            table id="notifications" {
                thead { tr { th { "类型" } th { "事项" } th { "时间" } th { "" } } }
                tbody { @for n in &list { (notification_row(&user, n)) } }
            }
        }
    };
    Ok(page("我的提醒", Some(&user), body).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReadForm {
    /// One notification; absent = all.
    id: Option<i64>,
}

/// POST /notifications/read
pub async fn read(
    State(state): State<AppState>,
    Submitted { user, form, .. }: Submitted<ReadForm>,
) -> Result<Response, AppError> {
    state.store.mark_notifications_read(user.person.id, form.id.as_slice()).await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// The settings form as typed: strings, so a refused form shows them again.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    before_days: String,
    #[serde(default)]
    repeat_days: String,
    #[serde(default)]
    webhook_kind: String,
    #[serde(default)]
    webhook_url: String,
    #[serde(default)]
    webhook_secret: String,
    #[serde(default)]
    smtp_host: String,
    #[serde(default)]
    smtp_port: String,
    #[serde(default)]
    smtp_security: String,
    #[serde(default)]
    smtp_username: String,
    #[serde(default)]
    smtp_password: String,
    #[serde(default)]
    smtp_from: String,
    #[serde(default)]
    smtp_to: String,
}

impl SettingsForm {
    fn of(s: &ReminderSettings) -> Self {
        SettingsForm {
            before_days: s.before_days.to_string(),
            repeat_days: s.repeat_days.to_string(),
            webhook_kind: s.webhook_kind.clone(),
            // Write-only: the stored address carries the robot's key.
            webhook_url: String::new(),
            smtp_host: s.smtp_host.clone(),
            smtp_port: s.smtp_port.to_string(),
            smtp_security: s.smtp_security.clone(),
            smtp_username: s.smtp_username.clone(),
            smtp_from: s.smtp_from.clone(),
            smtp_to: s.smtp_to.clone(),
            ..Default::default()
        }
    }

    fn input(&self) -> Result<SettingsInput, Vec<String>> {
        let mut errors = Vec::new();
        let before_days =
            self.before_days.trim().parse::<u32>().map_err(|_| errors.push("提前提醒天数应为整数".into())).ok();
        let repeat = self.repeat_days.trim();
        // A form without the field (an older page) keeps the stored value.
        let repeat_days = if repeat.is_empty() {
            None
        } else {
            repeat.parse::<u32>().map_err(|_| errors.push("逾期后再次提醒的间隔天数应为整数".into())).ok()
        };
        let port = self.smtp_port.trim();
        let smtp_port = if port.is_empty() {
            Some(25)
        } else {
            port.parse::<u16>().map_err(|_| errors.push("邮件服务器端口应在1至65535之间".into())).ok()
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SettingsInput {
            before_days,
            repeat_days,
            webhook_kind: Some(self.webhook_kind.clone()),
            webhook_url: Some(self.webhook_url.clone()),
            webhook_secret: Some(self.webhook_secret.clone()),
            smtp_host: Some(self.smtp_host.clone()),
            smtp_port,
            smtp_security: Some(self.smtp_security.clone()),
            smtp_username: Some(self.smtp_username.clone()),
            smtp_password: Some(self.smtp_password.clone()),
            smtp_from: Some(self.smtp_from.clone()),
            smtp_to: Some(self.smtp_to.clone()),
        })
    }
}

fn select(name: &str, options: &[(&str, &str)], current: &str) -> Markup {
    html! {
        select name=(name) {
            @for (code, label) in options { option value=(code) selected[*code == current] { (label) } }
        }
    }
}

fn settings_form(user: &CurrentUser, group: i64, f: &SettingsForm, stored: &ReminderSettings) -> Markup {
    let secret_hint = |has: bool| if has { "已设置，留空则不变" } else { "未设置" };
    let url_hint = |url: &str| match settings::masked_url(url) {
        m if m.is_empty() => "未设置".to_string(),
        m => format!("已设置（{m}），留空则不变"),
    };
    html! {
        form.record id="reminder-settings" method="post" action=(format!("/units/{group}/reminders")) {
            (csrf_field(user))
            label { "到期前几天提醒 " input type="number" name="before_days" min="0" max="30" value=(f.before_days); }
            label { "逾期后每隔几天再次提醒 " input type="number" name="repeat_days" min="0" max="90" value=(f.repeat_days); }
            p.muted { "各事项在到期前（不超过该事项的提醒期，默认7天）、到期当天各提醒一次；逾期后立即提醒，此后按上面的间隔（默认7天）反复提醒，直到办结。间隔填0则逾期只提醒一次。" }
            fieldset {
                legend { "群机器人" }
                label { "类型 " (select("webhook_kind", &WEBHOOK_KINDS, &f.webhook_kind)) }
                label { "Webhook 地址 " input type="url" name="webhook_url" size="60" value=(f.webhook_url)
                    placeholder=(url_hint(&stored.webhook_url)); }
                label { "钉钉加签密钥 " input type="password" name="webhook_secret" autocomplete="off" placeholder=(secret_hint(!stored.webhook_secret.is_empty())); }
                p.muted { "机器人地址须为公网地址；使用内网机器人网关时，请系统管理员在启动服务时允许该地址。" }
            }
            fieldset {
                legend { "电子邮件" }
                label { "SMTP 服务器 " input type="text" name="smtp_host" value=(f.smtp_host); }
                label { "端口 " input type="number" name="smtp_port" min="1" max="65535" value=(f.smtp_port); }
                label { "加密 " (select("smtp_security", &SMTP_SECURITY, &f.smtp_security)) }
                label { "用户名 " input type="text" name="smtp_username" autocomplete="off" value=(f.smtp_username); }
                label { "密码 " input type="password" name="smtp_password" autocomplete="new-password" placeholder=(secret_hint(!stored.smtp_password.is_empty())); }
                label { "发件人 " input type="email" name="smtp_from" value=(f.smtp_from); }
                label { "收件人（多个用逗号分隔） " input type="text" name="smtp_to" size="60" value=(f.smtp_to); }
            }
            button.btn type="submit" { "保存提醒设置" }
        }
    }
}

async fn settings_page(
    c: &Ctx,
    group: i64,
    form: Option<SettingsForm>,
    flash: Option<(&str, String)>,
) -> Result<Markup, AppError> {
    let (state, view, user) = (&c.state, &c.view, &c.user);
    let unit = view.unit(group)?;
    let stored = state.store.reminder_settings(group).await?;
    let form = form.unwrap_or_else(|| SettingsForm::of(&stored));
    let reminders = state.store.reminders_of(group, LIST_LIMIT).await?;
    let outbox = state.store.outbox_of(group, 20).await?;
    let job = state.store.job_state(taizhang_app::reminders::JOB).await?;
    let can_manage = view.access(user).can_manage(group);
    let body = html! {
        p.back { a href=(format!("/units/{group}")) { "← 返回工作台" } }
        h1 { (unit.name) " · 提醒设置" }
        @if let Some((class, text)) = &flash { div class=(format!("flash {class}")) { (text) } }
        p.muted {
            @match &job {
                Some(j) => { "最近一次检查：" (shanghai_minute(j.last_started))
                    @if !j.last_error.is_empty() { "（出错：" (j.last_error) "）" } }
                None => { "尚未运行过提醒检查。" }
            }
        }
        @if can_manage { (settings_form(user, group, &form, &stored)) } @else {
            p { "机器人：" (WEBHOOK_KINDS.iter().find(|(c, _)| *c == stored.webhook_kind).map_or("", |(_, l)| *l))
                "；邮件：" (if stored.email_enabled() { "已配置" } else { "未配置" }) "。仅党组书记、班子成员或系统管理员可修改。" }
        }
        @if can_manage && (stored.webhook_enabled() || stored.email_enabled()) {
            form.toolbar method="post" action=(format!("/units/{group}/reminders/test")) {
                (csrf_field(user))
                @if stored.webhook_enabled() { button.btn.plain type="submit" name="channel" value="webhook" { "向机器人发送测试消息" } }
                @if stored.email_enabled() { button.btn.plain type="submit" name="channel" value="email" { "发送测试邮件" } }
            }
        }
        h2 { "近期发出的消息" }
        @if outbox.is_empty() { p.muted { "暂无。" } } @else {
            table id="outbox" {
                thead { tr { th { "方式" } th { "内容" } th { "状态" } } }
                tbody { @for m in &outbox { tr {
                    td { (if m.channel == "email" { "邮件" } else { "机器人" }) }
                    td { (m.subject) }
                    td { @if let Some(at) = m.sent_at { "已发送 " (shanghai_minute(at)) }
                         @else if m.attempts >= taizhang_store::MAX_ATTEMPTS { span class="badge s-overdue" { "发送失败" } " " (m.last_error) }
                         @else if m.attempts > 0 { "待重试（已尝试" (m.attempts) "次）：" (m.last_error) }
                         @else { "待发送" } }
                } } }
            }
        }
        h2 { "近期提醒" }
        @if reminders.is_empty() { p.muted { "暂无提醒。" } } @else {
            table id="reminders" {
                thead { tr { th { "类型" } th { "事项" } th { "生成时间" } } }
                tbody { @for r in &reminders { tr {
                    td { (kind_badge(r.kind)) }
                    td { a href=(taizhang_core::reminder::page_of(r.unit_id, &r.item_id, r.subject_id, r.due)) { (r.title) } div.muted { (r.message) } }
                    td.date { (shanghai_minute(r.created_at)) }
                } } }
            }
        }
    };
    Ok(page("提醒设置", Some(user), body))
}

#[derive(Debug, Default, Deserialize)]
pub struct FlashQuery {
    /// The test message just sent, whose outcome the page reports.
    test: Option<i64>,
}

/// GET /units/{id}/reminders
pub async fn settings(c: Ctx, Query(q): Query<FlashQuery>) -> Result<Response, AppError> {
    let group = c.group()?;
    let mut flash = None;
    if let Some(test) = q.test {
        let message = c.state.store.outbox_of(group, 50).await?.into_iter().find(|m| m.id == test);
        flash = message.map(|m| match m.sent_at {
            Some(_) => ("ok", "测试消息已发送。".to_string()),
            None => ("error", format!("测试消息发送失败：{}", m.last_error)),
        });
    }
    Ok(settings_page(&c, group, None, flash).await?.into_response())
}

/// POST /units/{id}/reminders
pub async fn save(c: Ctx, Submitted { form, .. }: Submitted<SettingsForm>) -> Result<Response, AppError> {
    let group = c.group()?;
    let outcome = match form.input() {
        Ok(input) => settings::save(&c.state, &c.view, &c.user, group, input).await,
        Err(errors) => Err(invalid(errors.join("；"))),
    };
    match outcome {
        Ok(_) => {
            let page = settings_page(&c, group, None, Some(("ok", "提醒设置已保存。".into()))).await?;
            Ok(page.into_response())
        }
        Err(e) => {
            let refused = refusal(e)?.messages.join("；");
            let page = settings_page(&c, group, Some(form), Some(("error", refused))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TestForm {
    channel: String,
}

/// POST /units/{id}/reminders/test: sends a test message now.
pub async fn test(c: Ctx, Submitted { form, .. }: Submitted<TestForm>) -> Result<Response, AppError> {
    let group = c.group()?;
    let message_id = deliver::send_test(&c.state, &c.view, &c.user, group, &form.channel).await?;
    Ok(Redirect::to(&format!("/units/{group}/reminders?test={message_id}")).into_response())
}
