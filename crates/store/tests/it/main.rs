//! The integration tests of this crate, in one binary (one link in CI).

mod attachments;
mod audited_columns;
mod news;
mod store;
