//! A Party group's reminder settings: checking them as typed in the form
//! or sent to the API, and saving them. Secrets (the robot's signing
//! secret, the mail password) are write-only: an empty value keeps the
//! stored one.

use crate::view::View;
use crate::{App, Caller, Error};
use serde::Deserialize;
use taizhang_store::ReminderSettings;

pub const WEBHOOK_KINDS: [(&str, &str); 3] =
    [("none", "不使用"), ("wecom", "企业微信群机器人"), ("dingtalk", "钉钉群机器人")];
pub const SMTP_SECURITY: [(&str, &str); 3] =
    [("none", "不加密（内网邮件服务器）"), ("starttls", "STARTTLS（常用端口587）"), ("tls", "SSL/TLS（常用端口465）")];

/// The most days ahead a first reminder may go out.
pub const MAX_BEFORE_DAYS: u32 = 30;
/// The longest interval between reminders of an overdue item.
pub const MAX_REPEAT_DAYS: u32 = 90;

/// Changes to the settings; a field left out keeps its value.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SettingsInput {
    pub before_days: Option<u32>,
    pub repeat_days: Option<u32>,
    pub webhook_kind: Option<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
    pub smtp_to: Option<String>,
}

fn looks_like_email(text: &str) -> bool {
    let t = text.trim();
    t.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !t.contains(' '))
}

/// A robot address as it may be shown: scheme and host only, so a manager
/// recognises the platform while the key (in the path or the query) stays
/// unreadable; empty when none is set.
pub fn masked_url(url: &str) -> String {
    if url.is_empty() {
        return String::new();
    }
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}/****")
}

/// Applies `input` to `current`; every problem is listed, in Chinese.
pub fn merge(current: &ReminderSettings, input: SettingsInput) -> Result<ReminderSettings, Vec<String>> {
    let mut s = current.clone();
    let keep = |new: Option<String>, old: &str| new.map(|v| v.trim().to_string()).unwrap_or_else(|| old.to_string());
    s.before_days = input.before_days.unwrap_or(s.before_days);
    s.repeat_days = input.repeat_days.unwrap_or(s.repeat_days);
    s.webhook_kind = keep(input.webhook_kind, &s.webhook_kind);
    // The robot's address carries its key: write-only like a password, so
    // an empty value keeps it (switching the robot off forgets it).
    if let Some(url) = input.webhook_url.filter(|v| !v.trim().is_empty()) {
        s.webhook_url = url.trim().to_string();
    }
    if let Some(secret) = input.webhook_secret.filter(|v| !v.trim().is_empty()) {
        s.webhook_secret = secret.trim().to_string();
    }
    s.smtp_host = keep(input.smtp_host, &s.smtp_host);
    s.smtp_port = input.smtp_port.unwrap_or(s.smtp_port);
    s.smtp_security = keep(input.smtp_security, &s.smtp_security);
    s.smtp_username = keep(input.smtp_username, &s.smtp_username);
    if let Some(password) = input.smtp_password.filter(|v| !v.is_empty()) {
        s.smtp_password = password;
    }
    s.smtp_from = keep(input.smtp_from, &s.smtp_from);
    s.smtp_to = keep(input.smtp_to, &s.smtp_to);
    // Switching a channel off forgets its secret.
    if s.webhook_kind == "none" {
        s.webhook_url.clear();
        s.webhook_secret.clear();
    }
    if s.smtp_host.is_empty() {
        s.smtp_password.clear();
    }
    let errors = problems(&s);
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

/// Applies `input` to the group's stored settings and saves them: the
/// group's secretary, a leader or an administrator only. Every problem is
/// refused at once, in one message.
pub async fn save(
    app: &App,
    view: &View,
    caller: &Caller,
    group: i64,
    input: SettingsInput,
) -> Result<ReminderSettings, Error> {
    if !view.access(caller).can_manage(group) {
        return Err(Error::Forbidden);
    }
    let stored = app.store.reminder_settings(group).await?;
    let settings = merge(&stored, input).map_err(|errors| Error::Invalid(errors.join("；")))?;
    if settings.webhook_enabled() {
        app.webhook_allow.check_url(&settings.webhook_url).map_err(Error::Invalid)?;
    }
    let mut w = app.store.begin_write().await?;
    w.save_reminder_settings(&caller.actor(), &settings).await?;
    w.commit().await?;
    Ok(settings)
}

fn problems(s: &ReminderSettings) -> Vec<String> {
    let mut errors = Vec::new();
    if s.before_days > MAX_BEFORE_DAYS {
        errors.push(format!("提前提醒天数应在0至{MAX_BEFORE_DAYS}天之间"));
    }
    if s.repeat_days > MAX_REPEAT_DAYS {
        errors.push(format!("逾期后再次提醒的间隔应在0至{MAX_REPEAT_DAYS}天之间（0为只提醒一次）"));
    }
    if !WEBHOOK_KINDS.iter().any(|(code, _)| *code == s.webhook_kind) {
        errors.push(format!("机器人类型“{}”无法识别（应为 none、wecom 或 dingtalk）", s.webhook_kind));
    } else if s.webhook_kind != "none" {
        if s.webhook_url.is_empty() {
            errors.push("请填写机器人的 Webhook 地址".into());
        } else if !taizhang_core::drafts::is_web_address(&s.webhook_url) {
            errors.push("机器人的 Webhook 地址应以 http:// 或 https:// 开头".into());
        }
    }
    if !SMTP_SECURITY.iter().any(|(code, _)| *code == s.smtp_security) {
        errors.push(format!("邮件加密方式“{}”无法识别（应为 none、starttls 或 tls）", s.smtp_security));
    }
    if !s.smtp_host.is_empty() {
        if s.smtp_port == 0 {
            errors.push("邮件服务器端口应在1至65535之间".into());
        }
        if !looks_like_email(&s.smtp_from) {
            errors.push("请填写有效的发件人邮箱".into());
        }
        let to: Vec<&str> = s.smtp_to.split([',', '，', ';', '；']).filter(|t| !t.trim().is_empty()).collect();
        if to.is_empty() {
            errors.push("请填写至少一个收件人邮箱".into());
        }
        for t in to.iter().filter(|t| !looks_like_email(t)) {
            errors.push(format!("收件人“{}”不是有效的邮箱地址", t.trim()));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_robot_address_is_write_only_and_shown_without_its_key() {
        let mut stored = ReminderSettings::defaults(1);
        stored.webhook_kind = "wecom".into();
        stored.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET".into();
        let kept = merge(&stored, SettingsInput { webhook_url: Some(" ".into()), ..Default::default() }).unwrap();
        assert_eq!(kept.webhook_url, stored.webhook_url, "an empty field keeps the address");
        assert_eq!(masked_url(&stored.webhook_url), "https://qyapi.weixin.qq.com/****");
        assert_eq!(masked_url("https://open.feishu.cn/open-apis/bot/v2/hook/SECRET"), "https://open.feishu.cn/****");
        assert_eq!(masked_url(""), "");
    }

    fn current() -> ReminderSettings {
        ReminderSettings::defaults(1)
    }

    #[test]
    fn a_robot_needs_a_web_address_and_a_known_kind() {
        let bad = merge(
            &current(),
            SettingsInput {
                webhook_kind: Some("wecom".into()),
                webhook_url: Some("ftp://x".into()),
                ..Default::default()
            },
        );
        assert_eq!(bad.unwrap_err(), vec!["机器人的 Webhook 地址应以 http:// 或 https:// 开头"]);
        let unknown = merge(&current(), SettingsInput { webhook_kind: Some("slack".into()), ..Default::default() });
        assert!(unknown.unwrap_err()[0].contains("slack"));
        let ok = merge(
            &current(),
            SettingsInput {
                webhook_kind: Some("dingtalk".into()),
                webhook_url: Some(" https://oapi.dingtalk.com/robot/send?access_token=t ".into()),
                webhook_secret: Some("SEC1".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(ok.webhook_url, "https://oapi.dingtalk.com/robot/send?access_token=t");
        assert_eq!(ok.webhook_secret, "SEC1");
    }

    #[test]
    fn secrets_are_kept_when_left_empty_and_dropped_when_the_channel_is_off() {
        let mut stored = current();
        stored.webhook_kind = "dingtalk".into();
        stored.webhook_url = "https://h/send".into();
        stored.webhook_secret = "SEC1".into();
        let kept = merge(&stored, SettingsInput { webhook_secret: Some(String::new()), ..Default::default() }).unwrap();
        assert_eq!(kept.webhook_secret, "SEC1");
        let off = merge(&stored, SettingsInput { webhook_kind: Some("none".into()), ..Default::default() }).unwrap();
        assert_eq!((off.webhook_url.as_str(), off.webhook_secret.as_str()), ("", ""));
    }

    #[test]
    fn mail_needs_sender_and_recipients_and_every_problem_is_listed() {
        let bad = merge(
            &current(),
            SettingsInput {
                smtp_host: Some("mail.gov.local".into()),
                smtp_from: Some("办公室".into()),
                smtp_to: Some("a@gov.local，不是邮箱".into()),
                before_days: Some(45),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            bad,
            vec![
                "提前提醒天数应在0至30天之间".to_string(),
                "请填写有效的发件人邮箱".to_string(),
                "收件人“不是邮箱”不是有效的邮箱地址".to_string(),
            ]
        );
    }
}
