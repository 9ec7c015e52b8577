//! Server-rendered pages, in Chinese; they work without JavaScript.

pub mod account;
pub mod admin;
pub mod assessment;
pub mod attachments;
pub mod channels;
pub mod chart;
pub mod dashboard;
pub mod downloads;
pub mod drafts;
pub mod duty_list;
pub mod feedback;
pub mod layout;
pub mod list_controls;
pub mod login;
pub mod news;
pub mod records;
pub mod rectifications;
pub mod reminders;
pub mod risks;
pub mod rollup;
pub mod templates;
pub mod todo;
pub mod upload;

/// The router names these by their old module paths.
pub use assessment::ranking as assessment_ranking;
pub use news::settings as news_settings;
