//! A candidate's features, its gain and whether it clears the threshold.

use super::params::debug;
use super::scorer::{Candidate, Scorer};
use crate::model::Channel;

impl Scorer<'_> {
    /// Scores replacing `chars[s..]` by `self.with`; keeps it in `found`
    /// when it clears the threshold.
    #[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
    pub(super) fn evaluate(
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
        let mut slip_prior = 0.0;
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
            slip_prior = self.slip_prior(written, meant);
            changed += 1;
            first = first.min(s + k);
            last = s + k;
        }
        if changed == 0 {
            return;
        }
        cost += p.cost_extra * (changed - 1) as f64;
        let channel_cost = cost;
        // Only a single changed character: whole words swapped for others
        // (厂长 for 广场) are not the slips the prior has seen.
        if changed > 1 {
            slip_prior = 0.0;
        }
        cost -= p.pair * slip_prior;
        // The span alone: the candidate word against the written characters.
        let cand = (freq.max(1) as f64).ln() - self.model.log_total();
        // Non-word errors (the written characters make no word) are the
        // likelier: they need less evidence.
        let in_word = (first..=last).any(|k| self.in_word[k]);
        let threshold = if in_word { self.threshold } else { self.threshold - p.nonword_bonus };
        // How much likelier official writing makes the candidate word than
        // the written one (counts of the train split's corrected text).
        let mut d_dom = 0.0;
        if p.dom != 0.0 && len >= 2 && self.domain_on {
            if self.dom_written.0 != s || self.dom_written.1 != len {
                self.dom_written = (s, len, self.model.domain_word(&chars[s..s + len]));
            }
            d_dom = p.dom * (self.model.domain_word(&self.with) - self.dom_written.2);
        }
        // And of the character pairs the change touches.
        if p.dom_pair != 0.0 && self.domain_on {
            let a = first.saturating_sub(1).max(start);
            let b = (last + 1).min(end - 1);
            let new = |at: usize| if (s..s + len).contains(&at) { self.with[at - s] } else { chars[at] };
            for k in a..b {
                d_dom += p.dom_pair * (self.model.domain_pair(new(k), new(k + 1)) - self.dom_pairs[k]);
            }
        }
        // Tone-different candidates are many and seldom right: they must
        // clear a higher bar before the costlier scoring in context.
        let context = if worst == Channel::SameSyllable { p.context_tone } else { p.context };
        // What the word counts may add counts as context too.
        let dom_max = d_dom.max(0.0);
        if cand - orig < threshold + cost - context - p.dom_context * dom_max {
            return;
        }
        let lo = first.saturating_sub(p.radius).max(start);
        let hi = (last + 1 + p.radius).min(end);
        let base = match self.span_cache.get(&(lo, hi)) {
            Some(&x) => x,
            None => {
                let x = self.span_score(lo, hi);
                self.span_cache.insert((lo, hi), x);
                x
            }
        };
        let d_uni = self.changed_span_score(chars, lo, hi, s, last) - base;
        let mut d_coh = 0.0;
        if p.cohesion != 0.0 || debug() {
            let a = first.saturating_sub(1).max(start);
            let b = (last + 1).min(end - 1);
            for k in a..b {
                let new = |at: usize| if (s..s + len).contains(&at) { self.with[at - s] } else { chars[at] };
                if self.coh_written[k].is_nan() {
                    self.coh_written[k] = self.model.cohesion(chars[k], chars[k + 1]);
                }
                d_coh += self.model.cohesion(new(k), new(k + 1)) - self.coh_written[k];
            }
        }
        // Rarity of the characters written and written in: a rare
        // character in running text is itself a hint of a slip.
        let (mut rare_written, mut rare_meant) = (f64::MAX, f64::MAX);
        for k in first..=last {
            let (w, m) = (chars[k], self.with[k - s]);
            if w != m {
                rare_written = rare_written.min(self.model.char_ln1p(w));
                rare_meant = rare_meant.min(self.model.char_ln1p(m));
            }
        }
        self.key.clear();
        chars[s..s + len].iter().for_each(|&c| self.key.push(c));
        let written_freq = (self.model.lookup_key(&self.key).unwrap_or(0) as f64 + 1.0).ln();
        let mut feats = [
            d_uni,
            0.0,
            d_coh,
            channel_cost,
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
        if gain + p.lm_max + dom_max < threshold && !debug() {
            return;
        }
        let d_lm = if p.lm != 0.0 || debug() { self.lm_delta(chars, start, end, s, first, last) } else { 0.0 };
        feats[1] = d_lm;
        gain += p.lm * d_lm;
        // So do the train split's word counts.
        if d_lm >= p.dom_lm || d_dom < 0.0 {
            gain += d_dom;
        }
        // The prior speaks only where the running-text model agrees.
        if d_lm < p.pair_lm {
            gain -= p.pair * slip_prior;
        }
        if debug() {
            let w: String = self.with[first - s..=last - s].iter().collect();
            let f: Vec<String> = feats.iter().map(|x| format!("{x:.3}")).collect();
            eprintln!(
                "F\t{}\t{}\t{w}\t{gain:.3}\t{}\t{:.3}\t{}\t{slip_prior:.3}\t{d_dom:.3}",
                self.run_start + first,
                self.run_start + last,
                f.join("\t"),
                cand - orig - cost,
                worst as u8
            );
        }
        if gain > threshold {
            let prior = self.with[first - s..=last - s].iter().map(|&c| self.model.char_ln(c)).sum();
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

    /// How likely `written` is a slip for `meant`, from the train split:
    /// ln(1 + rate × how often it was / how often `written` was written,
    /// smoothed), so a character that is often a slip (冶 for 治) counts for
    /// more than a common one that sometimes is (不 for 部).
    fn slip_prior(&self, written: char, meant: char) -> f64 {
        let (seen, all) = self.model.learned_pair(written, meant);
        if seen == 0 {
            // ln_1p(0) (most pairs were never seen), without the call.
            return 0.0;
        }
        (self.p.pair_rate * seen as f64 / (all as f64 + self.p.pair_smooth)).ln_1p()
    }
}
