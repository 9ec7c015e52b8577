//! What every handler shares.

use chrono::{DateTime, NaiveDate, Utc};
use taizhang_core::feedback::Limits;
use taizhang_store::Store;

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Fixes "today" for tests and demos of past periods; `None` = the
    /// real date in Asia/Shanghai.
    pub today: Option<NaiveDate>,
    /// Send cookies with `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Time limits of the feedback register (舆情与诉求).
    pub feedback_limits: Limits,
    /// How often the reminder scan runs (see `reminders`); `None` = never
    /// from this process (tests; `taizhang remind` runs it by hand).
    pub reminder_every: Option<std::time::Duration>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState { store, today: None, secure_cookies: false, feedback_limits: Limits::default(), reminder_every: None }
    }

    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(taizhang_core::period::today_in_shanghai)
    }

    /// The current instant, on [`AppState::today`]'s date when that is
    /// pinned (at the real time of day), so the two never disagree.
    pub fn now(&self) -> DateTime<Utc> {
        taizhang_core::feedback::now_on(self.today, Utc::now())
    }
}
