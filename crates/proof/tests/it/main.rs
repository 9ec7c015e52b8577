//! The integration tests of this crate, in one binary (one link in CI).

mod cli;
mod docx_input;
mod eval;
mod robustness;
mod rules;
