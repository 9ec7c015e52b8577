//! The integration tests of this crate, in one binary (one link in CI).

mod common;
mod bundle;
mod demo_reports;
mod docx;
mod render;
mod xlsx;
