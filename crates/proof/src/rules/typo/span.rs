//! The unigram word model's score of a window, as written and with a
//! candidate written in.

use super::scorer::Scorer;
use std::ops::Range;

impl Scorer<'_> {
    pub(super) fn build_dag(&mut self, chars: &[char]) {
        self.dag.clear();
        self.dag_at.clear();
        let log_total = self.model.log_total();
        self.reach.clear();
        for i in 0..chars.len() {
            self.dag_at.push(self.dag.len());
            self.key.clear();
            self.key.push(chars[i]);
            let ln_f = self.model.lookup_key_ln(&self.key).map_or(0.0, |e| e.1);
            self.dag.push((i + 1, ln_f - log_total));
            let mut reach = i + 1;
            for (j, &c) in chars.iter().enumerate().skip(i + 1) {
                self.key.push(c);
                match self.model.lookup_key_ln(&self.key) {
                    None => break,
                    Some((0, _)) => {}
                    Some((_, ln_f)) => self.dag.push((j + 1, ln_f - log_total)),
                }
                reach = j + 1;
            }
            self.reach.push(reach);
        }
        self.dag_at.push(self.dag.len());
    }

    /// The best segmentation of the whole text the dag was built for
    /// (`n` characters; jieba's route): each word's range and
    /// log-probability.
    pub(super) fn dag_tokens(&mut self, n: usize) -> Vec<(Range<usize>, f64)> {
        self.best.clear();
        self.best.resize(n + 1, 0.0);
        let mut next = vec![n; n + 1];
        for i in (0..n).rev() {
            let mut b = f64::NEG_INFINITY;
            for &(j, lp) in &self.dag[self.dag_at[i]..self.dag_at[i + 1]] {
                if lp + self.best[j] > b {
                    b = lp + self.best[j];
                    next[i] = j;
                }
            }
            self.best[i] = b;
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let j = next[i];
            let lp = self.dag[self.dag_at[i]..self.dag_at[i + 1]].iter().find(|e| e.0 == j).map_or(0.0, |e| e.1);
            out.push((i..j, lp));
            i = j;
        }
        out
    }

    /// Log-probability of the best segmentation of `chars[s..e]` of the
    /// text the dag was built for.
    pub(super) fn span_score(&mut self, s: usize, e: usize) -> f64 {
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
    pub(super) fn changed_span_score(&mut self, chars: &[char], lo: usize, hi: usize, s: usize, last: usize) -> f64 {
        let len = self.with.len();
        let at = |k: usize| if (s..s + len).contains(&k) { self.with[k - s] } else { chars[k] };
        let log_total = self.model.log_total();
        let mut best = std::mem::take(&mut self.best);
        best.clear();
        best.resize(hi - lo + 1, 0.0);
        let first = (s..s + len).find(|&k| self.with[k - s] != chars[k]).unwrap_or(s);
        for i in (lo..hi).rev() {
            let mut b = f64::NEG_INFINITY;
            // Words that end before the first change are the dag's.
            let unchanged_to = if i > last { hi } else { first };
            for &(j, lp) in &self.dag[self.dag_at[i]..self.dag_at[i + 1]] {
                if j <= unchanged_to.min(hi) {
                    b = b.max(lp + best[j - lo]);
                }
            }
            // Words reaching into the change are looked up, from where the
            // written text still leads on into some word.
            if i <= last && (i >= first || self.reach[i] >= first) {
                self.key.clear();
                for &c in &chars[i..first.max(i)] {
                    self.key.push(c);
                }
                for j in first.max(i)..hi {
                    self.key.push(at(j));
                    match self.model.lookup_key_ln(&self.key) {
                        None if j > i => break,
                        Some((f, ln_f)) if f > 0 || j == i => {
                            b = b.max(ln_f - log_total + best[j + 1 - lo]);
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
}
