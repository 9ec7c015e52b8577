//! Candidate corrections of one round: homophone words of each span and
//! words a similar-shape character makes.

use super::params::SHAPE_TRUSTED_WORD;
use super::scorer::{Candidate, Scorer};
use crate::model::{pinyin_keys, Channel, PinyinWord, MAX_KEYS};

impl Scorer<'_> {
    /// One round of the search over `chars` (a run of Han characters, local
    /// offsets): the best non-touching candidates.
    #[allow(clippy::needless_range_loop)] // positions index several parallel arrays
    pub(super) fn search(&mut self, chars: &[char], fixed: &[bool], focus: &[bool]) -> Vec<Candidate> {
        let (start, end) = (0, chars.len());
        self.build_dag(chars);
        self.lm_cache.clear();
        self.span_cache.clear();
        self.coh_written.clear();
        self.coh_written.resize(chars.len(), f64::NAN);
        // The train split's counts of the written text's character pairs
        // and spans, looked up once per round rather than per candidate.
        self.dom_pairs.clear();
        self.dom_written = (usize::MAX, 0, 0.0);
        if self.domain_on {
            self.dom_pairs.extend(chars.windows(2).map(|w| self.model.domain_pair(w[0], w[1])));
        }
        // Positions inside a word of the written text's best segmentation:
        // a change there turns a word into another (real-word error).
        self.in_word.clear();
        self.in_word.resize(chars.len(), false);
        // Shape confusions mostly leave non-words behind: characters inside
        // a common word of the best segmentation are not tried for them.
        let mut has_shapes: Vec<bool> =
            chars.iter().zip(fixed).map(|(&c, &f)| !f && !self.model.shape_similar(c).is_empty()).collect();
        let trusted_lp = (self.p.shape_trusted as f64).ln() - self.model.log_total();
        for (t, lp) in self.dag_tokens(chars.len()) {
            if t.len() >= 2 {
                self.in_word[t.clone()].iter_mut().for_each(|w| *w = true);
                if lp >= trusted_lp {
                    has_shapes[t].iter_mut().for_each(|h| *h = false);
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
                        self.key.clear();
                        self.with.iter().for_each(|&c| self.key.push(c));
                        let freq = self.model.lookup_key(&self.key).unwrap_or(0);
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
}
