//! Sentence-level scoring of a spelling checker on CSC test sets
//! (`N<TAB>source<TAB>target` lines), as eval/README.md defines it.

use crate::{apply_fixes, check, Category, Config, Finding};

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

/// The configuration evaluated on CSC sets: those sets only substitute
/// characters, so only the typo check runs.
pub fn eval_config() -> Config {
    Config::only(&[Category::Typo])
}

/// The checker's output for one sentence: the corrected sentence and the
/// positions it changed. Findings that would change the length are ignored.
pub fn correct(source: &str, config: &Config) -> (String, Vec<usize>) {
    let findings = check(source, config);
    let same_len = |f: &Finding| {
        f.category == Category::Typo && f.suggestions.first().is_some_and(|s| s.chars().count() == f.end - f.start)
    };
    let fixed = apply_fixes(source, &findings, same_len);
    let positions = diff_positions(source, &fixed);
    (fixed, positions)
}

fn diff_positions(a: &str, b: &str) -> Vec<usize> {
    a.chars().zip(b.chars()).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i).collect()
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Scores {
    pub sentences: usize,
    pub with_errors: usize,
    pub correct_sentences: usize,
    pub false_alarms: usize,
    pub det: Prf,
    pub corr: Prf,
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

/// Scores one sentence's output. A changed sentence counts as a positive
/// prediction; it is a true positive for correction when the output equals
/// the target, for detection when the changed positions equal the wrong ones.
pub fn score(samples: &[Sample], outputs: &[(String, Vec<usize>)]) -> Scores {
    let mut s = Scores::default();
    for (sample, (fixed, changed)) in samples.iter().zip(outputs) {
        s.sentences += 1;
        let wrong = diff_positions(&sample.source, &sample.target);
        let flagged = !changed.is_empty();
        if wrong.is_empty() {
            s.correct_sentences += 1;
            if flagged {
                s.false_alarms += 1;
                s.det.fp += 1;
                s.corr.fp += 1;
            }
            continue;
        }
        s.with_errors += 1;
        if *changed == wrong {
            s.det.tp += 1;
        } else {
            if flagged {
                s.det.fp += 1;
            }
            s.det.fn_ += 1;
        }
        if *fixed == sample.target {
            s.corr.tp += 1;
        } else {
            if flagged {
                s.corr.fp += 1;
            }
            s.corr.fn_ += 1;
        }
    }
    s
}
