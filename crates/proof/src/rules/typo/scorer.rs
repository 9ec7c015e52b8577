//! The search over one run of Han characters: rounds of candidates, the
//! findings they make.

use super::params::{params, Params, ROUNDS};
use crate::finding::{Category, Finding, Severity};
use crate::lm::{Lm, LmBuf};
use crate::model::{Channel, Model, PinyinWord, Segmenter, WordKey};

/// A proposed correction: `with` replaces `chars[start..start + with.len()]`.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) start: usize,
    pub(super) with: Vec<char>,
    /// First and last changed position.
    pub(super) first: usize,
    pub(super) last: usize,
    /// The least likely channel among the changed characters.
    pub(super) channel: Channel,
    pub(super) gain: f64,
    /// Log frequency of the characters written in, for ties.
    pub(super) prior: f64,
}

pub(super) struct Scorer<'m> {
    pub(super) model: &'m Model,
    pub(super) threshold: f64,
    pub(super) p: Params,
    pub(super) seg: Segmenter,
    pub(super) buf: String,
    pub(super) key: WordKey,
    pub(super) homophones: Vec<PinyinWord>,
    pub(super) with: Vec<char>,
    /// The dictionary words of the text being searched: for each position,
    /// `dag[dag_at[i]..dag_at[i + 1]]` lists (end, log-probability) of the
    /// words starting there, the single character first.
    pub(super) dag: Vec<(usize, f64)>,
    pub(super) dag_at: Vec<usize>,
    /// For each position, where the longest dictionary word or word prefix
    /// starting there ends.
    pub(super) reach: Vec<usize>,
    pub(super) best: Vec<f64>,
    pub(super) in_word: Vec<bool>,
    /// Whether the candidate being scored may change a character into one
    /// of similar (fuzzy) pinyin.
    pub(super) fuzzy_ok: bool,
    pub(super) lm: &'static Lm,
    pub(super) lm_buf: LmBuf,
    pub(super) lm_chars: Vec<char>,
    /// Bigram-model scores of windows of the written text (this round).
    pub(super) lm_cache: rustc_hash::FxHashMap<(usize, usize), f64>,
    /// Unigram scores of windows of the written text (this round): the
    /// candidates at one place share their window.
    pub(super) span_cache: rustc_hash::FxHashMap<(usize, usize), f64>,
    /// Cohesion of each written character pair (this round), NaN until
    /// first asked for.
    pub(super) coh_written: Vec<f64>,
    /// Shape candidates per position: `shape_opts[shape_at[k]..shape_at[k + 1]]`
    /// with whether each joins its left and right neighbour in some word.
    pub(super) shape_at: Vec<usize>,
    pub(super) shape_opts: Vec<(char, bool, bool)>,
    /// Whether the train split's word counts speak in this run (its line
    /// reads like official writing, see `domain_shares`).
    pub(super) domain_on: bool,
    /// Train-split weight of each written character pair (this round), and
    /// of the last written span looked up: (start, length, weight).
    pub(super) dom_pairs: Vec<f64>,
    pub(super) dom_written: (usize, usize, f64),
    /// Offset of the run being checked in the document (for debugging output).
    pub(super) run_start: usize,
}

impl<'m> Scorer<'m> {
    pub(super) fn new(model: &'m Model, threshold: f64) -> Scorer<'m> {
        let p = *params();
        let seg = Segmenter::default();
        Scorer {
            model,
            threshold,
            p,
            seg,
            buf: String::new(),
            key: WordKey::default(),
            homophones: Vec::new(),
            with: Vec::new(),
            dag: Vec::new(),
            dag_at: Vec::new(),
            reach: Vec::new(),
            best: Vec::new(),
            in_word: Vec::new(),
            fuzzy_ok: false,
            lm: Lm::get(),
            lm_buf: LmBuf::default(),
            lm_chars: Vec::new(),
            lm_cache: Default::default(),
            span_cache: Default::default(),
            coh_written: Vec::new(),
            run_start: 0,
            domain_on: false,
            dom_pairs: Vec::new(),
            dom_written: (usize::MAX, 0, 0.0),
            shape_at: Vec::new(),
            shape_opts: Vec::new(),
        }
    }

    /// Checks one run of Han characters, `chars[start..end]`. The search
    /// runs again on the corrected text (up to `ROUNDS` times), so that one
    /// error does not hide its neighbour.
    pub(super) fn run(
        &mut self,
        chars: &[char],
        start: usize,
        end: usize,
        protected: &[bool],
        taken: &[bool],
        out: &mut Vec<Finding>,
    ) {
        self.run_start = start;
        let mut cur: Vec<char> = chars[start..end].to_vec();
        // Positions that may not change (local offsets).
        let mut fixed: Vec<bool> = (start..end).map(|at| protected[at] || taken[at]).collect();
        // Changed positions (local) and how each change is explained.
        let mut edits: Vec<(usize, Channel)> = Vec::new();
        // Where the next round looks: everywhere at first, then only near
        // the last round's changes (elsewhere nothing has changed).
        let mut focus = vec![true; cur.len()];
        let threshold = self.threshold;
        for round in 0..ROUNDS {
            self.threshold = if round == 0 { threshold } else { threshold - self.p.round_bonus };
            let kept = self.search(&cur, &fixed, &focus);
            if kept.is_empty() {
                break;
            }
            focus.iter_mut().for_each(|f| *f = false);
            let reach = self.p.radius + 4;
            for c in &kept {
                let lo = c.first.saturating_sub(reach);
                let hi = (c.last + 1 + reach).min(cur.len());
                focus[lo..hi].iter_mut().for_each(|f| *f = true);
            }
            for c in kept {
                for (k, &w) in c.with.iter().enumerate() {
                    let at = c.start + k;
                    if cur[at] != w {
                        let channel = self.model.channel(chars[start + at], w).unwrap_or(c.channel);
                        cur[at] = w;
                        fixed[at] = true;
                        edits.retain(|e| e.0 != at);
                        edits.push((at, channel));
                    }
                }
            }
        }
        self.threshold = threshold;
        edits.retain(|&(at, _)| cur[at] != chars[start + at]);
        edits.sort_by_key(|e| e.0);
        let mut i = 0;
        while i < edits.len() {
            let mut j = i + 1;
            while j < edits.len() && edits[j].0 <= edits[j - 1].0 + 1 {
                j += 1;
            }
            let channel = edits[i..j].iter().map(|e| e.1).max().unwrap_or(Channel::SameSound);
            out.push(self.finding(chars, start, &cur, edits[i].0, edits[j - 1].0, channel));
            i = j;
        }
    }

    /// The finding for the changed positions `first..=last` (local offsets
    /// into the run at `start`; `cur` is the corrected run).
    fn finding(
        &mut self,
        chars: &[char],
        start: usize,
        cur: &[char],
        first: usize,
        last: usize,
        channel: Channel,
    ) -> Finding {
        // Report the whole word(s) the correction makes, so the reviewer
        // sees 总休 → 总体 rather than 休 → 体.
        let lo = first.saturating_sub(self.p.radius);
        let hi = (last + 1 + self.p.radius).min(cur.len());
        self.buf.clear();
        self.buf.extend(&cur[lo..hi]);
        self.seg.run(self.model, &self.buf);
        let (mut ws, mut we) = (first, last + 1);
        for t in self.seg.tokens() {
            let (ts, te) = (lo + t.start, lo + t.end);
            if ts <= last && first < te {
                ws = ws.min(ts);
                we = we.max(te);
            }
        }
        let suggestion: String = cur[ws..we].iter().collect();
        let original: String = chars[start + ws..start + we].iter().collect();
        let reason = format!("疑为{}误用：“{}”应为“{}”", channel.describe(), original, suggestion);
        Finding::new(chars, start + ws, start + we, Category::Typo, Severity::Error, vec![suggestion], reason)
    }
}
