//! What every handler shares.

use chrono::NaiveDate;
use taizhang_store::Store;

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Fixes "today" for tests and demos of past periods; `None` = the
    /// real date in Asia/Shanghai.
    pub today: Option<NaiveDate>,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState { store, today: None, secure_cookies: false }
    }

    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(taizhang_core::period::today_in_shanghai)
    }
}
