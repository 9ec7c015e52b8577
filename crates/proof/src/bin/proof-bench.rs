//! `proof-bench [MB] [FILE]`: throughput of `check` with every category
//! enabled, on one thread, over MB megabytes (default 8) of text: FILE
//! repeated (for a CSC set, its source sentences), or generated
//! official-style sentences when no FILE is given.

use std::time::Instant;
use taizhang_proof::{check, Config};

/// Sentences of the kind the publishing review sees, some with errors.
const SENTENCES: [&str; 8] = [
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
    "各级党组织要切实履行全面从严治党主体责任，推动工作落到实处。",
    "要认真贯彻落实会议精神，加强意识形态工作，及时研判处置网络舆情。",
    "现将2023年上半年工作情况报告如下：",
    "坚决反对行式主义和官僚主义，持续深化作风建设。",
    "一、总体要求\n（一）指导思想\n1.坚持党的领导，加强统筹协调。",
    "联系人：王伟，电话：010-12345678。",
    "区民政局党组召开专题民主生活会，班子成员逐一开展批评与自我批评。",
];

fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(8);
    let sentences: Vec<String> = match std::env::args().nth(2) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(src) => src.lines().map(|l| l.split('\t').nth(1).unwrap_or(l).to_string()).collect(),
            Err(e) => {
                eprintln!("无法读取 {path}：{e}");
                std::process::exit(2);
            }
        },
        None => SENTENCES.iter().map(|s| s.to_string()).collect(),
    };
    let mut text = String::new();
    let mut k = 0;
    while text.len() < mb << 20 && !sentences.is_empty() {
        text.push_str(&sentences[k % sentences.len()]);
        text.push('\n');
        k += 1;
    }
    let config = Config::default();
    // Build the shared model first: startup is not throughput.
    let _ = check("预热", &config);
    let started = Instant::now();
    let mut findings = 0;
    // Drafts are checked one at a time; 64 KB is a long draft.
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(64 << 10);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        findings += check(&rest[..cut], &config).len();
        rest = &rest[cut..];
    }
    let secs = started.elapsed().as_secs_f64();
    let size = text.len() as f64 / (1 << 20) as f64;
    println!("{size:.1} MB in {secs:.2} s: {:.2} MB/s ({findings} findings)", size / secs);
}
