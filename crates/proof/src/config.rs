//! What a check looks for.

use crate::finding::Category;
use crate::lexicon::UnitLexicon;

#[derive(Debug, Clone)]
pub struct Config {
    enabled: [bool; Category::ALL.len()],
    /// Apply the stricter rules for official documents (公文), such as dates
    /// without leading zeros (GB/T 9704 / GB/T 15835).
    pub official_document: bool,
    /// The unit's own lexicon (allowed names, extra pairs and rules).
    pub lexicon: UnitLexicon,
    /// How much better (in natural-log probability) a corrected reading must
    /// be before the typo check speaks. Higher means fewer, surer findings.
    pub typo_threshold: f64,
}

/// Tuned on ECSpell odw.train (see docs/proofreading.md).
pub const DEFAULT_TYPO_THRESHOLD: f64 = 6.75;

impl Default for Config {
    fn default() -> Config {
        Config {
            enabled: [true; Category::ALL.len()],
            official_document: true,
            lexicon: UnitLexicon::default(),
            typo_threshold: DEFAULT_TYPO_THRESHOLD,
        }
    }
}

impl Config {
    /// A configuration with only the given categories enabled.
    pub fn only(categories: &[Category]) -> Config {
        let mut config = Config { enabled: [false; Category::ALL.len()], ..Config::default() };
        for &c in categories {
            config.enabled[c as usize] = true;
        }
        config
    }

    pub fn enabled(&self, category: Category) -> bool {
        self.enabled[category as usize]
    }

    pub fn set_enabled(&mut self, category: Category, on: bool) {
        self.enabled[category as usize] = on;
    }

    pub fn with_lexicon(mut self, lexicon: UnitLexicon) -> Config {
        self.lexicon = lexicon;
        self
    }
}
