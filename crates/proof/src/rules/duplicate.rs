//! 重复: a character or word written twice where the language does not
//! reduplicate (我们们, 加强加强, 的的).

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::model::Model;
use crate::text::is_han;

/// Characters that reduplicate as a matter of grammar (AA adverbs,
/// adjectives, measure words, kinship terms).
const REDUPLICATING: &str = "常天人看谢慢渐刚仅往明纷默深轻个家户处时事年岁层步条种样件头多好大小高早久微稍统匆偏恰星妈爸哥姐弟妹奶爷宝娃姥叔舅伯婆公太猩蝈狒白红绿蓝黑清楚干净整齐认真仔细实在平安欢喜快乐热闹开心冷静悄悄遥远轰烈浩荡滔兢业勤恳踏扎稳切亲密密麻麻斑点滴淋漓一二三四五六七八九十声片句字";

/// Characters that may follow a word ending in the same character
/// (目的的, 会议议程 are not duplicates).
const STANDALONE: &str = "的了是在有和与及对为上下中大人会生发行学";

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let model = Model::get();
    let mut i = 0;
    while i + 1 < c.len() {
        // Whole words repeated: 加强加强.
        if let Some(len) = repeated_word(c, i, model) {
            let word: String = c[i..i + len].iter().collect();
            out.push(Finding::new(
                c,
                i,
                i + 2 * len,
                Category::Duplicate,
                Severity::Warning,
                vec![word.clone()],
                format!("“{word}”重复"),
            ));
            i += 2 * len;
            continue;
        }
        if is_han(c[i]) && c[i] == c[i + 1] && !legit_pair(c, i, model) {
            out.push(Finding::new(
                c,
                i,
                i + 2,
                Category::Duplicate,
                Severity::Error,
                vec![c[i].to_string()],
                format!("“{}”重复", c[i]),
            ));
            i += 2;
            continue;
        }
        i += 1;
    }
}

fn repeated_word(c: &[char], i: usize, model: &Model) -> Option<usize> {
    (2..=4).rev().find(|&len| {
        // The first character repeated is the cheap test that fails
        // almost everywhere.
        i + 2 * len <= c.len()
            && c[i] == c[i + len]
            && c[i..i + len].iter().all(|&x| is_han(x))
            && c[i..i + len] == c[i + len..i + 2 * len]
            && {
                let word: String = c[i..i + len].iter().collect();
                let twice: String = c[i..i + 2 * len].iter().collect();
                // ABAB reduplication of verbs (研究研究) is colloquial, but a
                // dictionary word repeated in official text is a slip.
                model.has_word(&word) && !model.has_word(&twice)
            }
    })
}

fn legit_pair(c: &[char], i: usize, model: &Model) -> bool {
    let x = c[i];
    if REDUPLICATING.contains(x) {
        return true;
    }
    let pair: String = [x, x].iter().collect();
    if model.has_word(&pair) {
        return true;
    }
    // AABB (清清楚楚) and ABB (绿油油) patterns.
    let same = |a: usize, b: usize| c.get(a).is_some() && c.get(b).is_some() && c[a] == c[b];
    if i >= 2 && same(i - 2, i - 1)
        || same(i + 2, i + 3)
        || i >= 1 && is_han(c[i - 1]) && model.has_word(&[c[i - 1], x, x].iter().collect::<String>())
    {
        return true;
    }
    // A word ending in x followed by a word starting with x (大会会议,
    // 目的的): look for a dictionary word on each side.
    let ends_word = (2..=4).any(|n| {
        i + 1 >= n
            && c[i + 1 - n..=i].iter().all(|&y| is_han(y))
            && model.has_word(&c[i + 1 - n..=i].iter().collect::<String>())
    });
    let starts_word =
        (2..=4).any(|n| i + 1 + n <= c.len() && model.has_word(&c[i + 1..i + 1 + n].iter().collect::<String>()));
    ends_word && (starts_word || STANDALONE.contains(x))
}
