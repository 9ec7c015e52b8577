//! Heading numbers (GB/T 9704 / GB/T 15834): 一、 （一） 1. （1） in this
//! order of levels, each in its own form and counted without gaps.

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    /// 一、
    Chinese,
    /// （一）
    ChineseParen,
    /// 1.
    Arabic,
    /// （1）
    ArabicParen,
}

struct Heading {
    level: Level,
    number: u32,
    /// Chars of the line taken by the number and its marks.
    len: usize,
    /// The correct form when the written one is wrong.
    fix: Option<String>,
}

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    let mut last: [Option<u32>; 4] = [None; 4];
    for &(start, end) in &doc.lines {
        let mut s = start;
        while s < end && doc.chars[s].is_whitespace() {
            s += 1;
        }
        let Some(h) = parse(&doc.chars[s..end]) else {
            continue;
        };
        let level = h.level as usize;
        let form = render(h.level, h.number);
        if let Some(fix) = &h.fix {
            out.push(finding(
                doc,
                s,
                s + h.len,
                Severity::Error,
                fix.clone(),
                format!("标题序号格式不规范：应为“{fix}”"),
            ));
        }
        if let Some(prev) = last[level] {
            if h.number != prev + 1 {
                let want = render(h.level, prev + 1);
                out.push(finding(
                    doc,
                    s,
                    s + h.len,
                    Severity::Error,
                    want.clone(),
                    format!("标题序号不连续：“{form}”前一个同级序号是“{}”，此处应为“{want}”", render(h.level, prev)),
                ));
            }
        }
        last[level] = Some(h.number);
        for deeper in &mut last[level + 1..] {
            *deeper = None;
        }
    }
}

fn finding(doc: &Doc, start: usize, end: usize, severity: Severity, suggestion: String, reason: String) -> Finding {
    Finding::new(&doc.chars, start, end, Category::Punctuation, severity, vec![suggestion], reason)
}

fn render(level: Level, n: u32) -> String {
    match level {
        Level::Chinese => format!("{}、", chinese_numeral(n)),
        Level::ChineseParen => format!("（{}）", chinese_numeral(n)),
        Level::Arabic => format!("{n}."),
        Level::ArabicParen => format!("（{n}）"),
    }
}

fn parse(line: &[char]) -> Option<Heading> {
    let first = *line.first()?;
    if first == '（' || first == '(' {
        let close = line.iter().position(|&c| c == '）' || c == ')')?;
        let inner = &line[1..close];
        let (level, number) = if let Some(n) = parse_chinese(inner) {
            (Level::ChineseParen, n)
        } else if !inner.is_empty() && inner.len() <= 2 && inner.iter().all(char::is_ascii_digit) {
            (Level::ArabicParen, inner.iter().collect::<String>().parse().ok()?)
        } else {
            return None;
        };
        let mut len = close + 1;
        let wrong_paren = first == '(' || line[close] == ')';
        let extra = line.get(len).is_some_and(|&c| c == '、' || c == '.' || c == '，');
        if extra {
            len += 1;
        }
        let fix = (wrong_paren || extra).then(|| render(level, number));
        return Some(Heading { level, number, len, fix });
    }
    let digits = line.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        let number: u32 = line[..digits].iter().collect::<String>().parse().ok()?;
        let mark = *line.get(digits)?;
        let after = line.get(digits + 1).copied();
        // 1.5亿 and 3.2 are numbers, not headings.
        if after.is_some_and(|a| a.is_ascii_digit()) {
            return None;
        }
        let fix = match mark {
            '.' => None,
            '、' | '．' | '，' => Some(render(Level::Arabic, number)),
            ')' | '）' => Some(render(Level::ArabicParen, number)),
            _ => return None,
        };
        let level = if matches!(mark, ')' | '）') { Level::ArabicParen } else { Level::Arabic };
        return Some(Heading { level, number, len: digits + 1, fix });
    }
    let n_len = line.iter().take_while(|&&c| "一二三四五六七八九十".contains(c)).count();
    if (1..=3).contains(&n_len) {
        let number = parse_chinese(&line[..n_len])?;
        let mark = *line.get(n_len)?;
        let fix = match mark {
            '、' => None,
            '.' | '．' | '，' => Some(render(Level::Chinese, number)),
            _ => return None,
        };
        return Some(Heading { level: Level::Chinese, number, len: n_len + 1, fix });
    }
    None
}

fn digit_value(c: char) -> Option<u32> {
    "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1)
}

/// 一 … 九十九.
fn parse_chinese(s: &[char]) -> Option<u32> {
    match s {
        ['十'] => Some(10),
        [d] => digit_value(*d),
        ['十', d] => Some(10 + digit_value(*d)?),
        [t, '十'] => Some(10 * digit_value(*t)?),
        [t, '十', d] => Some(10 * digit_value(*t)? + digit_value(*d)?),
        _ => None,
    }
}

fn chinese_numeral(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}
