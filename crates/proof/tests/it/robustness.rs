//! No input makes the checker panic, and findings always point into the text.

use proptest::prelude::*;
use taizhang_proof::{apply_fixes, check, Config};

fn assert_sane(text: &str) {
    let n = text.chars().count();
    let findings = check(text, &Config::default());
    let chars: Vec<char> = text.chars().collect();
    for f in &findings {
        assert!(f.start <= f.end && f.end <= n, "{f:?}");
        assert_eq!(f.original, chars[f.start..f.end].iter().collect::<String>());
    }
    let _ = apply_fixes(text, &findings, |_| true);
}

/// Characters the rules care about, so random strings hit their edge cases.
const ALPHABET: &[char] = &[
    '的', '们', '加', '强', '行', '式', '主', '义', '现', '将', '如', '下', '特', '此', '通', '一', '二', '、', '（',
    '）', '(', ')', '“', '”', '《', '》', '，', '。', ',', '.', '…', '-', '1', '2', '0', '9', 'X', '年', '月', '日',
    '千', '机', '密', '★', '号', '〔', '\n', ' ', '残', '废', '人', '新', '教', '信',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_panic_on_arbitrary_unicode(text in ".{0,200}") {
        assert_sane(&text);
    }

    #[test]
    fn no_panic_on_rule_heavy_text(idx in proptest::collection::vec(0..ALPHABET.len(), 0..120)) {
        let text: String = idx.into_iter().map(|i| ALPHABET[i]).collect();
        assert_sane(&text);
    }
}

#[test]
fn edge_cases() {
    for text in
        ["", "\n", "的", "（", "》", "现将", "2023年0", "2023年03月", "１", "机密", "\u{feff}", "\r\n", "𠀀𠀀𠀀"]
    {
        assert_sane(text);
    }
}
