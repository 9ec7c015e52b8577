//! The text under check, prepared once and shared by every rule.

use crate::text::{line_ranges, CharIndex};

pub struct Doc<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    pub index: CharIndex,
    /// `(start, end)` of each line in chars, without the '\n'.
    pub lines: Vec<(usize, usize)>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let chars: Vec<char> = text.chars().collect();
        let lines = line_ranges(&chars);
        Doc { text, index: CharIndex::new(text), chars, lines }
    }

    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }
}
