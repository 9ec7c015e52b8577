//! Dictionary keys built one character at a time.

/// Words of at most this many characters are found by [`WordKey`]'s
/// packed form (21 bits a character).
pub(super) const PACKED_MAX: usize = 6;

/// A character sequence built one character at a time, for
/// [`Model::lookup_key`]: short sequences are packed into an integer.
#[derive(Debug, Default, Clone)]
pub struct WordKey {
    pub(super) packed: u128,
    pub(super) len: usize,
    /// The characters as text, for sequences longer than `PACKED_MAX`.
    pub(super) text: String,
}

impl WordKey {
    #[inline]
    pub fn clear(&mut self) {
        self.packed = 0;
        self.len = 0;
        self.text.clear();
    }

    #[inline]
    pub fn push(&mut self, c: char) {
        self.len += 1;
        if self.len <= PACKED_MAX {
            self.packed = (self.packed << 21) | c as u128;
        }
        if self.len > PACKED_MAX || !self.text.is_empty() {
            if self.text.is_empty() {
                self.text.extend(unpack(self.packed, PACKED_MAX));
            }
            self.text.push(c);
        }
    }

    /// The packed form for at most [`PACKED_MAX`] characters, else the
    /// characters as text.
    #[inline]
    pub fn as_packed(&self) -> Result<u128, &str> {
        if self.len <= PACKED_MAX {
            Ok(self.packed)
        } else {
            Err(&self.text)
        }
    }

    pub(crate) fn pack(word: &str) -> Option<u128> {
        let mut key = WordKey::default();
        for c in word.chars() {
            key.push(c);
        }
        (key.len <= PACKED_MAX).then_some(key.packed)
    }
}

fn unpack(packed: u128, len: usize) -> impl Iterator<Item = char> {
    (0..len).rev().map(move |k| char::from_u32(((packed >> (21 * k)) & 0x1F_FFFF) as u32).unwrap_or('\0'))
}
