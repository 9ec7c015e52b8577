//! The text under check, prepared once and shared by every rule.

use crate::text::{line_ranges, CharIndex};
use std::cell::OnceCell;
use std::ops::Range;

pub struct Doc<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    pub index: CharIndex,
    /// `(start, end)` of each line in chars, without the '\n'.
    pub lines: Vec<(usize, usize)>,
    /// Where the fixed phrases and their halves occur (see
    /// `crate::phrases`), found once: the typo and the missing-character
    /// checks both need them.
    pub(crate) phrase_hits: OnceCell<PhraseHits>,
}

/// The fixed phrases found as written (character ranges), and the halves
/// found: (character offset, half pattern).
pub(crate) struct PhraseHits {
    pub(crate) exact: Vec<Range<usize>>,
    pub(crate) halves: Vec<(usize, u32)>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let chars: Vec<char> = text.chars().collect();
        let lines = line_ranges(&chars);
        Doc { text, index: CharIndex::new(text), chars, lines, phrase_hits: OnceCell::new() }
    }

    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }
}
