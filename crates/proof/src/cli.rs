//! `taizhang proof` / `taizhang-proof`: check a .txt, .md or .docx file.
//!
//! Exit codes: 0 no errors (warnings and notes allowed), 1 errors found,
//! 2 bad input (unreadable file, invalid UTF-8, corrupt .docx, bad lexicon).

use crate::error::ProofError;
use crate::finding::{Finding, Severity};
use crate::lexicon::UnitLexicon;
use crate::{check, docx, fix, Config};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// 校对文稿：错别字、重复缺漏、规范提法、数字与标点、用语、个人信息、密级。
#[derive(Debug, Clone, clap::Args)]
pub struct ProofArgs {
    /// 要校对的文件（.txt、.md 或 .docx）；“-”表示从标准输入读取
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 输出改正后的全文（只采纳“错误”级问题的首选建议）
    #[arg(long)]
    pub fix: bool,
    /// 本单位词库（TOML），见 docs/proofreading.md
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}

/// Runs the command, writing to stdout/stderr; returns the exit code.
pub fn run(args: &ProofArgs) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Standard output is line-buffered: unbuffered, the JSON of a long
    // document would take one write per line (millions for 20 MB).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = run_with(args, &mut out, &mut stderr.lock());
    // A closed pipe (… | head) is not the document's fault.
    let _ = out.flush();
    code
}

/// [`run`] with the output streams given, for embedding and tests.
pub fn run_with(args: &ProofArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match run_inner(args, out) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "错误：{e}");
            2
        }
    }
}

fn run_inner(args: &ProofArgs, out: &mut dyn Write) -> Result<i32, ProofError> {
    let mut config = Config::default();
    if let Some(path) = &args.lexicon {
        let src = std::fs::read(path).map_err(|source| ProofError::Read { path: path.clone(), source })?;
        let src = String::from_utf8(src).map_err(|e| ProofError::Lexicon {
            path: path.clone(),
            line: line_of_byte(e.as_bytes(), e.utf8_error().valid_up_to()),
            detail: "不是有效的 UTF-8 文本".into(),
        })?;
        config.lexicon = UnitLexicon::from_toml(&src, path)?;
    }
    let text = read_input(&args.file)?;
    let findings = check(&text, &config);
    let written = if args.fix {
        write!(out, "{}", fix(&text, &findings))
    } else {
        match args.format {
            Format::Text => write_text(&text, &findings, out),
            Format::Json => write_json(&text, &findings, out),
        }
    };
    // A closed pipe (… | head) is not the document's fault.
    let _ = written;
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) { 1 } else { 0 })
}

/// Reads the input as text: .docx by its paragraphs, anything else as UTF-8.
pub fn read_input(path: &Path) -> Result<String, ProofError> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|source| ProofError::Read { path: path.to_path_buf(), source })?;
        buf
    } else {
        std::fs::read(path).map_err(|source| ProofError::Read { path: path.to_path_buf(), source })?
    };
    let is_docx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if is_docx {
        return docx::extract_text(&bytes).map_err(|detail| ProofError::Docx { path: path.to_path_buf(), detail });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| ProofError::InvalidUtf8 {
        path: path.to_path_buf(),
        line: line_of_byte(e.as_bytes(), e.utf8_error().valid_up_to()),
    })?;
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    // Windows line ends: positions are counted as the reader sees the lines.
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    Ok(text)
}

fn line_of_byte(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// 1-based line and column (in characters) of each finding's start.
fn positions(text: &str, findings: &[Finding]) -> Vec<(usize, usize)> {
    let mut line_starts = vec![0usize];
    for (i, c) in text.chars().enumerate() {
        if c == '\n' {
            line_starts.push(i + 1);
        }
    }
    findings
        .iter()
        .map(|f| {
            let line = line_starts.partition_point(|&s| s <= f.start);
            (line, f.start - line_starts[line - 1] + 1)
        })
        .collect()
}

fn write_text(text: &str, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for (f, (line, col)) in findings.iter().zip(positions(text, findings)) {
        let suggestion =
            if f.suggestions.is_empty() { "（需人工处理）".to_string() } else { f.suggestions.join("／") };
        writeln!(out, "{line}:{col} {} {} → {}  {}", f.category, f.original, suggestion, f.reason)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    line: usize,
    col: usize,
    start: usize,
    end: usize,
    category: crate::Category,
    severity: Severity,
    original: &'a str,
    suggestions: &'a [String],
    reason: &'a str,
}

fn write_json(text: &str, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    let items: Vec<JsonFinding> = findings
        .iter()
        .zip(positions(text, findings))
        .map(|(f, (line, col))| JsonFinding {
            line,
            col,
            start: f.start,
            end: f.end,
            category: f.category,
            severity: f.severity,
            original: &f.original,
            suggestions: &f.suggestions,
            reason: &f.reason,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::other)?;
    writeln!(out)
}
