//! The language side of the typo check: a word list with frequencies
//! (jieba's dictionary, compiled in by `build.rs`, plus the hand-written
//! domain lexicon), a unigram word model over it with jieba's maximum-
//! probability segmentation, and a pinyin index of its words; and the
//! channel side: which characters a writer can type instead of which (same
//! or similar pinyin through an input method, similar shape).
//!
//! Built once per process (see [`Model::get`]); read-only afterwards, so one
//! instance serves every check and every thread.

mod char_table;
mod learned;
mod segmenter;
mod word_key;

pub use segmenter::Segmenter;
pub use word_key::WordKey;

use crate::text::{data_lines, is_han, split_tab};
use char_table::CharTable;
use learned::{domain_counts, learned_pairs, unpair_key};
use pinyin::ToPinyinMulti;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::OnceLock;
use word_key::PACKED_MAX;

/// jieba's dictionary, Han words only (`word<TAB>freq` lines; see build.rs).
const WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/words.txt"));
const DOMAIN_WORDS: &str = include_str!("../../data/domain_words.txt");
const SHAPE_SIMILAR: &str = include_str!("../../data/shape_similar.txt");
/// Generated similar-shape lists (`written<TAB>characters`), see
/// `scripts/gen_shapes.py`.
const SHAPE_GENERATED: &str = include_str!("../../data/shape_generated.txt");
/// Characters that contain the written one as a part (贝 → 员), see
/// `scripts/gen_components.py`.
const SHAPE_CONTAINED: &str = include_str!("../../data/shape_contained.txt");

/// Frequency given to a domain term listed without one.
const DEFAULT_DOMAIN_FREQ: u32 = 3000;
/// Characters rarer than this (in the dictionary's counts) are never
/// suggested.
const MIN_CANDIDATE_FREQ: u32 = 20;
/// Words of these lengths are indexed by pinyin.
const PINYIN_WORD_LENS: Range<usize> = 2..5;
/// Words rarer than this are left out of the pinyin index: a correction
/// to them would seldom clear the threshold, and the index builds faster.
const MIN_INDEX_FREQ: u32 = 4;
/// Most pinyin keys one word (or one span of text) is indexed under, for
/// characters with several readings.
pub const MAX_KEYS: usize = 16;

/// How a confusable character relates to the one written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    /// Same pinyin and tone.
    SameSound,
    /// Same pinyin, other tone.
    SameSyllable,
    /// Pinyin that input methods' fuzzy matching mixes up (z/zh, an/ang, n/l…).
    SimilarSound,
    /// Similar shape.
    SimilarShape,
}

impl Channel {
    pub fn describe(self) -> &'static str {
        match self {
            Channel::SameSound => "同音字",
            Channel::SameSyllable => "音近字（同音不同调）",
            Channel::SimilarSound => "音近字",
            Channel::SimilarShape => "形近字",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Reading {
    /// Interned plain syllable.
    syllable: u16,
    /// Interned fuzzy key of the syllable.
    fuzzy: u16,
    tone: u8,
}

/// A word in the pinyin index: its frequency and its characters (padded
/// with `\0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinyinWord {
    pub freq: u32,
    pub chars: [char; 4],
}

impl PinyinWord {
    pub fn len(&self) -> usize {
        self.chars.iter().take_while(|&&c| c != '\0').count()
    }

    pub fn is_empty(&self) -> bool {
        self.chars[0] == '\0'
    }

    pub fn as_slice(&self) -> &[char] {
        &self.chars[..self.len()]
    }
}

/// The pinyin index: the words, grouped by key, and each key's range.
type PinyinIndex = (Vec<PinyinWord>, FxHashMap<u64, (u32, u32)>);

pub struct Model {
    /// Word → frequency; 0 marks a proper prefix of a word that is not a
    /// word itself (the segmenter stops extending a match at a miss).
    words: FxHashMap<&'static str, u32>,
    /// The same entries for words of at most [`PACKED_MAX`] characters, by
    /// [`WordKey`]: no string hashing or comparison on the hot paths; with
    /// ln(max(frequency, 1)), computed once here rather than at each of the
    /// millions of look-ups (it fits in the entry's alignment padding).
    packed: FxHashMap<u128, (u32, f64)>,
    log_total: f64,
    char_freq: CharTable<u32>,
    /// ln(frequency + 1) and ln(max(frequency, 1)) of each character.
    char_ln: CharTable<(f64, f64)>,
    readings: CharTable<Vec<Reading>>,
    by_syllable: Vec<Vec<char>>,
    by_fuzzy: Vec<Vec<char>>,
    shapes: FxHashMap<char, Vec<char>>,
    /// Words of 2–4 characters by toneless pinyin key (see
    /// [`pinyin_keys`]): `pinyin_words[range]` for the key's range, most
    /// frequent first.
    by_pinyin: FxHashMap<u64, (u32, u32)>,
    pinyin_words: Vec<PinyinWord>,
    /// Distinct toneless syllables of each character.
    syllables: CharTable<Vec<u16>>,
    /// `confusables` per character, computed on first use.
    confusable_cache: FxHashMap<char, OnceLock<Vec<(char, Channel)>>>,
    /// Character transitions inside dictionary words, weighted by the
    /// words' frequencies: (a, b) → total frequency of the words in which
    /// b follows a.
    pairs: FxHashMap<u64, f32>,
    /// Per character: total weight of the transitions leaving it and of
    /// those entering it.
    pair_out: CharTable<f32>,
    pair_in: CharTable<f32>,
    pair_total: f64,
    /// How often `written` stood for `meant` in the train split, and how
    /// often `written` was written there at all, by
    /// [`pair_key`]`(written, meant)`.
    learned: FxHashMap<u64, (u32, u32)>,
    /// Word counts of the train split's corrected sentences.
    domain: FxHashMap<u128, f32>,
    /// Counts of adjacent characters there, by [`pair_key`].
    domain_pairs: FxHashMap<u64, f32>,
}

static MODEL: OnceLock<Model> = OnceLock::new();

impl Model {
    /// The process-wide model, built on first use (a fraction of a second).
    pub fn get() -> &'static Model {
        MODEL.get_or_init(Model::build)
    }

    fn build() -> Model {
        let mut words: FxHashMap<&'static str, u32> = FxHashMap::default();
        words.reserve(600_000);
        let mut total: u64 = 0;
        for line in data_lines(WORDS) {
            let Some((word, freq)) = split_tab(line) else {
                continue;
            };
            let freq: u32 = freq.parse().unwrap_or(0);
            if freq == 0 {
                continue;
            }
            total += freq as u64;
            insert_word(&mut words, word, freq);
        }
        for line in DOMAIN_WORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split_whitespace();
            let Some(word) = cols.next() else { continue };
            let freq = cols.next().and_then(|f| f.parse().ok()).unwrap_or(DEFAULT_DOMAIN_FREQ);
            let old = words.get(word).copied().unwrap_or(0);
            if freq > old {
                total += (freq - old) as u64;
                insert_word(&mut words, word, freq);
            }
        }
        let log_total = (total.max(1) as f64).ln();

        let mut pairs: FxHashMap<u64, f32> = FxHashMap::default();
        pairs.reserve(700_000);
        let mut pair_out: CharTable<f32> = CharTable::new();
        let mut pair_in: CharTable<f32> = CharTable::new();
        let mut pair_total = 0.0f64;
        for (&word, &freq) in &words {
            if freq == 0 {
                continue;
            }
            let f = freq as f32;
            let mut prev: Option<char> = None;
            for c in word.chars() {
                if let Some(a) = prev {
                    *pairs.entry(pair_key(a, c)).or_insert(0.0) += f;
                    pair_out.get_mut(a).into_iter().for_each(|x| *x += f);
                    pair_in.get_mut(c).into_iter().for_each(|x| *x += f);
                    pair_total += f as f64;
                }
                prev = Some(c);
            }
        }

        let mut char_freq = CharTable::new();
        let mut readings: CharTable<Vec<Reading>> = CharTable::new();
        let mut syllables: FxHashMap<String, u16> = FxHashMap::default();
        let mut fuzzies: FxHashMap<String, u16> = FxHashMap::default();
        let mut by_syllable: Vec<Vec<char>> = Vec::new();
        let mut by_fuzzy: Vec<Vec<char>> = Vec::new();
        let mut buf = [0u8; 4];
        for c in ('\u{4E00}'..='\u{9FFF}').chain('\u{3400}'..='\u{4DBF}') {
            let freq = words.get(&*c.encode_utf8(&mut buf)).copied().unwrap_or(0);
            let Some(multi) = c.to_pinyin_multi() else {
                continue;
            };
            let mut rs = Vec::new();
            for p in multi.into_iter() {
                let plain = p.plain();
                let tone = p.with_tone_num_end().chars().last().and_then(|t| t.to_digit(10)).unwrap_or(5) as u8;
                let syllable = intern(&mut syllables, &mut by_syllable, plain);
                let fuzzy = intern(&mut fuzzies, &mut by_fuzzy, &fuzzy_key(plain));
                if rs.iter().any(|r: &Reading| r.syllable == syllable && r.tone == tone) {
                    continue;
                }
                rs.push(Reading { syllable, fuzzy, tone });
                if freq >= MIN_CANDIDATE_FREQ {
                    push_unique(&mut by_syllable[syllable as usize], c);
                    push_unique(&mut by_fuzzy[fuzzy as usize], c);
                }
            }
            if freq > 0 {
                char_freq.get_mut(c).into_iter().for_each(|f| *f = freq);
            }
            if let Some(r) = readings.get_mut(c) {
                *r = rs;
            }
        }
        let mut shapes: FxHashMap<char, Vec<char>> = FxHashMap::default();
        for line in SHAPE_SIMILAR.lines() {
            if line.starts_with('#') {
                continue;
            }
            let group: Vec<char> = line.chars().filter(|&c| is_han(c)).collect();
            for &a in &group {
                for &b in &group {
                    if a != b {
                        push_unique(shapes.entry(a).or_default(), b);
                    }
                }
            }
        }
        if shape_generated_on() {
            for line in data_lines(SHAPE_GENERATED) {
                let Some((a, list)) = line.split_once('\t') else { continue };
                let Some(a) = a.chars().next() else { continue };
                let v = shapes.entry(a).or_default();
                for b in list.chars().take(shape_k()) {
                    push_unique(v, b);
                }
            }
        }
        let contained_k = env_usize("TAIZHANG_CONTAINED_K", 10);
        for line in SHAPE_CONTAINED.lines() {
            let Some((a, list)) = line.split_once('\t') else { continue };
            let Some(a) = a.chars().next() else { continue };
            let v = shapes.entry(a).or_default();
            for b in list.chars().take(contained_k) {
                push_unique(v, b);
            }
        }
        let learned = learned_pairs();
        let (domain, domain_pairs) = domain_counts();
        for &key in learned.keys() {
            let (a, b) = unpair_key(key);
            push_unique(shapes.entry(a).or_default(), b);
        }
        let confusable_cache = readings
            .iter()
            .filter(|(_, rs)| !rs.is_empty())
            .map(|(c, _)| c)
            .chain(shapes.keys().copied())
            .map(|c| (c, OnceLock::new()))
            .collect();
        let mut packed = FxHashMap::default();
        packed.reserve(words.len());
        packed.extend(words.iter().filter_map(|(w, &f)| WordKey::pack(w).map(|k| (k, (f, (f.max(1) as f64).ln())))));
        let mut char_ln: CharTable<(f64, f64)> = CharTable::new();
        for (c, &f) in char_freq.iter() {
            if let Some(x) = char_ln.get_mut(c) {
                *x = ((f as f64 + 1.0).ln(), (f.max(1) as f64).ln());
            }
        }
        let mut model = Model {
            words,
            packed,
            log_total,
            char_freq,
            char_ln,
            readings,
            by_syllable,
            by_fuzzy,
            shapes,
            by_pinyin: FxHashMap::default(),
            pinyin_words: Vec::new(),
            syllables: CharTable::new(),
            confusable_cache,
            pairs,
            pair_out,
            pair_in,
            pair_total,
            learned,
            domain,
            domain_pairs,
        };
        let mut syllables_of: CharTable<Vec<u16>> = CharTable::new();
        for (c, rs) in model.readings.iter() {
            if let Some(v) = syllables_of.get_mut(c) {
                for r in rs {
                    if !v.contains(&r.syllable) {
                        v.push(r.syllable);
                    }
                }
            }
        }
        model.syllables = syllables_of;
        let (table, ranges) = model.pinyin_index();
        model.pinyin_words = table;
        model.by_pinyin = ranges;
        model
    }

    /// The pinyin index: every word of 2–4 characters under each of its
    /// keys, grouped by key (most frequent first) in one table.
    ///
    /// The words are sorted once (by frequency, then characters, packed in
    /// an integer) and then dealt out to their keys in that order: each
    /// key's list comes out sorted without sorting the whole table.
    fn pinyin_index(&self) -> PinyinIndex {
        // (packed entry, its keys in `flat`).
        let mut items: Vec<(u128, u32, u32)> = Vec::with_capacity(150_000);
        let mut flat: Vec<u64> = Vec::with_capacity(500_000);
        let mut keys = [0u64; MAX_KEYS];
        let mut syls: [&[u16]; 4] = [&[]; 4];
        for (&word, &freq) in &self.words {
            if freq < MIN_INDEX_FREQ {
                continue;
            }
            let mut entry = PinyinWord { freq, chars: ['\0'; 4] };
            let mut n = 0;
            let mut known = true;
            for c in word.chars() {
                if n == 4 {
                    n = 5;
                    break;
                }
                entry.chars[n] = c;
                match self.syllables.get(c) {
                    Some(s) => syls[n] = s,
                    None => known = false,
                }
                n += 1;
            }
            if !known || !PINYIN_WORD_LENS.contains(&n) {
                continue;
            }
            let m = pinyin_keys(&syls[..n], &mut keys);
            items.push((pack_entry(entry), flat.len() as u32, m as u32));
            flat.extend_from_slice(&keys[..m]);
        }
        items.sort_unstable_by_key(|e| e.0);
        // Count each key's words, give each key its range, then fill the
        // ranges in the words' order; `(start, next free slot)` per key
        // while filling, `(start, end)` after.
        let mut ranges: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
        ranges.reserve(flat.len() / 2);
        for &k in &flat {
            ranges.entry(k).or_insert((0, 0)).1 += 1;
        }
        let mut next = 0u32;
        for v in ranges.values_mut() {
            let n = v.1;
            *v = (next, next);
            next += n;
        }
        let mut table = vec![PinyinWord { freq: 0, chars: ['\0'; 4] }; next as usize];
        for &(entry, at, m) in &items {
            let w = unpack_entry(entry);
            for k in &flat[at as usize..(at + m) as usize] {
                if let Some(v) = ranges.get_mut(k) {
                    table[v.1 as usize] = w;
                    v.1 += 1;
                }
            }
        }
        (table, ranges)
    }

    /// The toneless pinyin keys of `chars` (2–4 characters), one per
    /// combination of the characters' readings, at most `MAX_KEYS`.
    fn pinyin_keys(&self, chars: &[char], keys: &mut Vec<u64>) {
        keys.clear();
        let mut syls: [&[u16]; 4] = [&[]; 4];
        for (k, c) in chars.iter().enumerate() {
            match self.syllables.get(*c) {
                Some(s) => syls[k] = s,
                None => return,
            }
        }
        let mut buf = [0u64; MAX_KEYS];
        let n = pinyin_keys(&syls[..chars.len()], &mut buf);
        keys.extend_from_slice(&buf[..n]);
    }

    /// The distinct toneless syllables of a character (empty if unknown).
    #[inline]
    pub fn syllables(&self, c: char) -> &[u16] {
        self.syllables.get(c).map_or(&[], |v| v.as_slice())
    }

    /// Words of the pinyin index under `key` (see [`pinyin_keys`]), most
    /// frequent first.
    #[inline]
    pub fn pinyin_words(&self, key: u64) -> &[PinyinWord] {
        self.by_pinyin.get(&key).map_or(&[], |&(a, b)| &self.pinyin_words[a as usize..b as usize])
    }

    /// Dictionary words at least `min_freq` frequent, of the same length
    /// and read with the same syllables (tones aside) as `chars`, `chars`
    /// itself excluded.
    pub fn homophone_words(&self, chars: &[char], min_freq: u32, out: &mut Vec<PinyinWord>) {
        out.clear();
        if !PINYIN_WORD_LENS.contains(&chars.len()) {
            return;
        }
        let mut keys = Vec::new();
        self.pinyin_keys(chars, &mut keys);
        for &k in &keys {
            for w in self.pinyin_words(k) {
                if w.freq < min_freq {
                    break;
                }
                if w.as_slice() != chars && !out.contains(w) {
                    out.push(*w);
                }
            }
        }
    }

    /// How strongly `a` followed by `b` holds together inside words: the
    /// pointwise mutual information of the transition over the dictionary's
    /// words (weighted by frequency), smoothed, in natural-log units;
    /// near 0 or below for pairs that words never join.
    #[inline]
    pub fn cohesion(&self, a: char, b: char) -> f64 {
        let t = self.pairs.get(&pair_key(a, b)).copied().unwrap_or(0.0) as f64;
        let o = self.pair_out.get(a).copied().unwrap_or(0.0) as f64;
        let i = self.pair_in.get(b).copied().unwrap_or(0.0) as f64;
        ((t + 1.0) * self.pair_total / ((o + 1.0) * (i + 1.0))).ln().clamp(-COHESION_CAP, COHESION_CAP)
    }

    /// How often `written` stood for `meant` in the train split, and how
    /// often `written` was written there at all ((0, 0) for an unseen pair).
    #[inline]
    pub fn learned_pair(&self, written: char, meant: char) -> (u32, u32) {
        self.learned.get(&pair_key(written, meant)).copied().unwrap_or((0, 0))
    }

    /// ln(1 + how often `word` occurs in the train split's corrected
    /// sentences).
    #[inline]
    pub fn domain_word(&self, word: &[char]) -> f64 {
        if word.len() > PACKED_MAX {
            return 0.0;
        }
        let key = word.iter().fold(0u128, |k, &c| (k << 21) | c as u128);
        self.domain.get(&key).map_or(0.0, |&x| x as f64)
    }

    /// ln(1 + how often `b` follows `a` in the train split's corrected
    /// sentences).
    #[inline]
    pub fn domain_pair(&self, a: char, b: char) -> f64 {
        self.domain_pairs.get(&pair_key(a, b)).map_or(0.0, |&x| x as f64)
    }

    /// Whether `b` follows `a` inside some dictionary word.
    #[inline]
    pub fn joins(&self, a: char, b: char) -> bool {
        self.pairs.contains_key(&pair_key(a, b))
    }

    #[inline]
    pub fn char_freq(&self, c: char) -> u32 {
        self.char_freq.get(c).copied().unwrap_or(0)
    }

    /// ln(char_freq(c) + 1), precomputed.
    #[inline]
    pub fn char_ln1p(&self, c: char) -> f64 {
        self.char_ln.get(c).map_or(0.0, |x| x.0)
    }

    /// ln(max(char_freq(c), 1)), precomputed.
    #[inline]
    pub fn char_ln(&self, c: char) -> f64 {
        self.char_ln.get(c).map_or(0.0, |x| x.1)
    }

    pub fn has_word(&self, word: &str) -> bool {
        self.word_freq(word) > 0
    }

    /// Frequency of a dictionary word (0 when absent).
    pub fn word_freq(&self, word: &str) -> u32 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// The dictionary entry for `s`: `None` when no word starts with it,
    /// `Some(0)` when it only begins longer words, else its frequency.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.words.get(s).copied()
    }

    /// [`Model::lookup`] for the characters pushed into `key`.
    #[inline]
    pub fn lookup_key(&self, key: &WordKey) -> Option<u32> {
        self.lookup_key_ln(key).map(|e| e.0)
    }

    /// [`Model::lookup_key`] with ln(max(frequency, 1)).
    #[inline]
    pub fn lookup_key_ln(&self, key: &WordKey) -> Option<(u32, f64)> {
        if key.len <= PACKED_MAX {
            self.packed.get(&key.packed).copied()
        } else {
            self.words.get(key.text.as_str()).map(|&f| (f, (f.max(1) as f64).ln()))
        }
    }

    /// Natural log of the dictionary's total frequency.
    #[inline]
    pub fn log_total(&self) -> f64 {
        self.log_total
    }

    /// Log-probability of a word under the unigram model (an unknown word
    /// counts as frequency 1, as in jieba).
    pub fn word_logp(&self, word: &str) -> f64 {
        (self.word_freq(word).max(1) as f64).ln() - self.log_total
    }

    /// The maximum-probability segmentation of `text` (jieba's route without
    /// HMM) as character ranges, with its log-probability.
    pub fn segment(&self, text: &str) -> (Vec<Range<usize>>, f64) {
        let mut seg = Segmenter::default();
        let score = seg.run(self, text);
        (seg.tokens(), score)
    }

    /// Log-probability of the best segmentation of `text`.
    pub fn route_score(&self, text: &str) -> f64 {
        Segmenter::default().run(self, text)
    }

    /// Characters that could have been meant where `c` was written, with how
    /// they relate to it. Only reasonably common characters are offered.
    pub fn confusables(&self, c: char) -> &[(char, Channel)] {
        match self.confusable_cache.get(&c) {
            Some(cell) => cell.get_or_init(|| {
                let mut out = Vec::new();
                self.compute_confusables(c, &mut out);
                out
            }),
            None => &[],
        }
    }

    /// Characters of similar shape to `c` (hand-written groups).
    #[inline]
    pub fn shape_similar(&self, c: char) -> &[char] {
        self.shapes.get(&c).map_or(&[], |v| v.as_slice())
    }

    /// How writing `written` for `meant` is explained: by sound (with or
    /// without the tone), by shape, or not at all.
    pub fn channel(&self, written: char, meant: char) -> Option<Channel> {
        if let (Some(a), Some(b)) = (self.readings.get(written), self.readings.get(meant)) {
            if a.iter().any(|x| b.iter().any(|y| x.syllable == y.syllable && x.tone == y.tone)) {
                return Some(Channel::SameSound);
            }
            if a.iter().any(|x| b.iter().any(|y| x.syllable == y.syllable)) {
                return Some(Channel::SameSyllable);
            }
        }
        if self.shape_similar(written).contains(&meant) {
            return Some(Channel::SimilarShape);
        }
        if let (Some(a), Some(b)) = (self.readings.get(written), self.readings.get(meant)) {
            if a.iter().any(|x| b.iter().any(|y| x.fuzzy == y.fuzzy)) {
                return Some(Channel::SimilarSound);
            }
        }
        None
    }

    fn compute_confusables(&self, c: char, out: &mut Vec<(char, Channel)>) {
        out.clear();
        if let Some(rs) = self.readings.get(c) {
            for r in rs {
                for &d in &self.by_syllable[r.syllable as usize] {
                    if d == c || out.iter().any(|&(x, _)| x == d) {
                        continue;
                    }
                    let same_tone = self
                        .readings
                        .get(d)
                        .is_some_and(|ds| ds.iter().any(|x| x.syllable == r.syllable && x.tone == r.tone));
                    out.push((d, if same_tone { Channel::SameSound } else { Channel::SameSyllable }));
                }
            }
            for r in rs {
                for &d in &self.by_fuzzy[r.fuzzy as usize] {
                    if d != c && !out.iter().any(|&(x, _)| x == d) {
                        out.push((d, Channel::SimilarSound));
                    }
                }
            }
        }
        for &d in self.shape_similar(c) {
            if d != c && !out.iter().any(|&(x, _)| x == d) && self.char_freq(d) >= MIN_CANDIDATE_FREQ {
                out.push((d, Channel::SimilarShape));
            }
        }
    }
}

/// The pinyin-index keys of a span whose characters have the given
/// syllables (2–4 characters), one per combination of readings, at most
/// `MAX_KEYS`; returns how many were written. 0 when a character has none.
pub fn pinyin_keys(syllables: &[&[u16]], keys: &mut [u64; MAX_KEYS]) -> usize {
    if syllables.iter().any(|s| s.is_empty()) {
        return 0;
    }
    keys[0] = syllables.len() as u64;
    let mut n = 1;
    for syls in syllables {
        let m = n;
        for &syl in &syls[1..] {
            if n + m > MAX_KEYS {
                break;
            }
            for k in 0..m {
                keys[n] = (keys[k] << 15) | (syl as u64 + 1);
                n += 1;
            }
        }
        for key in &mut keys[..m] {
            *key = (*key << 15) | (syls[0] as u64 + 1);
        }
    }
    n
}

fn shape_k() -> usize {
    env_usize("TAIZHANG_SHAPE_K", 12)
}

/// A count overridden from the environment, for experiments only.
fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn shape_generated_on() -> bool {
    shape_k() > 0
}

/// A pinyin-index entry as one integer that sorts as the index wants:
/// frequency descending, then the characters (21 bits each) ascending.
fn pack_entry(w: PinyinWord) -> u128 {
    let chars = w.chars.iter().fold(0u128, |acc, &c| (acc << 21) | c as u128);
    ((u32::MAX - w.freq) as u128) << 84 | chars
}

fn unpack_entry(x: u128) -> PinyinWord {
    let mut chars = ['\0'; 4];
    for (k, c) in chars.iter_mut().enumerate() {
        *c = char::from_u32(((x >> (21 * (3 - k))) & 0x1F_FFFF) as u32).unwrap_or('\0');
    }
    PinyinWord { freq: u32::MAX - (x >> 84) as u32, chars }
}

/// Bound on [`Model::cohesion`], so one pair cannot decide alone.
const COHESION_CAP: f64 = 8.0;

fn pair_key(a: char, b: char) -> u64 {
    ((a as u64) << 32) | b as u64
}

fn insert_word(words: &mut FxHashMap<&'static str, u32>, word: &'static str, freq: u32) {
    for (b, _) in word.char_indices().skip(1) {
        words.entry(&word[..b]).or_insert(0);
    }
    words.insert(word, freq);
}

fn intern(map: &mut FxHashMap<String, u16>, lists: &mut Vec<Vec<char>>, key: &str) -> u16 {
    if let Some(&id) = map.get(key) {
        return id;
    }
    let id = lists.len() as u16;
    lists.push(Vec::new());
    map.insert(key.to_string(), id);
    id
}

fn push_unique(v: &mut Vec<char>, c: char) {
    if !v.contains(&c) {
        v.push(c);
    }
}

/// Folds the distinctions that pinyin input methods' fuzzy matching ignores.
fn fuzzy_key(plain: &str) -> String {
    let mut s = plain.to_string();
    for (from, to) in [("zh", "z"), ("ch", "c"), ("sh", "s")] {
        if let Some(rest) = s.strip_prefix(from) {
            s = format!("{to}{rest}");
        }
    }
    if let Some(rest) = s.strip_prefix('l') {
        s = format!("n{rest}");
    }
    for (from, to) in [("ang", "an"), ("eng", "en"), ("ing", "in")] {
        if let Some(stem) = s.strip_suffix(from) {
            s = format!("{stem}{to}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_key_folds_retroflex_and_nasal() {
        assert_eq!(fuzzy_key("zhang"), "zan");
        assert_eq!(fuzzy_key("lin"), "nin");
        assert_eq!(fuzzy_key("sheng"), "sen");
    }

    #[test]
    fn dictionary_is_compiled_in() {
        let m = Model::get();
        assert!(m.word_freq("单位") > 10_000);
        assert!(m.has_word("形式主义"));
        assert!(!m.has_word("行式主义"));
    }

    #[test]
    fn segmentation_prefers_dictionary_words() {
        let m = Model::get();
        let text = "坚决反对形式主义";
        let (tokens, _) = m.segment(text);
        let words: Vec<String> = tokens.iter().map(|r| text.chars().skip(r.start).take(r.len()).collect()).collect();
        assert_eq!(words, ["坚决", "反对", "形式主义"]);
    }

    #[test]
    fn cohesion_prefers_pairs_that_words_join() {
        let m = Model::get();
        assert!(m.cohesion('党', '组') > m.cohesion('党', '祖') + 2.0);
        assert!(m.cohesion('渠', '道') > m.cohesion('染', '道'));
    }

    #[test]
    fn pinyin_index_lists_each_key_most_frequent_first() {
        let m = Model::get();
        let mut covered = 0;
        for &(a, b) in m.by_pinyin.values() {
            let list = &m.pinyin_words[a as usize..b as usize];
            assert!(!list.is_empty());
            for w in list.windows(2) {
                assert!((u32::MAX - w[0].freq, w[0].chars) < (u32::MAX - w[1].freq, w[1].chars), "{w:?}");
            }
            covered += list.len();
        }
        assert_eq!(covered, m.pinyin_words.len());
        let w = PinyinWord { freq: 12345, chars: ['单', '位', '\0', '\0'] };
        assert_eq!(unpack_entry(pack_entry(w)), w);
    }

    #[test]
    fn pinyin_index_lists_homophone_words() {
        let m = Model::get();
        let mut out = Vec::new();
        m.homophone_words(&['淡', '味'], 1, &mut out);
        assert!(out.iter().any(|w| w.as_slice() == ['单', '位']), "{out:?}");
        m.homophone_words(&['墙', '画'], 1, &mut out);
        assert!(out.iter().any(|w| w.as_slice() == ['强', '化']), "{out:?}");
    }
}
