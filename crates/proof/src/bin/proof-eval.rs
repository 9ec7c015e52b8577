//! `proof-eval [--threshold X] [--show] [FILE...]`: sentence-level scores
//! on CSC test sets, each sentence through the path of `taizhang proof
//! --fix` (see ../shared/eval/README.md). Without FILE, the four test sets
//! of ../shared/eval. `--threshold X` overrides the typo threshold,
//! `--show` prints each sentence the checker got wrong (on standard
//! error), `--misses` counts the wrong characters left unfixed by how they
//! relate to the right ones.

use std::path::PathBuf;
use std::process::ExitCode;
use taizhang_proof::eval::{correct, eval_config, parse, score, Sample};
use taizhang_proof::model::{Channel, Model};

const DEFAULT_SETS: [&str; 4] = ["ecspell/odw.test", "ecspell/law.test", "ecspell/med.test", "sighan15/test2015.txt"];

fn main() -> ExitCode {
    let mut config = eval_config();
    let mut show = false;
    let mut misses = false;
    let mut miss_tables = Vec::new();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--show" => show = true,
            "--misses" => misses = true,
            "--threshold" => match args.next().and_then(|t| t.parse().ok()) {
                Some(t) => config.typo_threshold = t,
                None => {
                    eprintln!("--threshold 需要一个数值");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
        files = DEFAULT_SETS.iter().map(|f| root.join(f)).collect();
    }
    println!(
        "| set | corr F1 | corr P | corr R | det F1 | correct sentences changed | wrongly corrected | strict corr P |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for file in files {
        let src = match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("无法读取 {}：{e}", file.display());
                return ExitCode::from(2);
            }
        };
        let samples = parse(&src);
        let outputs: Vec<String> = samples.iter().map(|s| correct(&s.source, &config)).collect();
        if show {
            for (s, fixed) in samples.iter().zip(&outputs) {
                if *fixed != s.target {
                    eprintln!("src  {}\ngot  {}\nwant {}\n", s.source, fixed, s.target);
                }
            }
        }
        let r = score(&samples, &outputs);
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {} / {} | {} | {:.3} |",
            r.corr.f1(),
            r.corr.precision(),
            r.corr.recall(),
            r.det.f1(),
            r.false_alarms,
            r.correct_sentences,
            r.miscorrected,
            r.strict_corr_precision(),
        );
        if misses {
            miss_tables.push(format!("{name}: wrong characters left unfixed\n{}", miss_table(&samples, &outputs)));
        }
    }
    for t in miss_tables {
        print!("\n{t}");
    }
    ExitCode::SUCCESS
}

/// The wrong characters of the sentences not corrected exactly, counted by
/// how the right character relates to the written one (sound, tone, shape
/// as the model knows them) and by what became of the sentence.
fn miss_table(samples: &[Sample], outputs: &[String]) -> String {
    let model = Model::get();
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for (s, fixed) in samples.iter().zip(outputs) {
        if *fixed == s.target || s.source == s.target {
            continue;
        }
        let (src, tgt, out): (Vec<char>, Vec<char>, Vec<char>) =
            (s.source.chars().collect(), s.target.chars().collect(), fixed.chars().collect());
        let same_len = out.len() == src.len();
        let sentence = if !same_len || out.iter().zip(&src).zip(&tgt).any(|((o, w), t)| o != w && o != t) {
            "sentence changed wrongly"
        } else if out != src {
            "sentence partly fixed"
        } else {
            "sentence untouched"
        };
        for k in 0..src.len() {
            if src[k] == tgt[k] || (same_len && out[k] == tgt[k]) {
                continue;
            }
            let how = match model.channel(src[k], tgt[k]) {
                Some(Channel::SameSound) => "same sound",
                Some(Channel::SameSyllable) => "other tone",
                Some(Channel::SimilarSound) => "similar sound",
                Some(Channel::SimilarShape) => "similar shape",
                None => "no known relation",
            };
            *counts.entry((how, sentence)).or_default() += 1;
        }
    }
    let mut table = String::from(
        "| wrong character left | sentence untouched | sentence partly fixed | sentence changed wrongly |\n|---|---|---|---|\n",
    );
    for how in ["same sound", "other tone", "similar sound", "similar shape", "no known relation"] {
        let n = |what| counts.get(&(how, what)).copied().unwrap_or(0);
        table.push_str(&format!(
            "| {how} | {} | {} | {} |\n",
            n("sentence untouched"),
            n("sentence partly fixed"),
            n("sentence changed wrongly")
        ));
    }
    table
}
