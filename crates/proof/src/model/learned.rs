//! The confusion prior's data: character pairs counted in the train split.

use super::{pair_key, WordKey};
use crate::text::is_han;
use rustc_hash::FxHashMap;

/// Character pairs (written, meant) counted in the train split of ECSpell's
/// official-document set (`scripts/gen_pairs.py`): the confusion prior.
const TRAIN_PAIRS: &str = include_str!("../../data/train/pairs.tsv");

pub(super) fn unpair_key(key: u64) -> (char, char) {
    let c = |x: u64| char::from_u32(x as u32).unwrap_or('\0');
    (c(key >> 32), c(key & 0xFFFF_FFFF))
}

/// The train split's pairs (`written<TAB>meant<TAB>count<TAB>written in all`);
/// `TAIZHANG_PAIRS=FILE` reads another file instead, for tuning on a
/// held-out fold (see docs/proofreading.md).
pub(super) fn learned_pairs() -> FxHashMap<u64, (u32, u32)> {
    let owned;
    let src = match std::env::var("TAIZHANG_PAIRS") {
        Ok(path) => {
            owned = std::fs::read_to_string(&path).unwrap_or_default();
            owned.as_str()
        }
        Err(_) => TRAIN_PAIRS,
    };
    let mut out = FxHashMap::default();
    for line in src.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(a), Some(b), Some(n), Some(all)) = (cols.next(), cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let (Some(a), Some(b), Ok(n), Ok(all)) = (a.chars().next(), b.chars().next(), n.parse(), all.parse()) else {
            continue;
        };
        if is_han(a) && is_han(b) {
            out.insert(pair_key(a, b), (n, all));
        }
    }
    out
}

/// Word counts of the train split's corrected sentences
/// (`scripts/gen_domain.py`): how often a word occurs in 公文 as it should
/// be written.
const TRAIN_DOMAIN: &str = include_str!("../../data/train/domain.tsv");

/// The train split's word counts (`word<TAB>count`) and counts of adjacent
/// characters (`ab<TAB>p<TAB>count`, by [`pair_key`]); `TAIZHANG_DOMAIN=FILE`
/// reads another file instead, for tuning on a held-out fold.
/// Each count is kept as ln(1 + count), the form the typo check uses.
pub(super) fn domain_counts() -> (FxHashMap<u128, f32>, FxHashMap<u64, f32>) {
    let owned;
    let src = match std::env::var("TAIZHANG_DOMAIN") {
        Ok(path) => {
            owned = std::fs::read_to_string(&path).unwrap_or_default();
            owned.as_str()
        }
        Err(_) => TRAIN_DOMAIN,
    };
    let (mut words, mut pairs) = (FxHashMap::default(), FxHashMap::default());
    for line in src.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        match cols[..] {
            [w, n] => {
                if let (Some(key), Ok(n)) = (WordKey::pack(w), n.parse::<f32>()) {
                    words.insert(key, n.ln_1p());
                }
            }
            [ab, "p", n] => {
                let mut cs = ab.chars();
                if let (Some(a), Some(b), Ok(n)) = (cs.next(), cs.next(), n.parse::<f32>()) {
                    pairs.insert(pair_key(a, b), n.ln_1p());
                }
            }
            _ => {}
        }
    }
    (words, pairs)
}
