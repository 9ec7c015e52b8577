//! Times the documents of one real unit: the demo database (seeded into a
//! temporary SQLite file), 县民政局党组, 2026H1, as the CLI and the web
//! server make them — database loading included.
//!
//!   cargo run --release -p taizhang-docs --example demo-bench -- [--rounds N] [--out DIR]
//!
//! Each round opens nothing new (the store's pool stays open, as in the
//! server), loads the organisation, the unit's records and duty list and the
//! audit head, evaluates, and writes the document. `--out DIR` also saves the
//! 2026H1 自查报告, the 2026 报告, the ledgers and the bundle, e.g. for
//! scripts/render-docx.sh.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use taizhang_core::period::Period;
use taizhang_docs::bundle::verify_bundle;
use taizhang_docs::compose::{report_docx, ReportKind};
use taizhang_docs::inspection::inspection_bundle;
use taizhang_docs::record_ledgers::ledger_workbook;
use taizhang_docs::source::{AuditHead, Source};
use taizhang_store::Store;

const UNIT: &str = "县民政局党组";

async fn load(store: &Store, unit: i64, period: Period) -> Source {
    let inputs = store.evaluation_inputs(&[unit], period).await.expect("inputs");
    let audit = store.audit_head().await.expect("audit head");
    let g = &inputs.groups[0];
    Source::assemble(
        &inputs.org.units,
        &g.items,
        &g.context(),
        period,
        taizhang_demo::demo_today(),
        AuditHead { head: audit.head, entries: audit.entries },
    )
}

fn report(name: &str, times: &mut [Duration], rounds: usize) {
    times.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{name:<46} median {:>9}  min {:>9}  max {:>9}  ({rounds} rounds)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut rounds = 20usize;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--rounds" => rounds = value.parse().expect("--rounds N"),
            "--out" => out = Some(value),
            _ => {
                eprintln!("usage: demo-bench [--rounds N] [--out DIR]");
                std::process::exit(2);
            }
        }
    }
    let rounds = rounds.max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.expect("store");
    let summary = taizhang_demo::seed(&store).await.expect("seed");
    println!("seeded the demo ({summary}) in {:.1} s", start.elapsed().as_secs_f64());
    let unit = store.units().await.expect("units").into_iter().find(|u| u.name == UNIT).expect("unit").id;
    let h1 = Period::parse("2026H1").expect("period");

    let (mut load_t, mut report_t, mut bundle_t) = (Vec::new(), Vec::new(), Vec::new());
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).single().expect("instant");
    let (mut docx, mut zip) = (Vec::new(), Vec::new());
    // One warm-up round, not timed.
    for round in 0..=rounds {
        let t = Instant::now();
        let source = load(&store, unit, h1).await;
        let loaded = t.elapsed();
        docx = report_docx(&source, ReportKind::Report).expect("report");
        let reported = t.elapsed();

        let t = Instant::now();
        let source = load(&store, unit, h1).await;
        zip = inspection_bundle(&source, at).expect("bundle");
        let bundled = t.elapsed();
        if round > 0 {
            load_t.push(loaded);
            report_t.push(reported);
            bundle_t.push(bundled);
        }
    }
    println!("{UNIT} 2026H1, evaluated on {}:", taizhang_demo::demo_today());
    report("load (org, records, duty list, audit head)", &mut load_t, rounds);
    report("load + compose + write 报告 .docx", &mut report_t, rounds);
    report("load + bundle (自查报告, 9 workbooks, manifest)", &mut bundle_t, rounds);
    let files = verify_bundle(&zip).expect("bundle verifies").files.len();
    println!(
        "sizes: report {} KiB, bundle {} KiB ({files} files)",
        docx.len().div_ceil(1024),
        zip.len().div_ceil(1024)
    );

    if let Some(dir) = out {
        std::fs::create_dir_all(&dir).expect("out dir");
        let source = load(&store, unit, h1).await;
        let year = load(&store, unit, Period::year(2026)).await;
        let files = [
            ("self-inspection-2026H1.docx", report_docx(&source, ReportKind::SelfInspection).expect("report")),
            ("report-2026H1.docx", docx),
            ("report-2026.docx", report_docx(&year, ReportKind::Report).expect("report")),
            ("ledgers-2026H1.xlsx", ledger_workbook(&source, None).expect("ledgers")),
            ("bundle-2026H1.zip", zip),
        ];
        for (name, bytes) in files {
            std::fs::write(format!("{dir}/{name}"), bytes).expect("write");
        }
        println!("wrote the 2026H1 自查报告 and 报告, the 2026 报告, the ledgers and the bundle to {dir}");
    }
    store.close().await;
}
