//! Fixed phrases of official writing (公文 and 党建 vocabulary: meeting and
//! document names, slogans, 规范提法, closing formulas): the hand-written
//! `data/phrases.txt`, the terms of 4 characters or more of
//! `data/domain_words.txt` and the right forms of `data/formulation.tsv`.
//!
//! A phrase found as written is taken as right (the typo check leaves its
//! characters alone); a phrase found with one character replaced or one
//! left out is a typo or a missing character. The near misses are found
//! from either half of the phrase, which one slip leaves intact.

use crate::doc::{Doc, PhraseHits};
use crate::text::is_han;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::sync::OnceLock;

const PHRASES: &str = include_str!("../data/phrases.txt");
const DOMAIN_WORDS: &str = include_str!("../data/domain_words.txt");
const FORMULATION: &str = include_str!("../data/formulation.tsv");

/// Shorter phrases are not kept: the typo check knows them as words.
const MIN_CHARS: usize = 4;
/// Shorter phrases are too easily one slip away from ordinary text
/// (形成合理 is not 形成合力).
const MIN_CHARS_REPLACED: usize = 5;
/// A phrase must be at least this long before a left-out character is
/// reported: shorter ones are often legitimately shortened (按有关规定,
/// 统一市场).
const MIN_CHARS_DROPPED: usize = 8;

/// A phrase written with one slip: `text[start..end]` should read `phrase`.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    pub start: usize,
    pub end: usize,
    pub phrase: &'static str,
    pub slip: Slip,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slip {
    /// The character at this offset (in the text) is the wrong one; the
    /// phrase has `meant` there.
    Replaced { at: usize, meant: char },
    /// A character of the phrase is missing.
    Dropped,
}

pub struct Phrases {
    list: Vec<(&'static str, Vec<char>)>,
    exact: AhoCorasick,
    halves: AhoCorasick,
    /// The halves as a DFA, for long texts (built on first use).
    halves_dfa: OnceLock<AhoCorasick>,
    /// For each half pattern: the phrases it is the left (true) or right
    /// half of.
    half_of: Vec<Vec<(u32, bool)>>,
    /// The halves as text, for the DFA.
    halves_text: Vec<String>,
}

/// Texts of at least this many bytes are searched with the halves' DFA.
const DFA_MIN_TEXT: usize = 1 << 18;

fn automaton<I, P>(patterns: I, kind: Option<AhoCorasickKind>) -> AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder().match_kind(MatchKind::Standard).kind(kind).build(patterns).expect("phrase automaton")
}

static PHRASE_SET: OnceLock<Phrases> = OnceLock::new();

impl Phrases {
    pub fn get() -> &'static Phrases {
        PHRASE_SET.get_or_init(Phrases::build)
    }

    fn build() -> Phrases {
        let mut list: Vec<(&'static str, Vec<char>)> = Vec::new();
        let mut listed: FxHashSet<&'static str> = FxHashSet::default();
        let mut add = |p: &'static str| {
            let chars: Vec<char> = p.chars().collect();
            if chars.len() >= MIN_CHARS && listed.insert(p) {
                list.push((p, chars));
            }
        };
        for line in PHRASES.lines().chain(DOMAIN_WORDS.lines()) {
            if let Some(p) = line.split_whitespace().next().filter(|p| !p.starts_with('#')) {
                add(p);
            }
        }
        for line in FORMULATION.lines().filter(|l| !l.starts_with('#')) {
            if let Some(right) = line.split('\t').nth(1) {
                add(right);
            }
        }
        let mut halves: Vec<String> = Vec::new();
        let mut half_id: FxHashMap<String, usize> = FxHashMap::default();
        let mut half_of: Vec<Vec<(u32, bool)>> = Vec::new();
        for (id, (_, chars)) in list.iter().enumerate() {
            let h = chars.len() / 2;
            for (half, left) in [(&chars[..h], true), (&chars[h..], false)] {
                let s: String = half.iter().collect();
                let k = *half_id.entry(s.clone()).or_insert_with(|| {
                    halves.push(s);
                    half_of.push(Vec::new());
                    halves.len() - 1
                });
                half_of[k].push((id as u32, left));
            }
        }
        let exact = automaton(list.iter().map(|(p, _)| *p), None);
        let halves_nfa = automaton(&halves, None);
        Phrases { list, exact, halves: halves_nfa, half_of, halves_text: halves, halves_dfa: OnceLock::new() }
    }

    /// Both automata run over the document, once per document.
    fn hits<'d>(&self, doc: &'d Doc) -> &'d PhraseHits {
        // The halves' DFA finds the same matches several times faster than
        // the default automaton, but takes about 0.03 s to build: worth it
        // only for a long text. (A DFA of the whole phrases costs more to
        // build than it saved on 1 MB of text.)
        let halves = if doc.text.len() >= DFA_MIN_TEXT {
            self.halves_dfa.get_or_init(|| automaton(&self.halves_text, Some(AhoCorasickKind::DFA)))
        } else {
            &self.halves
        };
        doc.phrase_hits.get_or_init(|| PhraseHits {
            exact: self
                .exact
                .find_overlapping_iter(doc.text)
                .map(|m| doc.index.char_at(m.start())..doc.index.char_at(m.end()))
                .collect(),
            halves: halves
                .find_overlapping_iter(doc.text)
                .map(|m| (doc.index.char_at(m.start()), m.pattern().as_u32()))
                .collect(),
        })
    }

    /// Character ranges of the phrases found as written.
    pub fn exact(&self, doc: &Doc) -> Vec<Range<usize>> {
        self.hits(doc).exact.clone()
    }

    /// Phrases written with one character replaced or left out. `accept`
    /// decides whether `written` can stand for `meant` (a sound or shape
    /// confusion).
    pub fn near_misses(&self, doc: &Doc, accept: impl Fn(char, char) -> bool) -> Vec<NearMiss> {
        let c = &doc.chars;
        let mut out: Vec<NearMiss> = Vec::new();
        for &(at, pattern) in &self.hits(doc).halves {
            for &(id, left) in &self.half_of[pattern as usize] {
                let (phrase, p) = &self.list[id as usize];
                let h = p.len() / 2;
                // Where the phrase starts if the slip replaced a character,
                // and if it left one out (of the half before the match).
                let (whole, short) =
                    if left { (Some(at), Some(at)) } else { (at.checked_sub(h), (at + 1).checked_sub(h)) };
                let whole = whole.filter(|_| p.len() >= MIN_CHARS_REPLACED);
                if let Some(miss) = whole.and_then(|start| replaced(c, start, p, left, &accept).map(|m| (start, m))) {
                    out.push(NearMiss { start: miss.0, end: miss.0 + p.len(), phrase, slip: miss.1 });
                } else if let Some(start) = short.filter(|&s| p.len() >= MIN_CHARS_DROPPED && dropped(c, s, p, left)) {
                    out.push(NearMiss { start, end: start + p.len() - 1, phrase, slip: Slip::Dropped });
                }
            }
        }
        out.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end)));
        out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
        out
    }
}

/// `c[start..]` reads phrase `p` with one character replaced, in the half
/// the match did not cover.
fn replaced(c: &[char], start: usize, p: &[char], left: bool, accept: &impl Fn(char, char) -> bool) -> Option<Slip> {
    let end = start + p.len();
    if end > c.len() {
        return None;
    }
    let h = p.len() / 2;
    let span = if left { h..p.len() } else { 0..h };
    let mut slip = None;
    for k in span {
        let (written, meant) = (c[start + k], p[k]);
        if written != meant {
            if slip.is_some() || !accept(written, meant) {
                return None;
            }
            slip = Some(Slip::Replaced { at: start + k, meant });
        }
    }
    slip
}

/// `c[start..]` reads phrase `p` with one inner character left out, in the
/// half the match did not cover.
fn dropped(c: &[char], start: usize, p: &[char], left: bool) -> bool {
    let n = p.len();
    let h = n / 2;
    if start + n - 1 > c.len() || c[start..].starts_with(p) {
        return false;
    }
    let written = &c[start..start + n - 1];
    // Only inner characters: a phrase cut at either end is often another
    // phrase (社会主义核心价值 in 社会主义核心价值体系).
    let gaps = if left { h..n - 1 } else { 1..h };
    gaps.into_iter().any(|k| k > 0 && is_han(p[k]) && written[..k] == p[..k] && written[k..] == p[k + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misses(text: &str) -> Vec<NearMiss> {
        Phrases::get().near_misses(&Doc::new(text), |a, b| a != b && "治制".contains(a) && "治制".contains(b))
    }

    #[test]
    fn a_phrase_with_one_character_replaced_is_a_near_miss() {
        let found = misses("坚持民主集中治原则");
        assert!(found.iter().any(|n| n.phrase == "民主集中制" && n.slip == Slip::Replaced { at: 6, meant: '制' }));
    }

    #[test]
    fn a_phrase_with_an_inner_character_left_out_is_a_near_miss() {
        let found = misses("要落实全面从治党主体责任");
        assert!(found.iter().any(|n| n.phrase == "全面从严治党主体责任" && n.slip == Slip::Dropped), "{found:?}");
    }

    #[test]
    fn a_phrase_written_right_is_no_near_miss() {
        assert!(misses("坚持民主集中制原则，落实全面从严治党主体责任，按有关规定办理").is_empty());
    }
}
