//! The integration tests of this crate, in one binary (one link in CI).

mod cli;
mod eval;
mod robustness;
mod rules;
