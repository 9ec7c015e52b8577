//! What every handler shares: the application layer and the web's own
//! settings.

use taizhang_app::App;

#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The address people reach the server at (`--base-url`), for links
    /// that leave the browser (calendar feeds).
    pub base_url: Option<String>,
}

impl AppState {
    pub fn new(app: App) -> Self {
        AppState { app, secure_cookies: false, base_url: None }
    }

    /// The server's address for absolute links: `--base-url` when set;
    /// otherwise the request's `Host` (only a host name or address with a
    /// port is taken; anything else falls back to localhost), over HTTPS
    /// when cookies are marked Secure.
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(base) = &self.base_url {
            return base.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.len() <= 255)
            .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
            .unwrap_or("localhost");
        let scheme = if self.secure_cookies { "https" } else { "http" };
        format!("{scheme}://{host}")
    }
}

/// Handlers reach the store and the clock through the application layer.
impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderMap};

    fn headers(host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        h
    }

    #[tokio::test]
    async fn base_urls_come_from_the_setting_or_a_plain_host() {
        let dir = tempfile::tempdir().unwrap();
        let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.unwrap();
        let mut state = AppState::new(App::new(store));
        assert_eq!(state.base_url(&headers("tz.example.org:8080")), "http://tz.example.org:8080");
        assert_eq!(state.base_url(&headers("evil.example/x?")), "http://localhost");
        assert_eq!(state.base_url(&HeaderMap::new()), "http://localhost");
        state.secure_cookies = true;
        assert_eq!(state.base_url(&headers("10.0.0.5")), "https://10.0.0.5");
        state.base_url = Some("https://tz.gov.example/".into());
        assert_eq!(state.base_url(&headers("other")), "https://tz.gov.example");
    }
}
