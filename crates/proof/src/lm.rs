//! A word-bigram model of running text: which word follows which. It tells
//! 规划纲要 from 规划刚要 and 收治轻症患者 from 收治清蒸患者, which a model of
//! single words cannot, as both readings are made of plausible words.
//!
//! The data (`data/lm/`) is derived from the open-gram language model that
//! Debian's `sunpinyin-data` package ships (CC BY-SA 3.0; words of Han
//! characters only, their unigram probabilities and back-off weights and
//! the bigrams between them, quantised); `scripts/gen_lm.py` regenerates
//! it and documents the format. Built once per process, read-only after.

use crate::model::WordKey;
use crate::text::data_lines;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const WORDS: &str = include_str!("../data/lm/words.txt");
const BIN: &[u8] = include_bytes!("../data/lm/lm.bin");

const P_STEP: f64 = 0.1;
const BOW_STEP: f64 = 0.05;
const BOW_BASE: f64 = -0.5;
/// -ln P of a character the model does not know.
const UNKNOWN_COST: f64 = 20.0;
/// Marks a proper prefix of a word that is not a word itself.
const PREFIX: u32 = u32::MAX;
const UNKNOWN: u32 = u32::MAX - 1;
/// Bigram probabilities remembered per [`LmBuf`] before it starts afresh.
const MEMO_MAX: usize = 1 << 16;

pub struct Lm {
    /// Word (or proper prefix of a word: `PREFIX`) → id, by the packed
    /// [`WordKey`] for short words (no string hashing in `score`), by text
    /// for longer ones.
    ids: FxHashMap<u128, u32>,
    long_ids: FxHashMap<&'static str, u32>,
    /// -ln P(w), back-off weight of w (-ln).
    uni: Vec<(f32, f32)>,
    offsets: Vec<u32>,
    /// `w2 << 8 | q`, grouped by w1 (see `offsets`), sorted by w2.
    bigrams: Vec<u32>,
}

static LM: OnceLock<Lm> = OnceLock::new();

impl Lm {
    pub fn get() -> &'static Lm {
        LM.get_or_init(Lm::build)
    }

    fn build() -> Lm {
        assert_eq!(&BIN[..8], b"TZLM0001", "data/lm/lm.bin: unknown format");
        let u32_at = |at: usize| u32::from_le_bytes(BIN[at..at + 4].try_into().unwrap());
        let n = u32_at(8) as usize;
        let m = u32_at(12) as usize;
        let mut at = 16;
        let uni_p = &BIN[at..at + n];
        at += n;
        let uni_bow = &BIN[at..at + n];
        at += n;
        let uni = (0..n)
            .map(|k| ((uni_p[k] as f64 * P_STEP) as f32, (uni_bow[k] as f64 * BOW_STEP + BOW_BASE) as f32))
            .collect();
        let offsets: Vec<u32> = (0..=n).map(|k| u32_at(at + 4 * k)).collect();
        at += 4 * (n + 1);
        let bigrams: Vec<u32> = (0..m).map(|k| u32_at(at + 4 * k)).collect();
        let mut ids: FxHashMap<u128, u32> = FxHashMap::default();
        let mut long_ids: FxHashMap<&'static str, u32> = FxHashMap::default();
        ids.reserve(n * 2);
        let mut key = WordKey::default();
        for (id, word) in data_lines(WORDS).enumerate() {
            key.clear();
            for (b, c) in word.char_indices() {
                key.push(c);
                let end = b + c.len_utf8();
                let whole = end == word.len();
                match key.as_packed() {
                    Ok(packed) => set_id(&mut ids, packed, whole, id as u32),
                    Err(_) => set_id(&mut long_ids, &word[..end], whole, id as u32),
                }
            }
        }
        assert_eq!(offsets.len(), n + 1);
        Lm { ids, long_ids, uni, offsets, bigrams }
    }

    /// The id of the characters pushed into `key`: `None` when no word
    /// starts with them, `PREFIX` when they only begin longer words.
    #[inline]
    fn id(&self, key: &WordKey) -> Option<u32> {
        match key.as_packed() {
            Ok(packed) => self.ids.get(&packed).copied(),
            Err(text) => self.long_ids.get(text).copied(),
        }
    }

    /// ln P(w | v), remembered in `memo`: windows around neighbouring
    /// candidates share most of their bigrams.
    fn logp_memo(&self, v: u32, w: u32, memo: &mut FxHashMap<u64, f32>) -> f64 {
        let key = ((v as u64) << 32) | w as u64;
        if let Some(&x) = memo.get(&key) {
            return x as f64;
        }
        if memo.len() > MEMO_MAX {
            memo.clear();
        }
        let x = self.logp(Some(v), w);
        memo.insert(key, x as f32);
        x
    }

    /// ln P(w | prev); `prev` None: no context (unigram).
    fn logp(&self, prev: Option<u32>, w: u32) -> f64 {
        if w == UNKNOWN {
            return -UNKNOWN_COST;
        }
        let (p, _) = self.uni[w as usize];
        let Some(v) = prev.filter(|&v| v != UNKNOWN) else {
            return -(p as f64);
        };
        let list = &self.bigrams[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize];
        match list.binary_search_by_key(&w, |e| e >> 8) {
            Ok(k) => -((list[k] & 0xFF) as f64 * P_STEP),
            Err(_) => -(self.uni[v as usize].1 as f64 + p as f64),
        }
    }

    /// ln P of the best segmentation of `chars` into the model's words under
    /// the bigram model (no context before the first word).
    pub fn score(&self, chars: &[char], buf: &mut LmBuf) -> f64 {
        let n = chars.len();
        buf.lattice.clear();
        buf.lattice_at.clear();
        for i in 0..n {
            buf.lattice_at.push(buf.lattice.len());
            buf.key.clear();
            let mut single = false;
            for (j, &c) in chars.iter().enumerate().skip(i) {
                buf.key.push(c);
                match self.id(&buf.key) {
                    None => break,
                    Some(PREFIX) => {}
                    Some(id) => {
                        buf.lattice.push((j + 1, id));
                        single |= j == i;
                    }
                }
            }
            if !single {
                buf.lattice.push((i + 1, UNKNOWN));
            }
        }
        buf.lattice_at.push(buf.lattice.len());
        // Viterbi over (end position, last word).
        buf.states.iter_mut().for_each(|s| s.clear());
        if buf.states.len() < n + 1 {
            buf.states.resize_with(n + 1, Vec::new);
        }
        for i in 0..n {
            for k in buf.lattice_at[i]..buf.lattice_at[i + 1] {
                let (j, w) = buf.lattice[k];
                let best = if i == 0 {
                    self.logp(None, w)
                } else {
                    let mut b = f64::NEG_INFINITY;
                    for &(v, s) in &buf.states[i] {
                        b = b.max(s + self.logp_memo(v, w, &mut buf.memo));
                    }
                    b
                };
                if best == f64::NEG_INFINITY {
                    continue;
                }
                let st = &mut buf.states[j];
                match st.iter_mut().find(|e| e.0 == w) {
                    Some(e) => e.1 = e.1.max(best),
                    None => st.push((w, best)),
                }
            }
        }
        buf.states[n].iter().map(|e| e.1).fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Enters a word (`whole`) with its id, or a proper prefix of one as
/// `PREFIX` unless it is a word itself.
fn set_id<K: std::hash::Hash + Eq>(map: &mut FxHashMap<K, u32>, key: K, whole: bool, id: u32) {
    if whole {
        map.insert(key, id);
    } else {
        map.entry(key).or_insert(PREFIX);
    }
}

/// Reusable buffers for [`Lm::score`].
#[derive(Default)]
pub struct LmBuf {
    key: WordKey,
    lattice: Vec<(usize, u32)>,
    lattice_at: Vec<usize>,
    states: Vec<Vec<(u32, f64)>>,
    memo: FxHashMap<u64, f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(s: &str) -> f64 {
        let chars: Vec<char> = s.chars().collect();
        Lm::get().score(&chars, &mut LmBuf::default())
    }

    #[test]
    fn prefers_words_that_follow_each_other() {
        assert!(score("规划纲要") > score("规划刚要"));
        assert!(score("事实真相") > score("事实真想"));
        assert!(score("党组书记") > score("党祖书记"));
    }

    #[test]
    fn every_word_has_its_id_and_prefixes_lead_on() {
        let lm = Lm::get();
        let mut key = WordKey::default();
        let mut long = 0;
        for (id, word) in data_lines(WORDS).enumerate() {
            key.clear();
            let n = word.chars().count();
            for (k, c) in word.chars().enumerate() {
                key.push(c);
                let found = lm.id(&key);
                assert!(found.is_some(), "{word}");
                if k + 1 == n {
                    assert_eq!(found, Some(id as u32), "{word}");
                }
            }
            long += (n > 6) as usize;
        }
        assert!(long > 0, "no word of more than 6 characters: the text-keyed table is untested");
        key.clear();
        "𪚥𪚥".chars().for_each(|c| key.push(c));
        assert_eq!(lm.id(&key), None);
    }

    #[test]
    fn unknown_characters_are_scored_not_skipped() {
        assert!(score("党组𪚥") < score("党组"));
    }
}
