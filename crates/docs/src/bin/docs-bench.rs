//! Times the document writers on realistic sizes: a five-page 报告, a
//! 2,000-row ledger, and a bundle of both (built and verified).
//!
//!   cargo run --release -p taizhang-docs --bin docs-bench -- [--rounds N] [--out DIR]
//!
//! `--out DIR` also saves the sample files, e.g. for scripts/render-docx.sh.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use taizhang_docs::bundle::{build_bundle, verify_bundle, BundleMeta};
use taizhang_docs::{ledger, sample, DocsError};

/// Sub-parts that bring the sample report to five pages.
const FIVE_PAGES: usize = 10;
const LEDGER_ROWS: usize = 2_000;

struct Args {
    rounds: u32,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { rounds: 50, out: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--rounds" => args.rounds = value.parse().map_err(|_| format!("bad --rounds {value}"))?,
            "--out" => args.out = Some(value),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(args)
}

/// Runs `f` `rounds` times (at least once) and prints min and median.
fn time<T>(name: &str, rounds: u32, mut f: impl FnMut() -> Result<T, DocsError>) -> Result<T, DocsError> {
    let mut times = Vec::new();
    let mut last = f()?; // warm-up, and the value to return
    for _ in 0..rounds {
        let start = Instant::now();
        last = f()?;
        times.push(start.elapsed());
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    println!("{name:<34} median {:>9}  min {:>9}  ({rounds} rounds)", ms(median), ms(min));
    Ok(last)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn run(args: &Args) -> Result<(), DocsError> {
    let report = sample::report(FIVE_PAGES);
    let table = sample::ledger(LEDGER_ROWS);
    let docx = time("report .docx (5 pages)", args.rounds, || report.to_docx())?;
    let xlsx = time("ledger .xlsx (2,000 rows × 8)", args.rounds.div_ceil(5), || ledger::write_xlsx(&table))?;
    let files = vec![("报告.docx".to_string(), docx.clone()), ("台账.xlsx".to_string(), xlsx.clone())];
    let meta = BundleMeta {
        unit_name: "中共某县民政局党组".into(),
        period_label: "2026年上半年".into(),
        generated_at: Utc.with_ymd_and_hms(2026, 7, 5, 2, 0, 0).single().unwrap_or_default(),
        audit_chain_head: "0".repeat(64),
        audit_entries: 0,
    };
    let bundle = time("bundle build (both files)", args.rounds, || build_bundle(&files, &meta))?;
    time("bundle verify", args.rounds, || verify_bundle(&bundle))?;
    println!(
        "sizes: docx {} KiB, xlsx {} KiB, bundle {} KiB",
        docx.len() / 1024,
        xlsx.len() / 1024,
        bundle.len() / 1024
    );
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in [("report.docx", &docx), ("ledger.xlsx", &xlsx), ("bundle.zip", &bundle)] {
            std::fs::write(format!("{dir}/{name}"), bytes)?;
        }
        println!("wrote report.docx, ledger.xlsx and bundle.zip to {dir}");
    }
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("docs-bench: {message}\nusage: docs-bench [--rounds N] [--out DIR]");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("docs-bench: {e}");
        std::process::exit(1);
    }
}
