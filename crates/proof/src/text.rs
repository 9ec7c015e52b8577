//! Character-level helpers shared by the rules. All positions in this crate
//! are character offsets (Unicode scalar values), never byte offsets.

/// A Han character (CJK Unified Ideographs and Extension A), the only
/// characters the typo model reasons about.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Converts byte offsets of `needle` matches into character offsets, for
/// matchers that work on `&str`. `map[b]` is the char offset of byte `b`.
pub struct CharIndex {
    byte_to_char: Vec<u32>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut byte_to_char = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (b, c) in text.char_indices() {
            for slot in &mut byte_to_char[b..b + c.len_utf8()] {
                *slot = n;
            }
            n += 1;
        }
        byte_to_char[text.len()] = n;
        CharIndex { byte_to_char }
    }

    pub fn char_at(&self, byte: usize) -> usize {
        self.byte_to_char[byte] as usize
    }
}

/// Whether `chars[at..]` starts with `s`.
pub fn starts_with_at(chars: &[char], at: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// Whether `chars[..end]` ends with `s`.
pub fn ends_with_at(chars: &[char], end: usize, s: &str) -> bool {
    let n = s.chars().count();
    end >= n && starts_with_at(chars, end - n, s)
}

/// The lines of embedded data, as `str::lines` gives them (split at '\n',
/// a final '\r' dropped, no empty line after a final '\n'), but found
/// with a plain byte loop: the data's lines are short, and `lines` spends
/// more on setting up each search than on searching (a good part of the
/// model's start-up, which splits half a million lines).
pub fn data_lines(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |k| at + k);
        let line = &s[at..end];
        at = end + 1;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// `line.split_once('\t')` by a byte loop (see [`data_lines`]).
pub fn split_tab(line: &str) -> Option<(&str, &str)> {
    let k = line.as_bytes().iter().position(|&b| b == b'\t')?;
    Some((&line[..k], &line[k + 1..]))
}

/// Start offsets (in chars) of the lines of `chars`, split at '\n'.
pub fn line_ranges(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, chars.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_lines_split_as_str_lines_does() {
        for s in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nx\n", "词\t1\n字\t2"] {
            assert_eq!(data_lines(s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>(), "{s:?}");
        }
        assert_eq!(split_tab("词\t12"), Some(("词", "12")));
        assert_eq!(split_tab("词"), None);
    }
}
