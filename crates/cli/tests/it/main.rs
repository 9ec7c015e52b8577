//! The integration tests of this crate, in one binary (one link in CI).

mod cli;
mod common;
mod documents;
mod seed;
