//! 错别字: wrong characters and words.
//!
//! Three sources, checked in this order:
//! 1. confusion pairs (built in, from `data/confusion.tsv`, and the unit's
//!    own), some of them contextual (新教/信教);
//! 2. fixed phrases (`crate::phrases`) written with one character that
//!    sounds or looks like the right one (民主集中治 → 民主集中制);
//! 3. a noisy-channel search: every span of 2–4 characters is replaced by
//!    the dictionary words an input method would offer for the same pinyin
//!    (淡味 → 单位) and by the words a similar-shape character makes
//!    (总休 → 总体), and a replacement is reported when the word models
//!    find the text far more probable with it (see `evaluate`).
//!
//! Characters taken by an earlier source, fixed phrases written right and
//! the names of `veto` are left out of the search.

mod evaluate;
mod params;
mod scorer;
mod search;
mod span;
mod veto;

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::RuleSet;
use crate::model::Model;
use crate::phrases::{Phrases, Slip};
use crate::text::is_han;
use params::debug;
use scorer::Scorer;
use std::sync::OnceLock;

static CONFUSION: OnceLock<RuleSet> = OnceLock::new();

fn builtin_confusion() -> &'static RuleSet {
    CONFUSION.get_or_init(|| RuleSet::parse_tsv(include_str!("../../../data/confusion.tsv"), true))
}

pub fn check(doc: &Doc, config: &Config, protected: &[bool], out: &mut Vec<Finding>) {
    let mut taken = vec![false; doc.chars.len()];
    for set in [builtin_confusion(), &config.lexicon.confusion] {
        for hit in set.find(doc.text, &doc.chars, &doc.index) {
            if protected[hit.start..hit.end].iter().any(|&p| p) || taken[hit.start..hit.end].iter().any(|&t| t) {
                continue;
            }
            taken[hit.start..hit.end].iter_mut().for_each(|t| *t = true);
            let mut reason =
                hit.rule.reason.clone().unwrap_or_else(|| format!("“{}”应为“{}”", hit.rule.wrong, hit.rule.right));
            if let Some(cue) = hit.cue {
                reason.push_str(&format!("（据上下文“{cue}”判断）"));
            }
            out.push(Finding::new(
                &doc.chars,
                hit.start,
                hit.end,
                Category::Typo,
                Severity::Error,
                vec![hit.rule.right.clone()],
                reason,
            ));
        }
    }
    let model = Model::get();
    fixed_phrases(doc, model, protected, &mut taken, out);
    for (t, v) in taken.iter_mut().zip(veto::names(&doc.chars)) {
        *t |= v;
    }
    if debug() {
        eprintln!("S\t{}", doc.text);
    }
    let mut scorer = Scorer::new(model, config.typo_threshold);
    let chars = &doc.chars;
    let p = params::params();
    let shares = if p.dom != 0.0 { domain_shares(doc, model) } else { Vec::new() };
    let mut line = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_han(chars[i]) {
            i += 1;
        }
        if i - start >= 2 {
            while line + 1 < doc.lines.len() && doc.lines[line].1 < start {
                line += 1;
            }
            scorer.domain_on = shares.get(line).is_some_and(|&x| x >= p.dom_share);
            scorer.run(chars, start, i, protected, &taken, out);
        }
    }
}

/// For each line, the share of its pairs of adjacent Han characters that
/// occur in the train split's corrected sentences: how much the line reads
/// like official writing, where the train split's counts may speak
/// (elsewhere they would pull 肱骨 in a medical text to 巩固).
fn domain_shares(doc: &Doc, model: &Model) -> Vec<f64> {
    doc.lines
        .iter()
        .map(|&(start, end)| {
            let (mut pairs, mut known) = (0, 0);
            for w in doc.chars[start..end].windows(2) {
                if is_han(w[0]) && is_han(w[1]) {
                    pairs += 1;
                    known += (model.domain_pair(w[0], w[1]) > 0.0) as usize;
                }
            }
            if pairs == 0 {
                0.0
            } else {
                known as f64 / pairs as f64
            }
        })
        .collect()
}

/// Fixed phrases: one written with a character confused for another is a
/// typo; one written right is taken as it stands (the search below leaves
/// its characters alone: 党的十八届 is not 党第十八届).
fn fixed_phrases(doc: &Doc, model: &Model, protected: &[bool], taken: &mut [bool], out: &mut Vec<Finding>) {
    let phrases = Phrases::get();
    let mut in_phrase = vec![false; doc.chars.len()];
    for r in phrases.exact(doc) {
        in_phrase[r].iter_mut().for_each(|p| *p = true);
    }
    let confusable = |w: char, m: char| model.channel(w, m).is_some();
    for miss in phrases.near_misses(doc, confusable) {
        let Slip::Replaced { at, meant } = miss.slip else { continue };
        let span = miss.start..miss.end;
        if in_phrase[at] || protected[span.clone()].iter().any(|&p| p) || taken[span.clone()].iter().any(|&t| t) {
            continue;
        }
        // The written characters may be a word in their own right.
        if model.has_word(&doc.slice(miss.start, miss.end)) {
            continue;
        }
        taken[span.clone()].iter_mut().for_each(|t| *t = true);
        let reason = format!("固定用语“{}”误写：“{}”应为“{}”", miss.phrase, doc.chars[at], meant);
        out.push(Finding::new(
            &doc.chars,
            miss.start,
            miss.end,
            Category::Typo,
            Severity::Error,
            vec![miss.phrase.to_string()],
            reason,
        ));
    }
    for (t, p) in taken.iter_mut().zip(&in_phrase) {
        *t |= *p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_lines_read_like_the_train_split() {
        let text = "各地区各部门要加强组织领导，抓好贯彻落实。\n患者肱骨骨折伴桡神经损伤";
        let doc = Doc::new(text);
        let shares = domain_shares(&doc, Model::get());
        assert_eq!(shares.len(), 2);
        assert!(shares[0] >= 0.8, "{shares:?}");
        assert!(shares[1] < 0.5, "{shares:?}");
    }

    #[test]
    fn train_counts_favour_official_words() {
        let model = Model::get();
        let count = |w: &str| model.domain_word(&w.chars().collect::<Vec<_>>());
        assert!(count("巩固") > count("肱骨"));
        assert!(count("征收") > count("正手"));
    }
}
