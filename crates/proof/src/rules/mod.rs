//! One module per category of finding.

pub mod duplicate;
pub mod formulation;
mod listed;
pub mod missing;
pub mod number;
pub mod personal;
pub mod punctuation;
pub mod secrecy;
pub mod typo;
pub mod wording;

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding};

pub fn run_all(doc: &Doc, config: &Config, protected: &[bool], out: &mut Vec<Finding>) {
    if config.enabled(Category::Typo) {
        typo::check(doc, config, protected, out);
    }
    if config.enabled(Category::Duplicate) {
        duplicate::check(doc, out);
    }
    if config.enabled(Category::Missing) {
        missing::check(doc, out);
    }
    if config.enabled(Category::Formulation) {
        formulation::check(doc, config, out);
    }
    if config.enabled(Category::Number) {
        number::check(doc, config, out);
    }
    if config.enabled(Category::Punctuation) {
        punctuation::check(doc, out);
    }
    if config.enabled(Category::Wording) {
        wording::check(doc, config, out);
    }
    if config.enabled(Category::PersonalInfo) {
        personal::check(doc, out);
    }
    if config.enabled(Category::Secrecy) {
        secrecy::check(doc, out);
    }
}
