//! What every handler shares: the application layer and the web's own
//! settings.

use taizhang_app::App;

#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(app: App) -> Self {
        AppState { app, secure_cookies: false }
    }
}

/// Handlers reach the store and the clock through the application layer.
impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}
