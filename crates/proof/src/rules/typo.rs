//! 错别字: wrong characters and words.
//!
//! Two sources, checked in this order:
//! 1. confusion pairs (built in, from `data/confusion.tsv`, and the unit's
//!    own), some of them contextual (新教/信教);
//! 2. a noisy-channel search: every span of 2–4 characters is replaced by
//!    the dictionary words an input method would offer for the same pinyin
//!    (淡味 → 单位) and by the words a similar-shape character makes
//!    (总休 → 总体), and a replacement is reported when the dictionary's word
//!    model finds the text far more probable with it.

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::lexicon::RuleSet;
use crate::lm::{Lm, LmBuf};
use crate::model::{pinyin_keys, Channel, Model, PinyinWord, Segmenter, MAX_KEYS};
use crate::text::is_han;
use std::sync::OnceLock;

static CONFUSION: OnceLock<RuleSet> = OnceLock::new();

fn builtin_confusion() -> &'static RuleSet {
    CONFUSION.get_or_init(|| RuleSet::parse_tsv(include_str!("../../data/confusion.tsv"), true))
}

/// Place-name suffixes: the two characters before them are usually a
/// proper name (马咀村, 湾沚镇) that no dictionary knows.
const PLACE_SUFFIXES: &str = "村镇乡屯寨街社庄";

/// Tuning of the candidate search (fixed values, tuned on odw.train;
/// `TAIZHANG_TYPO_PARAMS` overrides them for experiments: space-separated
/// `name=value`).
#[derive(Debug, Clone, Copy)]
struct Params {
    /// Characters of context on each side of the changed characters.
    radius: usize,
    /// A token that is a dictionary word at least this frequent is taken
    /// as written.
    trusted_word: u32,
    /// Single characters at least this frequent are taken as written.
    trusted_char: u32,
    /// How much context may add to a span's own gain: candidates whose gain
    /// on the span alone is below `threshold + cost - context` are dropped
    /// before the (costlier) scoring in context.
    context: f64,
    /// Channel costs (natural-log units) per changed character.
    cost_tone: f64,
    cost_shape: f64,
    /// Extra cost for each changed character after the first.
    cost_extra: f64,
    /// How much lower the threshold is for changes outside the words of
    /// the written text's segmentation.
    nonword_bonus: f64,
    /// Weight of the character-cohesion score (see [`Model::cohesion`]) of
    /// the pairs a change touches.
    cohesion: f64,
    /// Cost of a fuzzy-pinyin change (z/zh, n/l, in/ing…; see
    /// [`Channel::SimilarSound`]); negative: not tried.
    cost_fuzzy: f64,
    /// How much lower the threshold is in the rounds after the first (near
    /// a change already made: errors come in clusters).
    round_bonus: f64,
    /// Weight of the unigram word model's score (dictionary segmentation).
    uni: f64,
    /// Weight of the word-bigram model's score (see [`Lm`]).
    lm: f64,
    /// Characters of context on each side for the bigram model.
    lm_radius: usize,
    /// Weights of further features (see `evaluate`): real-word change,
    /// written word's log frequency, candidate's log frequency, rarity of
    /// the written and of the meant characters.
    extra: [f64; 5],
    /// Characters inside a word at least this frequent (in the best
    /// segmentation) are not tried for shape confusions.
    shape_trusted: u32,
    /// `context` for candidates that change a tone.
    context_tone: f64,
    /// Most the bigram model is taken to add to a candidate's gain (for
    /// skipping it, see `evaluate`).
    lm_max: f64,
}

/// Characters inside a word at least this frequent (in the best
/// segmentation) are not tried for shape confusions.
const SHAPE_TRUSTED_WORD: u32 = 100;

/// Rounds of search: each round runs on the text corrected by the last.
const ROUNDS: usize = 3;

const PARAMS: Params = Params {
    radius: 4,
    trusted_word: u32::MAX,
    trusted_char: u32::MAX,
    context: 4.75,
    cost_tone: 1.0,
    cost_shape: 2.0,
    cost_extra: 2.0,
    nonword_bonus: 0.0,
    cohesion: 0.05,
    cost_fuzzy: -1.0,
    round_bonus: 0.0,
    // Weights fitted by logistic regression on the candidates of odw.train
    // (scaled so that the channel cost weighs 1), threshold then swept.
    uni: 0.406,
    lm: 0.258,
    lm_radius: 4,
    extra: [1.247, 0.077, -0.004, 0.392, -0.207],
    shape_trusted: SHAPE_TRUSTED_WORD,
    context_tone: 1.75,
    lm_max: 4.5,
};

fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        let mut p = PARAMS;
        if let Ok(spec) = std::env::var("TAIZHANG_TYPO_PARAMS") {
            for kv in spec.split_whitespace() {
                let Some((k, v)) = kv.split_once('=') else {
                    continue;
                };
                let Ok(x) = v.parse::<f64>() else { continue };
                match k {
                    "radius" => p.radius = x as usize,
                    "trusted_word" => p.trusted_word = x as u32,
                    "trusted_char" => p.trusted_char = x as u32,
                    "context" => p.context = x,
                    "cost_tone" => p.cost_tone = x,
                    "cost_shape" => p.cost_shape = x,
                    "cost_extra" => p.cost_extra = x,
                    "nonword_bonus" => p.nonword_bonus = x,
                    "cohesion" => p.cohesion = x,
                    "cost_fuzzy" => p.cost_fuzzy = x,
                    "round_bonus" => p.round_bonus = x,
                    "uni" => p.uni = x,
                    "lm" => p.lm = x,
                    "lm_radius" => p.lm_radius = x as usize,
                    "w_inword" => p.extra[0] = x,
                    "shape_trusted" => p.shape_trusted = x as u32,
                    "context_tone" => p.context_tone = x,
                    "lm_max" => p.lm_max = x,
                    "w_wfreq" => p.extra[1] = x,
                    "w_cfreq" => p.extra[2] = x,
                    "w_rarew" => p.extra[3] = x,
                    "w_rarem" => p.extra[4] = x,
                    _ => {}
                }
            }
        }
        p
    })
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
    if debug() {
        eprintln!("S\t{}", doc.text);
    }
    let model = Model::get();
    let mut scorer = Scorer::new(model, config.typo_threshold);
    let chars = &doc.chars;
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
            scorer.run(chars, start, i, protected, &taken, out);
        }
    }
}

/// A proposed correction: `with` replaces `chars[start..start + with.len()]`.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    with: Vec<char>,
    /// First and last changed position.
    first: usize,
    last: usize,
    /// The least likely channel among the changed characters.
    channel: Channel,
    gain: f64,
    /// Log frequency of the characters written in, for ties.
    prior: f64,
}

struct Scorer<'m> {
    model: &'m Model,
    threshold: f64,
    p: Params,
    seg: Segmenter,
    buf: String,
    homophones: Vec<PinyinWord>,
    with: Vec<char>,
    /// The dictionary words of the text being searched: for each position,
    /// `dag[dag_at[i]..dag_at[i + 1]]` lists (end, log-probability) of the
    /// words starting there, the single character first.
    dag: Vec<(usize, f64)>,
    dag_at: Vec<usize>,
    best: Vec<f64>,
    in_word: Vec<bool>,
    /// Whether the candidate being scored may change a character into one
    /// of similar (fuzzy) pinyin.
    fuzzy_ok: bool,
    lm: &'static Lm,
    lm_buf: LmBuf,
    lm_chars: Vec<char>,
    /// Bigram-model scores of windows of the written text (this round).
    lm_cache: rustc_hash::FxHashMap<(usize, usize), f64>,
    /// Shape candidates per position: `shape_opts[shape_at[k]..shape_at[k + 1]]`
    /// with whether each joins its left and right neighbour in some word.
    shape_at: Vec<usize>,
    shape_opts: Vec<(char, bool, bool)>,
    /// Offset of the run being checked in the document (for debugging output).
    run_start: usize,
}

impl<'m> Scorer<'m> {
    fn new(model: &'m Model, threshold: f64) -> Scorer<'m> {
        let p = *params();
        let seg = Segmenter::default();
        Scorer {
            model,
            threshold,
            p,
            seg,
            buf: String::new(),
            homophones: Vec::new(),
            with: Vec::new(),
            dag: Vec::new(),
            dag_at: Vec::new(),
            best: Vec::new(),
            in_word: Vec::new(),
            fuzzy_ok: false,
            lm: Lm::get(),
            lm_buf: LmBuf::default(),
            lm_chars: Vec::new(),
            lm_cache: Default::default(),
            run_start: 0,
            shape_at: Vec::new(),
            shape_opts: Vec::new(),
        }
    }

    /// Checks one run of Han characters, `chars[start..end]`. The search
    /// runs again on the corrected text (up to `ROUNDS` times), so that one
    /// error does not hide its neighbour.
    fn run(
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
        let mut fixed: Vec<bool> =
            (start..end).map(|at| protected[at] || taken[at] || before_place_suffix(chars, at, end)).collect();
        self.buf.clear();
        self.buf.extend(&cur);
        self.seg.run(self.model, &self.buf);
        for t in self.seg.tokens() {
            let trusted = if t.len() == 1 {
                self.model.char_freq(cur[t.start]) >= self.p.trusted_char
            } else if self.p.trusted_word == u32::MAX {
                false
            } else {
                let word: String = cur[t.clone()].iter().collect();
                self.model.word_freq(&word) >= self.p.trusted_word
            };
            if trusted {
                fixed[t].iter_mut().for_each(|f| *f = true);
            }
        }
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

    /// One round of the search over `chars` (a run of Han characters, local
    /// offsets): the best non-touching candidates.
    #[allow(clippy::needless_range_loop)] // positions index several parallel arrays
    fn search(&mut self, chars: &[char], fixed: &[bool], focus: &[bool]) -> Vec<Candidate> {
        let (start, end) = (0, chars.len());
        self.build_dag(chars);
        self.lm_cache.clear();
        // Positions inside a word of the written text's best segmentation:
        // a change there turns a word into another (real-word error).
        self.in_word.clear();
        self.in_word.resize(chars.len(), false);
        self.buf.clear();
        self.buf.extend(chars);
        self.seg.run(self.model, &self.buf);
        for t in self.seg.tokens() {
            if t.len() >= 2 {
                self.in_word[t].iter_mut().for_each(|w| *w = true);
            }
        }
        // Shape confusions mostly leave non-words behind: characters inside
        // a common word of the best segmentation are not tried for them.
        let mut has_shapes: Vec<bool> =
            chars.iter().zip(fixed).map(|(&c, &f)| !f && !self.model.shape_similar(c).is_empty()).collect();
        if has_shapes.iter().any(|&h| h) {
            self.buf.clear();
            self.buf.extend(chars);
            self.seg.run(self.model, &self.buf);
            for t in self.seg.tokens() {
                if t.len() >= 2 {
                    let word: String = chars[t.clone()].iter().collect();
                    if self.model.word_freq(&word) >= self.p.shape_trusted {
                        has_shapes[t].iter_mut().for_each(|h| *h = false);
                    }
                }
            }
        }
        // For each position, the shape candidates that join a neighbour
        // inside some dictionary word (left, right): a candidate word needs
        // that, and two look-ups here spare many word look-ups below.
        self.shape_at.clear();
        self.shape_opts.clear();
        for (k, &c) in chars.iter().enumerate() {
            self.shape_at.push(self.shape_opts.len());
            if !has_shapes[k] {
                continue;
            }
            for &d in self.model.shape_similar(c) {
                let left = k > 0 && self.model.joins(chars[k - 1], d);
                let right = k + 1 < chars.len() && self.model.joins(d, chars[k + 1]);
                if left || right {
                    self.shape_opts.push((d, left, right));
                }
            }
        }
        self.shape_at.push(self.shape_opts.len());
        let mut fuzzy_here: Vec<bool> = vec![false; chars.len()];
        if self.p.cost_fuzzy >= 0.0 {
            for (k, f) in fuzzy_here.iter_mut().enumerate() {
                *f = !fixed[k];
            }
            self.buf.clear();
            self.buf.extend(chars);
            self.seg.run(self.model, &self.buf);
            for t in self.seg.tokens() {
                if t.len() >= 2 {
                    let word: String = chars[t.clone()].iter().collect();
                    if self.model.word_freq(&word) >= SHAPE_TRUSTED_WORD {
                        fuzzy_here[t].iter_mut().for_each(|h| *h = false);
                    }
                }
            }
        }
        let mut found: Vec<Candidate> = Vec::new();
        let syls: Vec<&[u16]> = chars.iter().map(|&c| self.model.syllables(c)).collect();
        for s in start..end {
            for len in 2..=4 {
                let e = s + len;
                if e > end {
                    break;
                }
                if fixed[s..e].iter().all(|&f| f) || !focus[s..e].iter().any(|&f| f) {
                    continue;
                }
                // Homophone words of the span, most frequent first.
                let mut keys = [0u64; MAX_KEYS];
                let nkeys = pinyin_keys(&syls[s..e], &mut keys);
                let mut lists: [&[PinyinWord]; MAX_KEYS] = [&[]; MAX_KEYS];
                let mut top = 0;
                for (list, &k) in lists.iter_mut().zip(&keys[..nkeys]) {
                    *list = self.model.pinyin_words(k);
                    top = top.max(list.first().map_or(0, |w| w.freq));
                }
                if top == 0 && !has_shapes[s..e].iter().any(|&h| h) {
                    continue;
                }
                // The span as written; a candidate word must beat it by
                // `threshold - context` on its own, which bounds its
                // frequency from below.
                let orig = self.span_score(s, e);
                let min_logf = orig + self.model.log_total() + self.threshold
                    - self.p.nonword_bonus
                    - self.p.context.max(self.p.context_tone);
                let min_freq = min_logf.exp().clamp(1.0, u32::MAX as f64) as u32;
                let mut homophones = std::mem::take(&mut self.homophones);
                homophones.clear();
                if top >= min_freq {
                    for list in &lists[..nkeys] {
                        for w in list.iter() {
                            if w.freq < min_freq {
                                break;
                            }
                            // One key (no heteronym) lists each word once.
                            if w.as_slice() != &chars[s..e] && (nkeys == 1 || !homophones.contains(w)) {
                                homophones.push(*w);
                            }
                        }
                    }
                }
                for w in &homophones {
                    self.with.clear();
                    self.with.extend_from_slice(w.as_slice());
                    self.evaluate(chars, start, end, s, orig, w.freq, fixed, &mut found);
                }
                self.homophones = homophones;
                for k in s..e {
                    if !has_shapes[k] {
                        continue;
                    }
                    for o in self.shape_at[k]..self.shape_at[k + 1] {
                        let (d, left, right) = self.shape_opts[o];
                        if (k > s && !left) || (k + 1 < e && !right) {
                            continue;
                        }
                        self.with.clear();
                        self.with.extend_from_slice(&chars[s..e]);
                        self.with[k - s] = d;
                        self.buf.clear();
                        self.buf.extend(&self.with);
                        let freq = self.model.word_freq(&self.buf);
                        if freq > 0 {
                            self.evaluate(chars, start, end, s, orig, freq, fixed, &mut found);
                        }
                    }
                }
                // Fuzzy pinyin, under the same restriction as shapes (not
                // inside a common word).
                if self.p.cost_fuzzy >= 0.0 {
                    let min_freq = (min_logf + self.p.cost_fuzzy).exp().clamp(1.0, u32::MAX as f64) as u32;
                    for k in s..e {
                        if !fuzzy_here[k] {
                            continue;
                        }
                        for &(d, channel) in self.model.confusables(chars[k]) {
                            if channel != Channel::SimilarSound {
                                continue;
                            }
                            self.with.clear();
                            self.with.extend_from_slice(&chars[s..e]);
                            self.with[k - s] = d;
                            self.buf.clear();
                            self.buf.extend(&self.with);
                            let freq = self.model.word_freq(&self.buf);
                            if freq >= min_freq {
                                self.fuzzy_ok = true;
                                self.evaluate(chars, start, end, s, orig, freq, fixed, &mut found);
                                self.fuzzy_ok = false;
                            }
                        }
                    }
                }
            }
        }
        // Where candidates touch, keep the surer one (on a tie, the one
        // writing more common characters): each was scored against the
        // uncorrected text.
        found.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(b.prior.total_cmp(&a.prior)));
        let mut kept: Vec<Candidate> = Vec::new();
        for c in found {
            if kept.iter().all(|k| c.first > k.last + 1 || k.first > c.last + 1) {
                kept.push(c);
            }
        }
        kept
    }

    fn build_dag(&mut self, chars: &[char]) {
        self.dag.clear();
        self.dag_at.clear();
        let log_total = self.model.log_total();
        for i in 0..chars.len() {
            self.dag_at.push(self.dag.len());
            self.buf.clear();
            self.buf.push(chars[i]);
            let f = self.model.lookup(&self.buf).unwrap_or(0).max(1);
            self.dag.push((i + 1, (f as f64).ln() - log_total));
            for (j, &c) in chars.iter().enumerate().skip(i + 1) {
                self.buf.push(c);
                match self.model.lookup(&self.buf) {
                    None => break,
                    Some(0) => {}
                    Some(f) => self.dag.push((j + 1, (f as f64).ln() - log_total)),
                }
            }
        }
        self.dag_at.push(self.dag.len());
    }

    /// Log-probability of the best segmentation of `chars[s..e]` of the
    /// text the dag was built for.
    fn span_score(&mut self, s: usize, e: usize) -> f64 {
        self.best.clear();
        self.best.resize(e - s + 1, 0.0);
        for i in (s..e).rev() {
            let mut b = f64::NEG_INFINITY;
            for &(j, lp) in &self.dag[self.dag_at[i]..self.dag_at[i + 1]] {
                if j <= e {
                    b = b.max(lp + self.best[j - s]);
                }
            }
            self.best[i - s] = b;
        }
        self.best[0]
    }

    /// Log-probability of the best segmentation of `chars[lo..hi]` with
    /// `self.with` written at `s` (changes up to `last`): words starting
    /// after the change come from the dag, the others are looked up.
    fn changed_span_score(&mut self, chars: &[char], lo: usize, hi: usize, s: usize, last: usize) -> f64 {
        let len = self.with.len();
        let at = |k: usize| if (s..s + len).contains(&k) { self.with[k - s] } else { chars[k] };
        let log_total = self.model.log_total();
        let mut best = std::mem::take(&mut self.best);
        best.clear();
        best.resize(hi - lo + 1, 0.0);
        for i in (lo..hi).rev() {
            let mut b = f64::NEG_INFINITY;
            if i > last {
                for &(j, lp) in &self.dag[self.dag_at[i]..self.dag_at[i + 1]] {
                    if j <= hi {
                        b = b.max(lp + best[j - lo]);
                    }
                }
            } else {
                self.buf.clear();
                for j in i..hi {
                    self.buf.push(at(j));
                    match self.model.lookup(&self.buf) {
                        None if j > i => break,
                        Some(f) if f > 0 || j == i => {
                            b = b.max((f.max(1) as f64).ln() - log_total + best[j + 1 - lo]);
                        }
                        None => b = b.max(-log_total + best[j + 1 - lo]),
                        Some(_) => {}
                    }
                }
            }
            best[i - lo] = b;
        }
        let score = best[0];
        self.best = best;
        score
    }

    /// Scores replacing `chars[s..]` by `self.with`; keeps it in `found`
    /// when it clears the threshold.
    #[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
    fn evaluate(
        &mut self,
        chars: &[char],
        start: usize,
        end: usize,
        s: usize,
        orig: f64,
        freq: u32,
        fixed: &[bool],
        found: &mut Vec<Candidate>,
    ) {
        let p = self.p;
        let len = self.with.len();
        let mut cost = 0.0;
        let mut changed = 0;
        let (mut first, mut last) = (usize::MAX, 0);
        let mut worst = Channel::SameSound;
        for k in 0..len {
            let (written, meant) = (chars[s + k], self.with[k]);
            if written == meant {
                continue;
            }
            if fixed[s + k - start] {
                return;
            }
            let channel = match self.model.channel(written, meant) {
                Some(c @ (Channel::SameSound | Channel::SameSyllable | Channel::SimilarShape)) => c,
                Some(Channel::SimilarSound) if self.fuzzy_ok => Channel::SimilarSound,
                _ => return,
            };
            cost += match channel {
                Channel::SameSound => 0.0,
                Channel::SameSyllable => p.cost_tone,
                Channel::SimilarSound => p.cost_fuzzy,
                _ => p.cost_shape,
            };
            worst = worst.max(channel);
            changed += 1;
            first = first.min(s + k);
            last = s + k;
        }
        if changed == 0 {
            return;
        }
        cost += p.cost_extra * (changed - 1) as f64;
        // The span alone: the candidate word against the written characters.
        let cand = (freq.max(1) as f64).ln() - self.model.log_total();
        // Non-word errors (the written characters make no word) are the
        // likelier: they need less evidence.
        let in_word = (first..=last).any(|k| self.in_word[k]);
        let threshold = if in_word { self.threshold } else { self.threshold - p.nonword_bonus };
        // Tone-different candidates are many and seldom right: they must
        // clear a higher bar before the costlier scoring in context.
        let context = if worst == Channel::SameSyllable { p.context_tone } else { p.context };
        if cand - orig < threshold + cost - context {
            return;
        }
        let lo = first.saturating_sub(p.radius).max(start);
        let hi = (last + 1 + p.radius).min(end);
        let base = self.span_score(lo, hi);
        let d_uni = self.changed_span_score(chars, lo, hi, s, last) - base;
        let mut d_coh = 0.0;
        if p.cohesion != 0.0 || debug() {
            let a = first.saturating_sub(1).max(start);
            let b = (last + 1).min(end - 1);
            for k in a..b {
                let new = |at: usize| if (s..s + len).contains(&at) { self.with[at - s] } else { chars[at] };
                d_coh += self.model.cohesion(new(k), new(k + 1)) - self.model.cohesion(chars[k], chars[k + 1]);
            }
        }
        // Rarity of the characters written and written in: a rare
        // character in running text is itself a hint of a slip.
        let (mut rare_written, mut rare_meant) = (f64::MAX, f64::MAX);
        for k in first..=last {
            let (w, m) = (chars[k], self.with[k - s]);
            if w != m {
                rare_written = rare_written.min((self.model.char_freq(w) as f64 + 1.0).ln());
                rare_meant = rare_meant.min((self.model.char_freq(m) as f64 + 1.0).ln());
            }
        }
        let written_word: String = chars[s..s + len].iter().collect();
        let written_freq = (self.model.word_freq(&written_word) as f64 + 1.0).ln();
        let mut feats = [
            d_uni,
            0.0,
            d_coh,
            cost,
            in_word as u8 as f64,
            written_freq,
            cand + self.model.log_total(),
            rare_written,
            rare_meant,
        ];
        let mut gain = p.uni * d_uni + p.cohesion * d_coh - cost;
        for (w, f) in p.extra.iter().zip(&feats[4..]) {
            gain += w * f;
        }
        // The bigram model is the costliest part: skip it where even its
        // largest plausible say could not lift the candidate over the bar.
        if gain + p.lm_max < threshold && !debug() {
            return;
        }
        let d_lm = if p.lm != 0.0 || debug() { self.lm_delta(chars, start, end, s, first, last) } else { 0.0 };
        feats[1] = d_lm;
        gain += p.lm * d_lm;
        if debug() {
            let w: String = self.with[first - s..=last - s].iter().collect();
            let f: Vec<String> = feats.iter().map(|x| format!("{x:.3}")).collect();
            eprintln!(
                "F\t{}\t{}\t{w}\t{gain:.3}\t{}\t{:.3}\t{}",
                self.run_start + first,
                self.run_start + last,
                f.join("\t"),
                cand - orig - cost,
                worst as u8
            );
        }
        if gain > threshold {
            let prior =
                self.with[first - s..=last - s].iter().map(|&c| (self.model.char_freq(c).max(1) as f64).ln()).sum();
            let mut with = self.with.clone();
            // Keep only the changed stretch.
            with.drain(..first - s);
            with.truncate(last + 1 - first);
            found.push(Candidate { start: first, with, first, last, channel: worst, gain, prior });
        }
    }

    /// Bigram-model gain of writing `self.with` at `s` (changed positions
    /// `first..=last`) in a window around the change.
    #[allow(clippy::too_many_arguments)]
    fn lm_delta(&mut self, chars: &[char], start: usize, end: usize, s: usize, first: usize, last: usize) -> f64 {
        let lo = first.saturating_sub(self.p.lm_radius).max(start);
        let hi = (last + 1 + self.p.lm_radius).min(end);
        let written = match self.lm_cache.get(&(lo, hi)) {
            Some(&x) => x,
            None => {
                let x = self.lm.score(&chars[lo..hi], &mut self.lm_buf);
                self.lm_cache.insert((lo, hi), x);
                x
            }
        };
        self.lm_chars.clear();
        let len = self.with.len();
        for (at, &c) in chars.iter().enumerate().take(hi).skip(lo) {
            self.lm_chars.push(if (s..s + len).contains(&at) { self.with[at - s] } else { c });
        }
        self.lm.score(&self.lm_chars, &mut self.lm_buf) - written
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

fn debug() -> bool {
    static D: OnceLock<bool> = OnceLock::new();
    *D.get_or_init(|| std::env::var_os("TAIZHANG_TYPO_DEBUG").is_some())
}

fn before_place_suffix(chars: &[char], at: usize, end: usize) -> bool {
    (at + 1..(at + 3).min(end)).any(|k| PLACE_SUFFIXES.contains(chars[k]))
}
