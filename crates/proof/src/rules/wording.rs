//! 用语: disrespectful or outdated terms and the respectful ones
//! (残废人 → 残疾人), a built-in list plus the unit's own.

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::RuleSet;
use crate::rules::listed;
use std::sync::OnceLock;

static BUILTIN: OnceLock<RuleSet> = OnceLock::new();

fn builtin() -> &'static RuleSet {
    BUILTIN.get_or_init(|| RuleSet::parse_tsv(include_str!("../../data/wording.tsv"), false))
}

pub fn check(doc: &Doc, config: &Config, out: &mut Vec<Finding>) {
    listed::check(doc, &[builtin(), &config.lexicon.wording], Category::Wording, Severity::Warning, "用语不当", out);
}
