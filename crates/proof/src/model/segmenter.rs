//! jieba-style maximum-probability segmentation over the model's words.

use super::Model;
use std::ops::Range;

/// Reusable buffers for jieba-style maximum-probability segmentation.
#[derive(Default)]
pub struct Segmenter {
    /// Byte offset of each character, plus the end.
    offsets: Vec<usize>,
    /// Best log-probability from each character to the end, and the end
    /// (character index) of the first word on that route.
    route: Vec<(f64, usize)>,
}

impl Segmenter {
    /// Segments `text`; returns the route's log-probability.
    pub fn run(&mut self, model: &Model, text: &str) -> f64 {
        self.offsets.clear();
        self.offsets.extend(text.char_indices().map(|(b, _)| b));
        self.offsets.push(text.len());
        let n = self.offsets.len() - 1;
        self.route.clear();
        self.route.resize(n + 1, (0.0, n));
        for i in (0..n).rev() {
            let from = self.offsets[i];
            // A single character is always a way through.
            let single = &text[from..self.offsets[i + 1]];
            let f = model.words.get(single).copied().unwrap_or(0).max(1);
            let mut best = ((f as f64).ln() - model.log_total + self.route[i + 1].0, i + 1);
            for j in i + 2..=n {
                match model.words.get(&text[from..self.offsets[j]]) {
                    None => break,
                    Some(0) => continue,
                    Some(&f) => {
                        let s = (f as f64).ln() - model.log_total + self.route[j].0;
                        if s > best.0 {
                            best = (s, j);
                        }
                    }
                }
            }
            self.route[i] = best;
        }
        self.route.first().map_or(0.0, |r| r.0)
    }

    /// The tokens of the last run, as character ranges.
    pub fn tokens(&self) -> Vec<Range<usize>> {
        let n = self.route.len().saturating_sub(1);
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let j = self.route[i].1;
            out.push(i..j);
            i = j;
        }
        out
    }
}
