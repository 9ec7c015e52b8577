//! One-time success messages after a form: the POST that succeeded answers
//! with a redirect and a short-lived cookie naming what was done (a code,
//! never text, so a forged cookie can only pick one of our own messages);
//! the next HTML page shows the message once at the top of its main part
//! and clears the cookie.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

pub const COOKIE: &str = "tz_done";

/// The largest page the message is written into; larger answers pass as they are.
const PAGE_MAX_BYTES: usize = 8 * 1024 * 1024;

/// What a form did, for the message shown after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Saved,
    Submitted,
    Signed,
    Published,
    Voided,
    PasswordChanged,
    RiskReviewed,
    Uploaded,
    FileVoided,
}

impl Done {
    const ALL: [Done; 9] = [
        Done::Saved,
        Done::Submitted,
        Done::Signed,
        Done::Published,
        Done::Voided,
        Done::PasswordChanged,
        Done::RiskReviewed,
        Done::Uploaded,
        Done::FileVoided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Submitted => "submitted",
            Done::Signed => "signed",
            Done::Published => "published",
            Done::Voided => "voided",
            Done::PasswordChanged => "password",
            Done::RiskReviewed => "risk_reviewed",
            Done::Uploaded => "uploaded",
            Done::FileVoided => "file_voided",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Done::Saved => "已保存。",
            Done::Submitted => "已提交。",
            Done::Signed => "已签署。",
            Done::Published => "已登记发布。",
            Done::Voided => "已作废。该记录不再计入统计、报告和台账。",
            Done::PasswordChanged => "密码已修改。",
            Done::RiskReviewed => "已记录复核，并计入“风险隐患台账复核”记录。",
            Done::Uploaded => "文件已上传。",
            Done::FileVoided => "文件已作废。",
        }
    }

    fn parse(code: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The cookie a successful POST sets.
    pub fn cookie(self) -> HeaderValue {
        HeaderValue::from_str(&format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120", self.code()))
            .expect("an ASCII cookie")
    }
}

fn done_of(req: &Request) -> Option<Done> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Done::parse(value))
}

/// Writes the message into the next HTML page after a successful form.
pub async fn show_once(req: Request, next: Next) -> Response {
    let done = if req.method() == Method::GET { done_of(&req) } else { None };
    let res = next.run(req).await;
    let Some(done) = done else { return res };
    let is_page = res.status() == StatusCode::OK
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !is_page {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, PAGE_MAX_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let html = String::from_utf8_lossy(&bytes);
    let with_message = match html.find("<main>") {
        Some(at) => {
            let end = at + "<main>".len();
            format!("{}<div class=\"flash ok\" role=\"status\">{}</div>{}", &html[..end], done.message(), &html[end..])
        }
        None => html.into_owned(),
    };
    let clear = HeaderValue::from_static("tz_done=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    parts.headers.append(header::SET_COOKIE, clear);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(with_message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_show_nothing() {
        for d in Done::ALL {
            assert_eq!(Done::parse(d.code()), Some(d));
        }
        assert_eq!(Done::parse("<script>"), None);
    }
}
