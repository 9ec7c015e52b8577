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
use taizhang_store::{OutboxMessage, ReminderSettings, StoreError};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use super::egress::{self, Allowlist};

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
/// `{"errcode":0,"errmsg":"ok"}`. Only the status and the error code are
/// ever reported, never the answer itself: the address is typed by a
/// unit, and whatever answers there is not for the unit to read.
fn robot_accepted(status: u16, body: &str) -> Result<(), String> {
    if !(200..300).contains(&status) {
        let redirect =
            if (300..400).contains(&status) { "（不跟随跳转，请填写机器人的最终地址）" } else { "" };
        return Err(format!("机器人地址返回 HTTP {status}{redirect}"));
    }
    let answer: Option<Value> = serde_json::from_str(body).ok();
    match answer.as_ref().and_then(|a| a.get("errcode")).and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => Err(format!("机器人拒绝了消息（错误码{code}{}）", known_error(code))),
        None => Err(format!("机器人地址返回 HTTP {status}，但回复不是机器人的应答格式")),
    }
}

/// What the commonest error codes of 企业微信 and 钉钉 robots mean.
fn known_error(code: i64) -> &'static str {
    match code {
        93000 | 300001 => "：机器人地址无效或机器人已被移除",
        45009 | 130101 => "：发送过于频繁",
        310000 => "：关键词、加签或 IP 白名单与机器人的安全设置不符",
        _ => "",
    }
}

/// Resolves a robot's host as usual, then keeps only the addresses the
/// administrator's [`Allowlist`] permits; none left is a refusal.
#[derive(Debug)]
struct CheckedResolver(Allowlist);

/// The refusal, carried through ureq's error to [`post_json`].
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(egress::REFUSED)
    }
}

impl std::error::Error for Refused {}

impl Resolver for CheckedResolver {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = DefaultResolver::default().resolve(uri, config, timeout)?;
        let host_allowed = uri.host().is_some_and(|h| self.0.allows_host(h));
        let mut kept = self.empty();
        for addr in resolved.iter().filter(|a| host_allowed || self.0.allows_ip(a.ip())) {
            kept.push(*addr);
        }
        if kept.is_empty() {
            return Err(ureq::Error::Other(Box::new(Refused)));
        }
        Ok(kept)
    }
}

/// The longest robot answer read: theirs are a few dozen bytes.
const ROBOT_REPLY_MAX_BYTES: u64 = 64 * 1024;

pub async fn send_robot(settings: &ReminderSettings, allow: &Allowlist, text: &str) -> Result<(), String> {
    allow.check_url(&settings.webhook_url)?;
    let url = match settings.webhook_kind.as_str() {
        "dingtalk" if !settings.webhook_secret.is_empty() => {
            dingtalk_signed_url(&settings.webhook_url, &settings.webhook_secret, chrono::Utc::now().timestamp_millis())
        }
        _ => settings.webhook_url.clone(),
    };
    let payload = robot_payload(text).to_string();
    let allow = allow.clone();
    // ureq blocks: keep it off the async workers.
    let (status, body) = tokio::task::spawn_blocking(move || post_json(&url, payload.as_bytes(), allow))
        .await
        .map_err(|e| format!("发送任务异常：{e}"))??;
    robot_accepted(status, &body)
}

/// Posts JSON to `url` through [`CheckedResolver`], following no redirect
/// and going through no proxy; the status and at most
/// [`ROBOT_REPLY_MAX_BYTES`] of the answer. Blocks.
fn post_json(url: &str, payload: &[u8], allow: Allowlist) -> Result<(u16, String), String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .build();
    let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), CheckedResolver(allow));
    let mut response =
        agent.post(url).header("Content-Type", "application/json; charset=utf-8").send(payload).map_err(
            |e| match e {
                ureq::Error::Other(inner) if inner.is::<Refused>() => egress::REFUSED.to_string(),
                e => format!("无法连接机器人地址：{e}"),
            },
        )?;
    let status = response.status().as_u16();
    let body = response.body_mut().with_config().limit(ROBOT_REPLY_MAX_BYTES).read_to_string().unwrap_or_default();
    Ok((status, body))
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
    deliver(app, &message).await?;
    Ok(id)
}

/// Sends one message with the group's current settings (so a corrected
/// address helps the retries) and notes the outcome; true when it went out.
pub async fn deliver(app: &App, message: &OutboxMessage) -> Result<bool, StoreError> {
    let store = &app.store;
    let settings = store.reminder_settings(message.unit_id).await?;
    let outcome = match message.channel.as_str() {
        "webhook" if settings.webhook_enabled() => send_robot(&settings, &app.webhook_allow, &message.body).await,
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
pub async fn deliver_pending(app: &App) -> Result<usize, StoreError> {
    let mut sent = 0;
    for message in app.store.pending_outbox().await? {
        if deliver(app, &message).await? {
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
    fn a_name_that_resolves_inward_is_refused_when_sending() {
        // `localhost` resolves to loopback: the resolver drops it, so
        // nothing is sent, whatever the name.
        let refused = post_json("http://localhost:9/send", b"{}", Allowlist::default()).unwrap_err();
        assert_eq!(refused, egress::REFUSED);
        // Allowed by name, the same address is tried (and here finds no robot).
        let allowed = post_json("http://localhost:9/send", b"{}", Allowlist::parse(&["localhost"]).unwrap());
        assert!(allowed.unwrap_err().starts_with("无法连接机器人地址"));
    }

    #[test]
    fn robot_answers_are_read_without_repeating_them() {
        assert_eq!(robot_accepted(200, r#"{"errcode":0,"errmsg":"ok"}"#), Ok(()));
        let refused = robot_accepted(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#).unwrap_err();
        assert!(refused.contains("310000") && refused.contains("加签") && !refused.contains("sign not match"));
        let html = robot_accepted(200, "<html>internal secret</html>").unwrap_err();
        assert!(!html.contains("secret") && html.contains("HTTP 200"), "{html}");
        assert!(robot_accepted(302, "").unwrap_err().contains("不跟随跳转"));
        assert_eq!(robot_accepted(500, "stack trace").unwrap_err(), "机器人地址返回 HTTP 500");
    }
}
