//! The integration tests of this crate, in one binary (one link in CI).

mod bundle;
mod common;
mod demo_reports;
mod docx;
mod render;
mod xlsx;
