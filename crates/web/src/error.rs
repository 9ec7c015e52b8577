//! One error type for the web layer, mapped once to a status code and a
//! Chinese message: an HTML page for people, JSON for the API. Internal
//! details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use taizhang_core::record::FieldError;
use taizhang_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录")]
    Unauthorized,
    #[error("您无权查看或修改该单位的数据")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("填写有误")]
    Fields(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// A file over the size limit, or a unit over its quota.
    #[error("{0}")]
    TooLarge(String),
    #[error("用户名或密码不正确")]
    LoginFailed,
    #[error("页面已过期或来源不明，请刷新后重试")]
    Csrf,
    /// An administrator reset the password: a new one comes first.
    #[error("管理员已重置您的密码，请先修改密码")]
    PasswordChangeRequired,
    /// The database is held by another writer (a long import).
    #[error("{}", taizhang_store::BUSY_MESSAGE)]
    Busy,
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        if e.is_busy() {
            return AppError::Busy;
        }
        match e {
            StoreError::NotFound(m) => AppError::NotFound(m),
            StoreError::Invalid(m) => AppError::BadRequest(m),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Fields(f) => AppError::Fields(f),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<taizhang_app::Error> for AppError {
    fn from(e: taizhang_app::Error) -> Self {
        use taizhang_app::Error as E;
        match e {
            E::Forbidden => AppError::Forbidden,
            E::NotFound(m) => AppError::NotFound(m),
            E::Invalid(m) => AppError::BadRequest(m),
            E::Fields(f) => AppError::Fields(f),
            E::Conflict(m) => AppError::Conflict(m),
            E::TooLarge(m) => AppError::TooLarge(m),
            E::Busy => AppError::Busy,
            E::Internal(m) => AppError::Internal(m),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::LoginFailed => StatusCode::UNAUTHORIZED,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to people, with every field problem spelled out.
    pub fn message(&self) -> String {
        match self {
            AppError::Fields(fields) => {
                format!("填写有误：{}", fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))
            }
            other => other.to_string(),
        }
    }

    /// `Retry-After` for a busy database, so scripts wait before trying again.
    fn retry_after(&self) -> Option<[(axum::http::HeaderName, &'static str); 1]> {
        matches!(self, AppError::Busy).then_some([(axum::http::header::RETRY_AFTER, "10")])
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }
}

/// Errors of HTML routes render as a page.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, AppError::Unauthorized) {
            return axum::response::Redirect::to("/login").into_response();
        }
        if matches!(self, AppError::PasswordChangeRequired) {
            return axum::response::Redirect::to("/account/password").into_response();
        }
        let status = self.status();
        let retry = self.retry_after();
        let shown = ErrorShown { status, message: self.message() };
        let mut res = (status, retry, crate::pages::layout::error_page(status, &shown.message, None)).into_response();
        res.extensions_mut().insert(shown);
        res
    }
}

/// What an error page said, kept on its response: an error does not know
/// who is signed in, the route guard does, and frames the page with that
/// person's header ([`with_header`]).
#[derive(Debug, Clone)]
pub struct ErrorShown {
    status: StatusCode,
    message: String,
}

/// `res` again, its error page (if it is one) rendered with `user`'s header.
pub fn with_header(res: Response, user: Option<&crate::auth::CurrentUser>) -> Response {
    let (Some(user), Some(shown)) = (user, res.extensions().get::<ErrorShown>().cloned()) else {
        return res;
    };
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = crate::pages::layout::error_page(shown.status, &shown.message, Some(user)).into_string();
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Errors of API routes render as JSON: `{"error": "...", "fields": [...]}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let fields = match &self.0 {
            AppError::Fields(f) => json!(f),
            _ => json!([]),
        };
        let retry = self.0.retry_after();
        (self.0.status(), retry, axum::Json(json!({ "error": self.0.message(), "fields": fields }))).into_response()
    }
}

/// What serde or a query-string parser said, in Chinese: its messages are
/// English ("unknown variant `x`, expected one of …") and must not reach
/// people. The value and the allowed values are kept, being the useful part.
pub fn serde_message(detail: &str) -> String {
    let quoted = |after: &str| detail.split(after).nth(1).and_then(|rest| rest.split('`').next()).map(str::to_string);
    if let Some(value) = quoted("unknown variant `") {
        let expected: Vec<&str> = detail
            .split("expected one of ")
            .nth(1)
            .or_else(|| detail.split("expected ").nth(1))
            .map(|e| e.split(", ").map(|v| v.trim_matches(|c: char| c == '`' || c.is_whitespace())).collect())
            .unwrap_or_default();
        return if expected.is_empty() {
            format!("取值“{value}”无效")
        } else {
            format!("取值“{value}”无效，应为：{}", expected.join("、"))
        };
    }
    if let Some(field) = quoted("missing field `") {
        return format!("缺少“{field}”");
    }
    if let Some(field) = quoted("unknown field `") {
        return format!("不认识的项目“{field}”");
    }
    if ["invalid digit", "cannot parse integer", "number too large", "number too small", "invalid float"]
        .iter()
        .any(|m| detail.contains(m))
    {
        return "数字格式不对".into();
    }
    if detail.contains("invalid type") {
        return "内容的类型不对（如应为数字处填了文字）".into();
    }
    if ["EOF while parsing", "expected value", "trailing characters", "key must be a string"]
        .iter()
        .any(|m| detail.contains(m))
    {
        return "JSON 格式不对".into();
    }
    "内容格式不对".into()
}

/// NUL cannot be stored in PostgreSQL text and is never part of what
/// people type: input carrying one is refused at the edge with this.
pub fn refuse_nul(text: &str) -> Result<(), AppError> {
    if text.contains('\0') {
        Err(AppError::BadRequest("内容中含有无法保存的空字符（NUL），请删除后重试".into()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::serde_message;

    #[test]
    fn serde_says_it_in_chinese() {
        assert_eq!(
            serde_message("unknown variant `党小组会`, expected one of `members_meeting`, `group`"),
            "取值“党小组会”无效，应为：members_meeting、group"
        );
        assert_eq!(serde_message("missing field `title` at line 1 column 2"), "缺少“title”");
        assert_eq!(serde_message("invalid digit found in string"), "数字格式不对");
        assert_eq!(serde_message("input contains invalid characters"), "内容格式不对");
    }
}
