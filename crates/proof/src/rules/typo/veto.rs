//! Names the typo check never changes: no dictionary knows most place
//! names or the organ codes of document numbers, and a "correction" there
//! is always wrong (鄠邑区 is not 羽翼区, 冀政呈〔2019〕 is not 继承呈).

use crate::text::is_han;

/// Place-name suffixes: the two characters before them are usually a
/// proper name (马咀村, 湾沚镇). (These tests are `match`es rather than
/// `str::contains`: they run on every character of the text.)
fn is_place_suffix(c: char) -> bool {
    matches!(c, '村' | '镇' | '乡' | '屯' | '寨' | '街' | '社' | '庄')
}
/// A division of a higher level, then at most `MAX_DIVISION_NAME`
/// characters, then one of a lower level: the characters between name the
/// lower one (西安市鄠邑区, 喀喇沁旗 after 赤峰市).
fn is_division_above(c: char) -> bool {
    matches!(c, '省' | '市' | '州' | '盟')
}
fn is_division_below(c: char) -> bool {
    matches!(c, '市' | '州' | '盟' | '县' | '区' | '旗')
}
const MAX_DIVISION_NAME: usize = 3;

/// Positions of `chars` the typo check must leave as written.
pub(super) fn names(chars: &[char]) -> Vec<bool> {
    let mut veto = vec![false; chars.len()];
    for at in 0..chars.len() {
        if !is_han(chars[at]) {
            continue;
        }
        // Within the same run of Han characters.
        let han_run = |k: usize| (at + 1..=k).all(|j| is_han(chars[j]));
        let ahead = |k: usize| k < chars.len() && han_run(k);
        if (at + 1..at + 3).any(|k| ahead(k) && is_place_suffix(chars[k])) {
            veto[at] = true;
        }
        if is_division_above(chars[at]) {
            let below = (at + 2..=at + 1 + MAX_DIVISION_NAME).find(|&k| ahead(k) && is_division_below(chars[k]));
            if let Some(k) = below {
                veto[at + 1..k].iter_mut().for_each(|v| *v = true);
            }
        }
        if chars.get(at + 1) == Some(&'〔') || (chars.get(at + 1) == Some(&'[') && is_year(chars, at + 2)) {
            // The organ code: the whole run of Han characters before 〔.
            let mut k = at + 1;
            while k > 0 && is_han(chars[k - 1]) {
                k -= 1;
                veto[k] = true;
            }
        }
    }
    veto
}

fn is_year(chars: &[char], at: usize) -> bool {
    chars.len() >= at + 4 && chars[at..at + 4].iter().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vetoed(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        names(&chars).iter().zip(&chars).filter(|(v, _)| **v).map(|(_, c)| c).collect()
    }

    #[test]
    fn place_names_and_organ_codes_are_left_alone() {
        assert_eq!(vetoed("西安市鄠邑区蒋村街道"), "鄠邑区蒋村");
        assert_eq!(vetoed("（冀政呈〔2019〕6号）"), "冀政呈");
        assert_eq!(vetoed("加强市场监管工作"), "");
    }
}
