//! `proof-eval FILE...`: sentence-level scores of the typo check on CSC
//! test sets (see ../shared/eval/README.md). `--threshold X` overrides the
//! typo threshold, `--show` prints each sentence the checker got wrong.

use std::process::ExitCode;
use taizhang_proof::eval::{correct, eval_config, parse, score};

fn main() -> ExitCode {
    let mut config = eval_config();
    let mut show = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--show" => show = true,
            "--threshold" => match args.next().and_then(|t| t.parse().ok()) {
                Some(t) => config.typo_threshold = t,
                None => {
                    eprintln!("--threshold 需要一个数值");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("用法：proof-eval [--threshold X] [--show] FILE...");
        return ExitCode::from(2);
    }
    for file in files {
        let src = match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("无法读取 {file}：{e}");
                return ExitCode::from(2);
            }
        };
        let samples = parse(&src);
        let outputs: Vec<_> = samples.iter().map(|s| correct(&s.source, &config)).collect();
        if show {
            for (s, (fixed, _)) in samples.iter().zip(&outputs) {
                if *fixed != s.target {
                    println!("src {}\ngot {}\nwant {}\n", s.source, fixed, s.target);
                }
            }
        }
        let r = score(&samples, &outputs);
        println!(
            "{file}: sentences {} (with errors {}, correct {})\n  detection  P {:.3} R {:.3} F1 {:.3}\n  correction P {:.3} R {:.3} F1 {:.3}\n  false alarms {} of {} correct sentences ({:.1}%)",
            r.sentences,
            r.with_errors,
            r.correct_sentences,
            r.det.precision(),
            r.det.recall(),
            r.det.f1(),
            r.corr.precision(),
            r.corr.recall(),
            r.corr.f1(),
            r.false_alarms,
            r.correct_sentences,
            100.0 * r.false_alarms as f64 / r.correct_sentences.max(1) as f64
        );
    }
    ExitCode::SUCCESS
}
