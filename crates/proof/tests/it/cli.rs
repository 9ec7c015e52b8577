//! The command end to end, through the `taizhang-proof` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_taizhang-proof"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // The command may reject its arguments before reading standard input.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("taizhang-proof-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const DRAFT: &str = "关于加强作风建设的通知\n坚决反对行式主义和官僚主义。\n残废人的权益要保障。\n";

#[test]
fn text_output_has_line_col_and_exit_code_1_on_errors() {
    let path = temp("draft.txt", DRAFT.as_bytes());
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("2:5 typo 行式主义 → 形式主义"), "{stdout}");
    assert!(stdout.contains("3:1 wording 残废人 → 残疾人"), "{stdout}");
}

#[test]
fn json_output_has_exactly_the_agreed_keys() {
    let out = run_stdin(&["-", "--format", "json"], DRAFT.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert!(!items.is_empty());
    let mut keys: Vec<_> = items[0].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["category", "col", "end", "line", "original", "reason", "severity", "start", "suggestions"]);
    let typo = items.iter().find(|i| i["category"] == "typo").unwrap();
    assert_eq!((typo["line"].as_u64(), typo["col"].as_u64()), (Some(2), Some(5)));
    // start/end are character offsets in the whole text.
    assert_eq!((typo["start"].as_u64(), typo["end"].as_u64()), (Some(16), Some(20)));
    assert_eq!(typo["severity"], "error");
    assert_eq!(typo["suggestions"][0], "形式主义");
}

#[test]
fn fix_applies_error_suggestions_line_for_line() {
    let out = run_stdin(&["-", "--fix"], DRAFT.as_bytes());
    let fixed = String::from_utf8(out.stdout).unwrap();
    // The typo (error) is fixed; the wording finding (warning) is not.
    assert_eq!(fixed, "关于加强作风建设的通知\n坚决反对形式主义和官僚主义。\n残废人的权益要保障。\n");
}

#[test]
fn clean_text_and_warnings_only_exit_0() {
    let out = run_stdin(&["-"], "本次会议研究部署了下一阶段的重点工作。\n".as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = run_stdin(&["-"], "残疾人权益要保障，不得称残废人。".as_bytes());
    assert_eq!(out.status.code(), Some(0), "warnings only");
}

#[test]
fn empty_file_is_clean() {
    let path = temp("empty.txt", b"");
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = run(&[s(&path), "--format", "json"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
}

#[test]
fn invalid_utf8_is_bad_input() {
    let path = temp("gbk.txt", b"\xe6\xad\xa3\xe5\xb8\xb8\n\xd5\xfd\xb3\xa3\n");
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("不是有效的 UTF-8") && stderr.contains("第 2 行"), "{stderr}");
}

#[test]
fn missing_file_and_corrupt_docx_are_bad_input() {
    let out = run(&["/nonexistent/draft.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("无法读取文件"));
    let path = temp("broken.docx", b"PK\x03\x04 not really a zip");
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("无法解析 Word 文档"));
}

#[test]
fn bad_lexicon_is_bad_input_with_line_number() {
    let lexicon = temp("bad.toml", "allowed = [\"张三\"]\n[[confusion]]\nwrong = 1\n".as_bytes());
    let out = run_stdin(&["-", "--lexicon", s(&lexicon)], "正文".as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("词库文件") && stderr.contains("第 3 行"), "{stderr}");
}

#[test]
fn lexicon_allows_names() {
    let lexicon = temp("unit.toml", "allowed = [\"行式主义\"]\n".as_bytes());
    let out = run_stdin(&["-", "--lexicon", s(&lexicon)], "坚决反对行式主义。".as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A .docx as Word or WPS writes it: a paragraph's text split over several
/// runs, some with properties, and an empty paragraph.
fn docx(paragraphs: &[&[&str]]) -> Vec<u8> {
    let mut body = String::new();
    for runs in paragraphs {
        body.push_str("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>");
        for (k, run) in runs.iter().enumerate() {
            if k % 2 == 1 {
                body.push_str("<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr>");
            } else {
                body.push_str("<w:r>");
            }
            body.push_str(&format!("<w:t xml:space=\"preserve\">{run}</w:t></w:r>"));
        }
        body.push_str("</w:p>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

#[test]
fn docx_typo_across_runs_is_found_at_the_right_place() {
    let bytes = docx(&[&["关于加强作风建设的通知"], &[], &["各支部：", "坚决反对行", "式主义", "和官僚主义。"]]);
    let path = temp("draft.docx", &bytes);
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("3:9 typo 行式主义 → 形式主义"), "{stdout}");
}

fn large_text(bytes: usize) -> String {
    let lines = [
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。\n",
        "各级党组织要切实履行全面从严治党主体责任，推动工作落到实处。\n",
        "要认真贯彻落实会议精神，加强意识形态工作，及时研判处置网络舆情。\n",
    ];
    let mut text = String::with_capacity(bytes + 200);
    let mut k = 0;
    while text.len() < bytes {
        text.push_str(lines[k % lines.len()]);
        k += 1;
    }
    text
}

#[test]
fn large_file_runs_clean() {
    let path = temp("large.txt", large_text(1 << 20).as_bytes());
    let out = run(&[s(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(500)]));
}

/// 50 MB through the binary; slow in debug builds, so run it on demand:
/// `cargo test -p taizhang-proof --release -- --ignored`.
#[test]
#[ignore]
fn fifty_megabyte_file() {
    let path = temp("huge.txt", large_text(50 << 20).as_bytes());
    let out = run(&[s(&path), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_file(path).ok();
}
