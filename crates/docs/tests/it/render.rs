//! Converts a sample report, and the demo's composed 2026H1 自查报告, to PDF
//! with LibreOffice, when it is installed, to prove the .docx opens in a
//! real word processor.
//!
//! Without `soffice`/`libreoffice` on PATH the test prints a skip notice and
//! passes, unless TAIZHANG_REQUIRE_LIBREOFFICE=1 (set by CI), which turns
//! the skip into a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REQUIRE: &str = "TAIZHANG_REQUIRE_LIBREOFFICE";
const TIMEOUT: Duration = Duration::from_secs(240);

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// Written straight to stderr: libtest captures `eprintln!` of passing tests.
fn notice(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

fn run(command: &mut Command) -> std::process::Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starts");
    let start = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{command:?} took longer than {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("output")
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let pdftotext = on_path("pdftotext")?;
    let out = run(Command::new(pdftotext).arg(pdf).arg("-"));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// LibreOffice, or `None` after printing why the test is skipped (a
/// failure instead when TAIZHANG_REQUIRE_LIBREOFFICE=1).
fn office() -> Option<PathBuf> {
    let found = on_path("soffice").or_else(|| on_path("libreoffice"));
    if found.is_none() {
        if std::env::var(REQUIRE).is_ok_and(|v| v == "1") {
            panic!("{REQUIRE}=1 but neither soffice nor libreoffice is on PATH");
        }
        notice("render test SKIPPED: LibreOffice (soffice) is not installed; see docs/documents.md");
    }
    found
}

/// Converts `docx` (saved as `name`.docx) to PDF and returns the PDF's text
/// with whitespace removed, or an empty string without pdftotext.
fn convert(office: &Path, docx: &[u8], name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("render-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.docx"));
    std::fs::write(&path, docx).expect("saved");
    // A private profile, so a running LibreOffice or a parallel run cannot interfere.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = run(Command::new(office)
        .args(["--headless", "--norestore", &profile, "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&path));
    let pdf = dir.join(format!("{name}.pdf"));
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "LibreOffice failed: {log}");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("no PDF produced: {log}"));
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "not a real PDF: {log}");
    pdf_text(&pdf).map(|t| t.chars().filter(|c| !c.is_whitespace()).collect()).unwrap_or_default()
}

#[test]
fn sample_report_converts_to_pdf_with_libreoffice() {
    let Some(office) = office() else { return };
    let docx = taizhang_docs::sample::report(6).to_docx().expect("writes");
    let flat = convert(&office, &docx, "报告");
    if flat.is_empty() {
        return;
    }
    for expected in ["落实意识形态工作责任制情况的报告", "一、工作开展情况", "特此报告。", "2026年7月5日", "—1—", "—2—"]
    {
        assert!(flat.contains(expected), "{expected} missing from the PDF text");
    }
}

/// The demo's 2026H1 自查报告, composed from a seeded store, converts too.
#[tokio::test]
async fn composed_self_inspection_report_converts_to_pdf() {
    let Some(office) = office() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = taizhang_store::testing::fresh_sqlite(dir.path()).await.expect("store");
    taizhang_demo::seed(&store).await.expect("seed");
    let unit =
        store.units().await.expect("units").into_iter().find(|u| u.name == "县民政局党组").expect("demo unit").id;
    let period = taizhang_core::period::Period::parse("2026H1").expect("period");
    let inputs = store.evaluation_inputs(&[unit], period).await.expect("inputs");
    let head = store.audit_head().await.expect("head");
    store.close().await;
    let g = &inputs.groups[0];
    let source = taizhang_docs::source::Source::assemble(
        &inputs.org.units,
        &g.items,
        &g.context(),
        period,
        taizhang_demo::demo_today(),
        taizhang_docs::source::AuditHead { head: head.head, entries: head.entries },
    );
    let docx = taizhang_docs::compose::report_docx(&source, taizhang_docs::compose::ReportKind::SelfInspection)
        .expect("composes");
    let flat = tokio::task::spawn_blocking(move || convert(&office, &docx, "自查报告")).await.expect("converts");
    if flat.is_empty() {
        return;
    }
    for expected in [
        "落实意识形态工作责任制情况的自查报告",
        "县委宣传部：",
        "一、工作落实情况",
        "二、自查发现的问题",
        "逾期12天报送",
        "【请填写：原因分析】",
        "三、整改措施",
        "特此报告。",
        "中共县民政局党组",
        "2026年11月23日",
        "—1—",
    ] {
        assert!(flat.contains(expected), "{expected} missing from the PDF text");
    }
}
