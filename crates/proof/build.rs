//! Compiles the word list of jieba's dictionary (MIT licence, shipped in the
//! `jieba-rs` crate package that cargo downloads as a build dependency) into
//! `$OUT_DIR/words.txt`: one `word<TAB>frequency` line per word made only of
//! Han characters, at most 16 characters long. The typo check and the
//! segmenter read it with `include_str!` (see `src/model.rs`).
//!
//! The package is found in cargo's registry sources
//! (`$CARGO_HOME/registry/src/*/jieba-rs-0.11.*/src/data/dict.txt`, where
//! `CARGO_HOME` defaults to `~/.cargo`), or at the path given in
//! `TAIZHANG_JIEBA_DICT`. The build fails with a message when neither exists.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const JIEBA_PREFIX: &str = "jieba-rs-0.11.";
const MAX_CHARS: usize = 16;

fn main() {
    println!("cargo:rerun-if-env-changed=TAIZHANG_JIEBA_DICT");
    println!("cargo:rerun-if-env-changed=CARGO_HOME");
    println!("cargo:rerun-if-changed=build.rs");
    let dict = match locate() {
        Ok(p) => p,
        Err(searched) => {
            eprintln!(
                "taizhang-proof: jieba's dictionary (dict.txt of the jieba-rs 0.11 crate package) \
                 was not found. Searched: {searched}. Run `cargo fetch` so that cargo downloads \
                 jieba-rs into its registry, or set TAIZHANG_JIEBA_DICT to the file's path."
            );
            std::process::exit(1);
        }
    };
    println!("cargo:rerun-if-changed={}", dict.display());
    let src = fs::read_to_string(&dict).unwrap_or_else(|e| panic!("cannot read {}: {e}", dict.display()));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut out = Vec::with_capacity(src.len());
    let mut n = 0usize;
    for line in src.lines() {
        let mut cols = line.split_whitespace();
        let (Some(word), Some(freq)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(freq) = freq.parse::<u64>() else {
            continue;
        };
        let chars = word.chars().count();
        if chars == 0 || chars > MAX_CHARS || !word.chars().all(is_han) {
            continue;
        }
        writeln!(out, "{word}\t{}", freq.min(u32::MAX as u64)).unwrap();
        n += 1;
    }
    assert!(n > 100_000, "{} holds only {n} words", dict.display());
    fs::write(out_dir.join("words.txt"), out).expect("write words.txt");
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// The dictionary's path, or a description of where it was looked for.
fn locate() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("TAIZHANG_JIEBA_DICT") {
        let p = PathBuf::from(p);
        return if p.is_file() { Ok(p) } else { Err(format!("TAIZHANG_JIEBA_DICT={}", p.display())) };
    }
    let mut homes = Vec::new();
    if let Some(h) = std::env::var_os("CARGO_HOME") {
        homes.push(PathBuf::from(h));
    }
    if let Some(h) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
        homes.push(PathBuf::from(h).join(".cargo"));
    }
    let mut searched = Vec::new();
    for home in homes {
        let registry = home.join("registry").join("src");
        searched.push(format!("{}/*/{JIEBA_PREFIX}*", registry.display()));
        if let Some(p) = newest_in_registry(&registry) {
            return Ok(p);
        }
    }
    // A vendored checkout (`cargo vendor`) next to the workspace.
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"));
    for vendor in manifest.ancestors().map(|a| a.join("vendor")) {
        if let Some(p) = newest_in(&vendor) {
            return Ok(p);
        }
    }
    Err(searched.join(", "))
}

fn newest_in_registry(registry: &Path) -> Option<PathBuf> {
    let mut found: Vec<(Vec<u64>, PathBuf)> = Vec::new();
    for index in fs::read_dir(registry).ok()?.flatten() {
        if let Some(p) = newest_in(&index.path()) {
            found.push((version_of(&p), p));
        }
    }
    found.sort();
    found.pop().map(|(_, p)| p)
}

/// The dict.txt of the newest jieba-rs 0.11.x package directly in `dir`.
fn newest_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<(Vec<u64>, PathBuf)> = Vec::new();
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let dict = entry.path().join("src").join("data").join("dict.txt");
        if (name.starts_with(JIEBA_PREFIX) || name == "jieba-rs") && dict.is_file() {
            found.push((version_of(&dict), dict));
        }
    }
    found.sort();
    found.pop().map(|(_, p)| p)
}

fn version_of(dict: &Path) -> Vec<u64> {
    dict.ancestors()
        .nth(3)
        .and_then(|d| d.file_name())
        .map(|n| {
            n.to_string_lossy().trim_start_matches("jieba-rs-").split('.').map(|x| x.parse().unwrap_or(0)).collect()
        })
        .unwrap_or_default()
}
