//! Tuning of the candidate search and its overrides for experiments.

use std::sync::OnceLock;

/// Tuning of the candidate search (fixed values, tuned on odw.train;
/// `TAIZHANG_TYPO_PARAMS` overrides them for experiments: space-separated
/// `name=value`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    /// Characters of context on each side of the changed characters.
    pub(super) radius: usize,
    /// How much context may add to a span's own gain: candidates whose gain
    /// on the span alone is below `threshold + cost - context` are dropped
    /// before the (costlier) scoring in context.
    pub(super) context: f64,
    /// Channel costs (natural-log units) per changed character.
    pub(super) cost_tone: f64,
    pub(super) cost_shape: f64,
    /// Extra cost for each changed character after the first.
    pub(super) cost_extra: f64,
    /// How much lower the threshold is for changes outside the words of
    /// the written text's segmentation.
    pub(super) nonword_bonus: f64,
    /// Weight of the character-cohesion score (see [`Model::cohesion`]) of
    /// the pairs a change touches.
    pub(super) cohesion: f64,
    /// Cost of a fuzzy-pinyin change (z/zh, n/l, in/ing…; see
    /// [`Channel::SimilarSound`]); negative: not tried.
    pub(super) cost_fuzzy: f64,
    /// How much lower the threshold is in the rounds after the first (near
    /// a change already made: errors come in clusters).
    pub(super) round_bonus: f64,
    /// Weight of the unigram word model's score (dictionary segmentation).
    pub(super) uni: f64,
    /// Weight of the word-bigram model's score (see [`Lm`]).
    pub(super) lm: f64,
    /// Characters of context on each side for the bigram model.
    pub(super) lm_radius: usize,
    /// Weights of further features (see `evaluate`): real-word change,
    /// written word's log frequency, candidate's log frequency, rarity of
    /// the written and of the meant characters.
    pub(super) extra: [f64; 5],
    /// Characters inside a word at least this frequent (in the best
    /// segmentation) are not tried for shape confusions.
    pub(super) shape_trusted: u32,
    /// `context` for candidates that change a tone.
    pub(super) context_tone: f64,
    /// Most the bigram model is taken to add to a candidate's gain (for
    /// skipping it, see `evaluate`).
    pub(super) lm_max: f64,
    /// The confusion prior learned on the train split (see
    /// `Scorer::slip_prior`): its weight, the rate scale and the smoothing
    /// count of its estimate, and the least bigram-model gain at which it
    /// counts (a prior alone must not push a change the running-text model
    /// does not back).
    pub(super) pair: f64,
    pub(super) pair_rate: f64,
    pub(super) pair_smooth: f64,
    pub(super) pair_lm: f64,
    /// Weight of the train split's word counts (see `evaluate`).
    pub(super) dom: f64,
    /// The least bigram-model gain at which the word counts may raise a
    /// candidate (lowering one they always may).
    pub(super) dom_lm: f64,
    /// The least share of a line's words found in those counts for them
    /// to speak there at all.
    pub(super) dom_share: f64,
    /// How much of what the word counts may add loosens the span-only
    /// pre-filter (`context`).
    pub(super) dom_context: f64,
    /// Weight of the train split's counts of the character pairs a change
    /// touches.
    pub(super) dom_pair: f64,
}

/// Characters inside a word at least this frequent (in the best
/// segmentation) are not tried for shape confusions.
pub(super) const SHAPE_TRUSTED_WORD: u32 = 100;

/// Rounds of search: each round runs on the text corrected by the last.
pub(super) const ROUNDS: usize = 3;

pub(super) const PARAMS: Params = Params {
    radius: 4,
    context: 4.75,
    cost_tone: 1.0,
    cost_shape: 2.0,
    cost_extra: 2.0,
    nonword_bonus: 0.0,
    cohesion: 0.05,
    cost_fuzzy: -1.0,
    round_bonus: 0.0,
    // Weights fitted by logistic regression on the candidates of odw.train
    // (scaled so that the channel cost weighs 1), threshold then swept.
    uni: 0.406,
    lm: 0.258,
    lm_radius: 4,
    extra: [1.247, 0.077, -0.004, 0.392, -0.207],
    shape_trusted: SHAPE_TRUSTED_WORD,
    context_tone: 1.75,
    lm_max: 4.5,
    // Tuned on odw.train, each half scored with the pairs of the other
    // (docs/proofreading.md).
    pair: 2.0,
    pair_rate: 100.0,
    pair_smooth: 60.0,
    pair_lm: 8.0,
    // The train split's word counts: tuned on odw.train's held-out halves
    // (counts of the other half), checked against the other sets' correct
    // sentences (docs/proofreading.md).
    dom: 1.0,
    dom_lm: 0.0,
    dom_share: 0.8,
    dom_context: 0.5,
    dom_pair: 0.25,
};

pub(super) fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        let mut p = PARAMS;
        if let Ok(spec) = std::env::var("TAIZHANG_TYPO_PARAMS") {
            for kv in spec.split_whitespace() {
                let Some((k, v)) = kv.split_once('=') else {
                    continue;
                };
                let Ok(x) = v.parse::<f64>() else { continue };
                match k {
                    "radius" => p.radius = x as usize,
                    "context" => p.context = x,
                    "cost_tone" => p.cost_tone = x,
                    "cost_shape" => p.cost_shape = x,
                    "cost_extra" => p.cost_extra = x,
                    "nonword_bonus" => p.nonword_bonus = x,
                    "cohesion" => p.cohesion = x,
                    "cost_fuzzy" => p.cost_fuzzy = x,
                    "round_bonus" => p.round_bonus = x,
                    "uni" => p.uni = x,
                    "lm" => p.lm = x,
                    "lm_radius" => p.lm_radius = x as usize,
                    "w_inword" => p.extra[0] = x,
                    "shape_trusted" => p.shape_trusted = x as u32,
                    "context_tone" => p.context_tone = x,
                    "lm_max" => p.lm_max = x,
                    "pair" => p.pair = x,
                    "pair_rate" => p.pair_rate = x,
                    "pair_smooth" => p.pair_smooth = x,
                    "pair_lm" => p.pair_lm = x,
                    "w_wfreq" => p.extra[1] = x,
                    "w_cfreq" => p.extra[2] = x,
                    "w_rarew" => p.extra[3] = x,
                    "w_rarem" => p.extra[4] = x,
                    "dom" => p.dom = x,
                    "dom_lm" => p.dom_lm = x,
                    "dom_share" => p.dom_share = x,
                    "dom_context" => p.dom_context = x,
                    "dom_pair" => p.dom_pair = x,
                    _ => {}
                }
            }
        }
        p
    })
}

pub(super) fn debug() -> bool {
    static D: OnceLock<bool> = OnceLock::new();
    *D.get_or_init(|| std::env::var_os("TAIZHANG_TYPO_DEBUG").is_some())
}
