//! 校对: an offline, rule- and lexicon-based proofreader for official
//! Chinese text. `check` is pure (no I/O); every lexicon is embedded.
//!
//! ```
//! use taizhang_proof::{check, Category, Config};
//! let findings = check("坚决反对行式主义。", &Config::default());
//! assert!(findings.iter().any(|f| f.category == Category::Typo && f.suggestions[0] == "形式主义"));
//! ```

pub mod cli;
pub mod config;
pub mod doc;
pub mod docx;
pub mod error;
pub mod eval;
pub mod finding;
pub mod lexicon;
pub mod lm;
pub mod model;
pub mod phrases;
pub mod rules;
pub mod text;

pub use config::Config;
pub use error::ProofError;
pub use finding::{Category, Finding, Severity};
pub use lexicon::UnitLexicon;

use doc::Doc;

/// Checks `text` and returns its findings ordered by position.
///
/// The first call builds the shared dictionary model (a fraction of a
/// second); later calls reuse it.
pub fn check(text: &str, config: &Config) -> Vec<Finding> {
    let doc = Doc::new(text);
    let protected = protected_positions(&doc, config);
    let mut findings = Vec::new();
    rules::run_all(&doc, config, &protected, &mut findings);
    findings.retain(|f| {
        f.category == Category::PersonalInfo
            || f.category == Category::Secrecy
            || !protected[f.start..f.end].iter().any(|&p| p)
    });
    drop_nested_punctuation(&mut findings);
    findings.sort_by_key(|f| (f.start, f.end, f.category));
    findings.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.category == b.category);
    findings
}

/// A document number's brackets are one formulation finding, not also two
/// half-width punctuation findings.
fn drop_nested_punctuation(findings: &mut Vec<Finding>) {
    let spans: Vec<(usize, usize)> =
        findings.iter().filter(|f| f.category == Category::Formulation).map(|f| (f.start, f.end)).collect();
    findings.retain(|f| f.category != Category::Punctuation || !spans.iter().any(|&(s, e)| s <= f.start && f.end <= e));
}

/// Characters inside the unit's allowed words (names of people and
/// places): no rule about wording or characters may flag them.
fn protected_positions(doc: &Doc, config: &Config) -> Vec<bool> {
    let mut protected = vec![false; doc.chars.len()];
    for word in &config.lexicon.allowed {
        for (b, _) in doc.text.match_indices(word.as_str()) {
            let start = doc.index.char_at(b);
            let end = doc.index.char_at(b + word.len());
            protected[start..end].iter_mut().for_each(|p| *p = true);
        }
    }
    protected
}

/// The text as `--fix` writes it: the top suggestion of every
/// error-severity finding applied. The CSC evaluation goes through this too.
pub fn fix(text: &str, findings: &[Finding]) -> String {
    apply_fixes(text, findings, |f| f.severity == Severity::Error)
}

/// Applies the top suggestion of every finding that `select` accepts, left
/// to right, skipping findings that overlap one already applied.
pub fn apply_fixes(text: &str, findings: &[Finding], select: impl Fn(&Finding) -> bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut sorted: Vec<&Finding> = findings.iter().filter(|f| select(f) && !f.suggestions.is_empty()).collect();
    sorted.sort_by_key(|f| (f.start, f.end));
    for f in sorted {
        if f.start < pos || f.end > chars.len() {
            continue;
        }
        out.extend(&chars[pos..f.start]);
        out.push_str(&f.suggestions[0]);
        pos = f.end;
    }
    out.extend(&chars[pos..]);
    out
}
