//! 标点符号 (GB/T 15834-2011): the mechanically checkable rules.

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::text::is_han;

mod headings;

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    half_width(doc, out);
    repeated(doc, out);
    for (k, &(start, end)) in doc.lines.iter().enumerate() {
        let next_line = doc.lines.get(k + 1).map(|&(s, e)| &doc.chars[s..e]);
        pairs(doc, start, end, next_line, out);
    }
    headings::check(doc, out);
}

fn push(
    doc: &Doc,
    start: usize,
    end: usize,
    severity: Severity,
    suggestion: Option<String>,
    reason: String,
    out: &mut Vec<Finding>,
) {
    out.push(Finding::new(
        &doc.chars,
        start,
        end,
        Category::Punctuation,
        severity,
        suggestion.into_iter().collect(),
        reason,
    ));
}

/// Half-width punctuation next to Chinese text: 我们,你们 → 我们，你们.
fn half_width(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let mut quotes = 0usize;
    for i in 0..c.len() {
        if c[i] == '\n' {
            quotes = 0;
        }
        let prev = if i > 0 { Some(c[i - 1]) } else { None };
        let next = c.get(i + 1).copied();
        let han_before = prev.is_some_and(is_han);
        let han_after = next.is_some_and(is_han);
        let full = match c[i] {
            ',' => '，',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            ':' if !(prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())) => '：',
            '(' => '（',
            ')' => '）',
            '.' if han_before && !next.is_some_and(|n| n.is_ascii_alphanumeric()) => '。',
            '"' => {
                quotes += 1;
                if quotes % 2 == 1 {
                    '“'
                } else {
                    '”'
                }
            }
            _ => continue,
        };
        let relevant = match c[i] {
            '(' => {
                han_before
                    || han_after
                    || next.is_some_and(|n| n.is_ascii_digit()) && c.get(i + 2).is_some_and(|&x| x == ')')
            }
            ')' => han_before || han_after,
            '"' => han_before || han_after,
            '.' => true,
            _ => han_before || (han_after && prev.is_none_or(|p| !p.is_ascii_alphanumeric())),
        };
        if relevant {
            push(
                doc,
                i,
                i + 1,
                Severity::Error,
                Some(full.to_string()),
                format!("中文文本中应使用全角标点“{full}”，不应使用半角“{}”", c[i]),
                out,
            );
        }
    }
}

/// ，。、；：, which may not be doubled or stand side by side (a `match`
/// rather than `str::contains`: this runs on every character).
fn is_sentence_mark(c: char) -> bool {
    matches!(c, '，' | '。' | '、' | '；' | '：')
}

/// ，， / 。。 / ，。 and …… written as 。。。 or ...
fn repeated(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let mut i = 0;
    while i < c.len() {
        let run = c[i..].iter().take_while(|&&x| x == c[i]).count();
        if (c[i] == '。' || c[i] == '.') && run >= 3 && (c[i] == '。' || i > 0 && is_han(c[i - 1])) {
            push(doc, i, i + run, Severity::Error, Some("……".into()), "省略号应使用“……”".into(), out);
            i += run;
            continue;
        }
        if c[i] == '…' && run == 1 {
            push(doc, i, i + 1, Severity::Warning, Some("……".into()), "省略号应为两个“…”连用：“……”".into(), out);
        } else if is_sentence_mark(c[i]) && run >= 2 {
            push(doc, i, i + run, Severity::Error, Some(c[i].to_string()), format!("标点“{}”重复", c[i]), out);
        } else if is_sentence_mark(c[i]) && c.get(i + 1).is_some_and(|&n| is_sentence_mark(n)) {
            push(doc, i, i + 2, Severity::Error, None, format!("标点“{}{}”连用", c[i], c[i + 1]), out);
            i += 2;
            continue;
        } else if matches!(c[i], '！' | '？') && run >= 2 {
            push(doc, i, i + run, Severity::Warning, Some(c[i].to_string()), format!("公文中不宜连用“{}”", c[i]), out);
        } else if c[i] == '-' && run == 2 && (i > 0 && is_han(c[i - 1]) || c.get(i + 2).is_some_and(|&n| is_han(n))) {
            push(doc, i, i + 2, Severity::Error, Some("——".into()), "破折号应使用“——”".into(), out);
        }
        i += run;
    }
}

fn closing_of(open: char) -> Option<char> {
    Some(match open {
        '“' => '”',
        '‘' => '’',
        '（' => '）',
        '《' => '》',
        '〈' => '〉',
        '【' => '】',
        '〔' => '〕',
        '［' => '］',
        _ => return None,
    })
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '）' | '》' | '〉' | '】' | '〕' | '］')
}

/// Unmatched quotation marks and brackets within a paragraph, and 《》 or
/// “” nested in themselves (the inner pair should be 〈〉 or ‘’).
fn pairs(doc: &Doc, start: usize, end: usize, next_line: Option<&[char]>, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    // Open marks not yet closed: (position, mark).
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (i, &ch) in c.iter().enumerate().take(end).skip(start) {
        if closing_of(ch).is_some() {
            if ch == '《' && stack.iter().any(|&(_, o)| o == '《') {
                push(
                    doc,
                    i,
                    i + 1,
                    Severity::Error,
                    Some("〈".into()),
                    "书名号内再用书名号时，内层应使用单书名号“〈〉”".into(),
                    out,
                );
            } else if ch == '“' && stack.iter().any(|&(_, o)| o == '“') {
                push(
                    doc,
                    i,
                    i + 1,
                    Severity::Warning,
                    Some("‘".into()),
                    "双引号内再用引号时，内层应使用单引号“‘’”".into(),
                    out,
                );
            }
            stack.push((i, ch));
        } else if is_closing(ch) {
            match stack.iter().rposition(|&(_, o)| closing_of(o) == Some(ch)) {
                Some(k) => {
                    let open = stack[k].1;
                    // Report brackets left open inside this pair.
                    for &(p, o) in &stack[k + 1..] {
                        unmatched(doc, p, o, out);
                    }
                    stack.truncate(k);
                    if open == '《' && stack.iter().any(|&(_, o)| o == '《') {
                        push(
                            doc,
                            i,
                            i + 1,
                            Severity::Error,
                            Some("〉".into()),
                            "书名号内再用书名号时，内层应使用单书名号“〈〉”".into(),
                            out,
                        );
                    }
                }
                None => push(doc, i, i + 1, Severity::Error, None, format!("“{ch}”没有与之配对的前半个符号"), out),
            }
        }
    }
    for &(p, o) in &stack {
        // A quotation running over several paragraphs opens each of them
        // and closes only at its end (GB/T 15834 4.1.3.4).
        let continues =
            matches!(o, '“' | '‘') && next_line.is_some_and(|l| l.iter().find(|x| !x.is_whitespace()) == Some(&o));
        if !continues {
            unmatched(doc, p, o, out);
        }
    }
}

fn unmatched(doc: &Doc, at: usize, open: char, out: &mut Vec<Finding>) {
    push(doc, at, at + 1, Severity::Error, None, format!("“{open}”没有与之配对的后半个符号"), out);
}
