//! Sentence-level scoring of the proofreader on CSC test sets
//! (`N<TAB>source<TAB>target` lines), as ../shared/eval/README.md defines
//! it: a sentence with errors is a true positive when the output equals the
//! target; a correct sentence the tool changes is a false positive. Each
//! sentence goes through the path of `taizhang proof --fix`: every category
//! checked, the top suggestion of every error-severity finding applied.

use crate::{check, fix, Config};

/// One sentence pair of a CSC set.
#[derive(Debug, Clone)]
pub struct Sample {
    pub source: String,
    pub target: String,
}

/// Parses a CSC file; lines that do not have three columns with source and
/// target of the same length are skipped.
pub fn parse(src: &str) -> Vec<Sample> {
    src.lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let (_, source, target) = (cols.next()?, cols.next()?, cols.next()?);
            (source.chars().count() == target.chars().count())
                .then(|| Sample { source: source.to_string(), target: target.to_string() })
        })
        .collect()
}

/// The configuration evaluated: the command line's.
pub fn eval_config() -> Config {
    Config::default()
}

/// The output for one sentence, as `--fix` writes it.
pub fn correct(source: &str, config: &Config) -> String {
    fix(source, &check(source, config))
}

/// Positions where `b` differs from `a`; a change of length is a change
/// at no position of `a` (it can never match a substitution).
fn diff_positions(a: &str, b: &str) -> Vec<usize> {
    if a.chars().count() != b.chars().count() {
        return vec![usize::MAX];
    }
    a.chars().zip(b.chars()).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i).collect()
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Scores {
    pub sentences: usize,
    pub with_errors: usize,
    pub correct_sentences: usize,
    /// Correct sentences changed.
    pub false_alarms: usize,
    /// Sentences with errors changed, but not into the target.
    pub miscorrected: usize,
    pub det: Prf,
    pub corr: Prf,
}

impl Scores {
    /// Correction precision counting a wrongly corrected sentence as a
    /// false positive too (the stricter convention of some papers).
    pub fn strict_corr_precision(&self) -> f64 {
        ratio(self.corr.tp, self.corr.tp + self.corr.fp + self.miscorrected)
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores the outputs (one per sample, in order).
pub fn score(samples: &[Sample], outputs: &[String]) -> Scores {
    let mut s = Scores::default();
    for (sample, fixed) in samples.iter().zip(outputs) {
        s.sentences += 1;
        let wrong = diff_positions(&sample.source, &sample.target);
        let changed = diff_positions(&sample.source, fixed);
        if wrong.is_empty() {
            s.correct_sentences += 1;
            if !changed.is_empty() {
                s.false_alarms += 1;
                s.det.fp += 1;
                s.corr.fp += 1;
            }
            continue;
        }
        s.with_errors += 1;
        if changed == wrong {
            s.det.tp += 1;
        } else {
            s.det.fn_ += 1;
        }
        if *fixed == sample.target {
            s.corr.tp += 1;
        } else {
            s.corr.fn_ += 1;
            if !changed.is_empty() {
                s.miscorrected += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_correct_sentences_are_false_positives() {
        let samples = parse("0\t甲乙\t甲乙\n1\t丙丁\t丙戊\n1\t己庚\t己辛\n");
        let outputs = ["甲丁".to_string(), "丙戊".to_string(), "壬庚".to_string()];
        let s = score(&samples, &outputs);
        assert_eq!((s.corr.tp, s.corr.fp, s.corr.fn_, s.miscorrected), (1, 1, 1, 1));
        assert_eq!(s.false_alarms, 1);
        assert!((s.strict_corr_precision() - 1.0 / 3.0).abs() < 1e-9);
    }
}
