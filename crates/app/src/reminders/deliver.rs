//! Delivery of outbox messages: a group robot of 企业微信 or 钉钉 (JSON over
//! HTTP(S)) and mail over SMTP. Each attempt's outcome is noted on the
//! message; failures are retried on later scans up to
//! [`taizhang_store::MAX_ATTEMPTS`].

use crate::view::View;
use crate::{App, Caller, Error};
use base64::Engine;
use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;
use taizhang_store::{OutboxMessage, ReminderSettings, Store, StoreError};

const TIMEOUT: Duration = Duration::from_secs(15);

/// The robot message both 企业微信 and 钉钉 accept: plain text.
pub fn robot_payload(text: &str) -> Value {
    json!({ "msgtype": "text", "text": { "content": text } })
}

/// 钉钉's signed address (加签): `timestamp` and `sign` =
/// base64(HMAC-SHA256(secret, "timestamp\nsecret")), URL-encoded.
pub fn dingtalk_signed_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let sign = percent_encoding::utf8_percent_encode(&sign, percent_encoding::NON_ALPHANUMERIC);
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}timestamp={timestamp_ms}&sign={sign}")
}

/// Whether a robot's answer says the message was taken: both answer
/// `{"errcode":0,"errmsg":"ok"}`.
fn robot_accepted(body: &str) -> Result<(), String> {
    let answer: Value = serde_json::from_str(body).map_err(|_| format!("机器人返回了无法识别的内容：{body}"))?;
    match answer.get("errcode").and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => Err(format!(
            "机器人拒绝了消息（错误码{code}：{}）",
            answer.get("errmsg").and_then(Value::as_str).unwrap_or("")
        )),
        None => Err(format!("机器人返回了无法识别的内容：{body}")),
    }
}

pub async fn send_robot(settings: &ReminderSettings, text: &str) -> Result<(), String> {
    let url = match settings.webhook_kind.as_str() {
        "dingtalk" if !settings.webhook_secret.is_empty() => {
            dingtalk_signed_url(&settings.webhook_url, &settings.webhook_secret, chrono::Utc::now().timestamp_millis())
        }
        _ => settings.webhook_url.clone(),
    };
    let payload = robot_payload(text).to_string();
    // ureq blocks: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(TIMEOUT)).build().into();
        let mut response = agent
            .post(&url)
            .header("Content-Type", "application/json; charset=utf-8")
            .send(payload.as_bytes())
            .map_err(|e| format!("无法连接机器人地址：{e}"))?;
        let body = response.body_mut().read_to_string().map_err(|e| format!("读取机器人回复失败：{e}"))?;
        robot_accepted(&body)
    })
    .await
    .map_err(|e| format!("发送任务异常：{e}"))?
}

fn mailbox(text: &str, what: &str) -> Result<Mailbox, String> {
    text.trim().parse().map_err(|_| format!("{what}“{}”不是有效的邮箱地址", text.trim()))
}

pub async fn send_email(settings: &ReminderSettings, subject: &str, body: &str) -> Result<(), String> {
    let mut message = Message::builder().from(mailbox(&settings.smtp_from, "发件人")?).subject(subject);
    for to in settings.smtp_to.split([',', '，', ';', '；']).filter(|t| !t.trim().is_empty()) {
        message = message.to(mailbox(to, "收件人")?);
    }
    let message =
        message.header(ContentType::TEXT_PLAIN).body(body.to_string()).map_err(|e| format!("邮件内容无法生成：{e}"))?;
    let host = settings.smtp_host.trim();
    let tls = || TlsParameters::new(host.to_string()).map_err(|e| format!("TLS 设置有误：{e}"));
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(settings.smtp_port)
        .timeout(Some(TIMEOUT))
        .tls(match settings.smtp_security.as_str() {
            "tls" => Tls::Wrapper(tls()?),
            "starttls" => Tls::Required(tls()?),
            _ => Tls::None,
        });
    if !settings.smtp_username.trim().is_empty() {
        transport = transport
            .credentials(Credentials::new(settings.smtp_username.trim().to_string(), settings.smtp_password.clone()));
    }
    transport.build().send(message).await.map(|_| ()).map_err(|e| format!("邮件发送失败：{e}"))
}

/// Sends a test message now by `channel` (`webhook` or `email`), so the
/// group's secretary, a leader or an administrator sees whether the
/// settings work; the outcome is noted on the message, whose id is
/// returned.
pub async fn send_test(app: &App, view: &View, caller: &Caller, group: i64, channel: &str) -> Result<i64, Error> {
    if !view.access(caller).can_manage(group) {
        return Err(Error::Forbidden);
    }
    if !matches!(channel, "webhook" | "email") {
        return Err(Error::Invalid("发送方式应为机器人或邮件".into()));
    }
    let body = format!("【台账提醒】这是{}的测试消息，由{}发送。", view.unit(group)?.name, caller.person.name);
    let mut w = app.store.begin_write().await?;
    let id = w.enqueue_test_message(group, channel, &body).await?;
    w.commit().await?;
    let message = app.store.outbox_of(group, 50).await?.into_iter().find(|m| m.id == id);
    let message = message.ok_or_else(|| Error::Internal("测试消息未写入".into()))?;
    deliver(&app.store, &message).await?;
    Ok(id)
}

/// Sends one message with the group's current settings (so a corrected
/// address helps the retries) and notes the outcome; true when it went out.
pub async fn deliver(store: &Store, message: &OutboxMessage) -> Result<bool, StoreError> {
    let settings = store.reminder_settings(message.unit_id).await?;
    let outcome = match message.channel.as_str() {
        "webhook" if settings.webhook_enabled() => send_robot(&settings, &message.body).await,
        "email" if settings.email_enabled() => send_email(&settings, &message.subject, &message.body).await,
        "webhook" => Err("本单位未配置机器人地址".to_string()),
        "email" => Err("本单位未配置邮件服务器或收件人".to_string()),
        other => Err(format!("未知的发送方式：{other}")),
    };
    if let Err(e) = &outcome {
        tracing::warn!(message = message.id, error = %e, "reminder delivery failed");
    }
    let sent = outcome.is_ok();
    store.mark_outbox(message.id, outcome).await?;
    Ok(sent)
}

/// Sends every pending message; returns how many went out.
pub async fn deliver_pending(store: &Store) -> Result<usize, StoreError> {
    let mut sent = 0;
    for message in store.pending_outbox().await? {
        if deliver(store, &message).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_robot_payload_is_plain_text_json() {
        assert_eq!(robot_payload("提醒").to_string(), r#"{"msgtype":"text","text":{"content":"提醒"}}"#);
    }

    #[test]
    fn the_dingtalk_signature_follows_its_documented_recipe() {
        // Recomputed independently: HMAC-SHA256 of "1700000000000\nSECabc" keyed "SECabc".
        let url =
            dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", "SECabc", 1_700_000_000_000);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"SECabc").unwrap();
        mac.update(b"1700000000000\nSECabc");
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let (head, sign) = url.split_once("&sign=").unwrap();
        assert_eq!(head, "https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000");
        let decoded = percent_encoding::percent_decode_str(sign).decode_utf8().unwrap();
        assert_eq!(decoded, expected);
        assert!(!sign.contains('+') && !sign.contains('/') && !sign.contains('='), "sign must be URL-encoded: {sign}");
        assert!(dingtalk_signed_url("http://h/send", "s", 1).starts_with("http://h/send?timestamp=1&sign="));
    }

    #[test]
    fn robot_answers_are_read() {
        assert_eq!(robot_accepted(r#"{"errcode":0,"errmsg":"ok"}"#), Ok(()));
        assert!(robot_accepted(r#"{"errcode":310000,"errmsg":"sign not match"}"#).unwrap_err().contains("310000"));
        assert!(robot_accepted("<html>").is_err());
    }
}
