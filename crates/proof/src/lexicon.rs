//! Replacement lists ("wrong → right, because …"): the built-in ones embedded
//! from `data/`, and the per-unit ones loaded from TOML (see
//! docs/proofreading.md for the format).

use crate::error::ProofError;
use crate::text::CharIndex;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::path::Path;

/// One replacement. `cues`/`anti_cues` make it contextual: when `cues` is not
/// empty the rule fires only if one of them occurs near the match, and never
/// when an anti-cue does (新教 is right next to 基督, 信教 next to 群众).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub wrong: String,
    pub right: String,
    pub reason: Option<String>,
    pub cues: Vec<String>,
    pub anti_cues: Vec<String>,
}

/// A match of a rule in a text, in character offsets.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    pub rule: &'a Rule,
    /// The cue that made a contextual rule fire, if any.
    pub cue: Option<&'a str>,
}

/// How far (in characters) around a match cues are looked for.
const CUE_WINDOW: usize = 40;

#[derive(Debug, Default, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    matcher: Option<AhoCorasick>,
}

impl RuleSet {
    pub fn new(rules: Vec<Rule>) -> RuleSet {
        let rules: Vec<Rule> = rules.into_iter().filter(|r| !r.wrong.is_empty()).collect();
        let matcher = if rules.is_empty() {
            None
        } else {
            AhoCorasick::builder().match_kind(MatchKind::Standard).build(rules.iter().map(|r| r.wrong.as_str())).ok()
        };
        RuleSet { rules, matcher }
    }

    /// Parses an embedded tab-separated list: `wrong<TAB>right[<TAB>reason]`
    /// or, when `with_cues`, `wrong<TAB>right<TAB>cues<TAB>reason`, where cues
    /// are comma-separated and a leading `!` marks an anti-cue.
    pub fn parse_tsv(src: &str, with_cues: bool) -> RuleSet {
        let mut rules = Vec::new();
        for line in src.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(wrong), Some(right)) = (cols.next(), cols.next()) else {
                continue;
            };
            let (cues, anti_cues) =
                if with_cues { split_cues(cols.next().unwrap_or("")) } else { (Vec::new(), Vec::new()) };
            let reason = cols.next().filter(|s| !s.is_empty()).map(str::to_string);
            rules.push(Rule { wrong: wrong.to_string(), right: right.to_string(), reason, cues, anti_cues });
        }
        RuleSet::new(rules)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// All places where a rule applies. A match is skipped where the text
    /// already reads `right` around it (rule 十九届四中全会 → 党的十九届四中全会
    /// stays quiet on 党的十九届四中全会).
    pub fn find<'a>(&'a self, text: &str, chars: &[char], index: &CharIndex) -> Vec<Hit<'a>> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        for m in matcher.find_overlapping_iter(text) {
            let rule = &self.rules[m.pattern().as_usize()];
            let start = index.char_at(m.start());
            let end = index.char_at(m.end());
            if already_right(chars, start, rule) {
                continue;
            }
            let cue = match context_cue(chars, start, end, rule) {
                Some(cue) => cue,
                None => continue,
            };
            hits.push(Hit { start, end, rule, cue });
        }
        // A hit inside a longer one (残废 inside 残废人) is the same problem.
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut kept: Vec<Hit<'a>> = Vec::new();
        for h in hits {
            if kept.last().is_none_or(|k| h.end > k.end) {
                kept.push(h);
            }
        }
        kept
    }
}

fn split_cues(col: &str) -> (Vec<String>, Vec<String>) {
    let mut cues = Vec::new();
    let mut anti = Vec::new();
    for c in col.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        match c.strip_prefix('!') {
            Some(a) => anti.push(a.to_string()),
            None => cues.push(c.to_string()),
        }
    }
    (cues, anti)
}

fn already_right(chars: &[char], start: usize, rule: &Rule) -> bool {
    let Some(byte_pos) = rule.right.find(rule.wrong.as_str()) else {
        return false;
    };
    // `right` may contain `wrong` more than once; try each alignment.
    let right: Vec<char> = rule.right.chars().collect();
    let wrong_len = rule.wrong.chars().count();
    let first = rule.right[..byte_pos].chars().count();
    (first..=right.len().saturating_sub(wrong_len))
        .filter(|&k| right[k..k + wrong_len].iter().copied().eq(rule.wrong.chars()))
        .any(|k| {
            start >= k
                && start - k + right.len() <= chars.len()
                && chars[start - k..start - k + right.len()] == right[..]
        })
}

/// `Some(cue)` when the rule may fire here: `Some(None)` for a rule without
/// cues, `Some(Some(cue))` naming the cue found; `None` when it must not.
fn context_cue<'a>(chars: &[char], start: usize, end: usize, rule: &'a Rule) -> Option<Option<&'a str>> {
    if rule.cues.is_empty() && rule.anti_cues.is_empty() {
        return Some(None);
    }
    let from = start.saturating_sub(CUE_WINDOW);
    let to = (end + CUE_WINDOW).min(chars.len());
    let window: String = chars[from..to].iter().collect();
    if rule.anti_cues.iter().any(|a| window.contains(a.as_str())) {
        return None;
    }
    if rule.cues.is_empty() {
        return Some(None);
    }
    rule.cues.iter().find(|c| window.contains(c.as_str())).map(|c| Some(c.as_str()))
}

/// A unit's own additions, from its TOML lexicon file.
#[derive(Debug, Default, Clone)]
pub struct UnitLexicon {
    /// Names of people, places and organisations that are never typos.
    pub allowed: Vec<String>,
    pub confusion: RuleSet,
    pub formulation: RuleSet,
    pub wording: RuleSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    allowed: Vec<toml::Spanned<String>>,
    #[serde(default)]
    confusion: Vec<toml::Spanned<RawRule>>,
    #[serde(default)]
    formulation: Vec<toml::Spanned<RawRule>>,
    #[serde(default)]
    wording: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    wrong: String,
    right: String,
    reason: Option<String>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    not_context: Vec<String>,
}

impl UnitLexicon {
    /// Parses a unit lexicon. `path` only names the file in error messages.
    pub fn from_toml(src: &str, path: &Path) -> Result<UnitLexicon, ProofError> {
        let err = |offset: usize, detail: String| ProofError::Lexicon {
            path: path.to_path_buf(),
            line: line_of(src, offset),
            detail,
        };
        let raw: RawLexicon = toml::from_str(src).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            err(offset, e.message().to_string())
        })?;
        let mut allowed = Vec::new();
        for word in raw.allowed {
            let offset = word.span().start;
            let word = word.into_inner();
            if word.trim().is_empty() {
                return Err(err(offset, "allowed 中不能有空词".into()));
            }
            allowed.push(word);
        }
        let convert = |list: Vec<toml::Spanned<RawRule>>| -> Result<RuleSet, ProofError> {
            let mut rules = Vec::new();
            for item in list {
                let offset = item.span().start;
                let raw = item.into_inner();
                if raw.wrong.is_empty() || raw.right.is_empty() {
                    return Err(err(offset, "wrong 和 right 都不能为空".into()));
                }
                if raw.wrong == raw.right {
                    return Err(err(offset, format!("wrong 与 right 相同：“{}”", raw.wrong)));
                }
                rules.push(Rule {
                    wrong: raw.wrong,
                    right: raw.right,
                    reason: raw.reason,
                    cues: raw.context,
                    anti_cues: raw.not_context,
                });
            }
            Ok(RuleSet::new(rules))
        };
        Ok(UnitLexicon {
            allowed,
            confusion: convert(raw.confusion)?,
            formulation: convert(raw.formulation)?,
            wording: convert(raw.wording)?,
        })
    }
}

/// 1-based line number of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    let offset = offset.min(src.len());
    src.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
