//! A value per Han character (U+3400–U+9FFF), found by index rather than
//! by hashing: the typo check asks for readings, frequencies and pair
//! weights of characters millions of times.

const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

#[derive(Debug, Clone)]
pub(super) struct CharTable<T> {
    values: Vec<T>,
}

impl<T: Default + Clone> CharTable<T> {
    pub(super) fn new() -> CharTable<T> {
        CharTable { values: vec![T::default(); (LAST - FIRST + 1) as usize] }
    }

    #[inline]
    fn slot(c: char) -> Option<usize> {
        (FIRST..=LAST).contains(&(c as u32)).then(|| (c as u32 - FIRST) as usize)
    }

    /// The character's value; `None` outside the table's range.
    #[inline]
    pub(super) fn get(&self, c: char) -> Option<&T> {
        Self::slot(c).map(|i| &self.values[i])
    }

    /// The character's value to change; `None` outside the table's range.
    pub(super) fn get_mut(&mut self, c: char) -> Option<&mut T> {
        Self::slot(c).map(|i| &mut self.values[i])
    }

    /// The characters and their values.
    pub(super) fn iter(&self) -> impl Iterator<Item = (char, &T)> {
        self.values.iter().enumerate().filter_map(|(i, v)| char::from_u32(FIRST + i as u32).map(|c| (c, v)))
    }
}
