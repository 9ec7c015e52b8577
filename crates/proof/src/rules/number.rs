//! 数字用法 (GB/T 15835-2011): mechanically checkable rules only.
//! - dates with leading zeros (2023年03月05日 → 2023年3月5日) in official
//!   documents;
//! - full-width digits (２０２３) where half-width Arabic numerals are meant;
//! - Arabic numerals with 千/百 as units (3千 → 3000).

use crate::config::Config;
use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};

pub fn check(doc: &Doc, config: &Config, out: &mut Vec<Finding>) {
    if config.official_document {
        leading_zero_dates(doc, out);
    }
    full_width_digits(doc, out);
    arabic_with_units(doc, out);
}

fn digits_at(c: &[char], i: usize) -> usize {
    c[i..].iter().take_while(|d| d.is_ascii_digit()).count()
}

fn leading_zero_dates(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let y = digits_at(c, i);
        // yyyy年mm月[dd日]
        let m_at = i + y + 1;
        if y != 4 || c.get(i + y) != Some(&'年') || m_at >= c.len() {
            i += y.max(1);
            continue;
        }
        let m = digits_at(c, m_at);
        if m == 0 || c.get(m_at + m) != Some(&'月') {
            i += y;
            continue;
        }
        let mut end = m_at + m + 1;
        let mut zero = m == 2 && c[m_at] == '0';
        let d_at = end;
        let d = if d_at < c.len() { digits_at(c, d_at) } else { 0 };
        if d > 0 && c.get(d_at + d) == Some(&'日') {
            zero |= d == 2 && c[d_at] == '0';
            end = d_at + d + 1;
        }
        if zero {
            let original: String = c[i..end].iter().collect();
            let fixed = strip_date_zeros(&original);
            out.push(Finding::new(
                c,
                i,
                end,
                Category::Number,
                Severity::Error,
                vec![fixed.clone()],
                format!("公文日期中的月、日不编虚位：“{original}”应为“{fixed}”"),
            ));
        }
        i = end;
    }
}

fn strip_date_zeros(date: &str) -> String {
    let mut out = String::new();
    let mut prev_is_unit = false;
    for ch in date.chars() {
        if ch == '0' && prev_is_unit {
            continue;
        }
        prev_is_unit = ch == '年' || ch == '月';
        out.push(ch);
    }
    out
}

fn full_width_digits(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    let mut i = 0;
    while i < c.len() {
        if !('０'..='９').contains(&c[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < c.len() && ('０'..='９').contains(&c[i]) {
            i += 1;
        }
        let fixed: String = c[start..i].iter().map(|&d| char::from(b'0' + (d as u32 - '０' as u32) as u8)).collect();
        out.push(Finding::new(
            c,
            start,
            i,
            Category::Number,
            Severity::Warning,
            vec![fixed],
            "阿拉伯数字应使用半角形式",
        ));
    }
}

fn arabic_with_units(doc: &Doc, out: &mut Vec<Finding>) {
    let c = &doc.chars;
    for i in 1..c.len() {
        let zeros = match c[i] {
            '千' => 3,
            '百' => 2,
            _ => continue,
        };
        if !c[i - 1].is_ascii_digit() {
            continue;
        }
        let mut start = i - 1;
        while start > 0 && c[start - 1].is_ascii_digit() {
            start -= 1;
        }
        // 3千万 / 5百亿 mix two units; leave those to a person.
        if matches!(c.get(i + 1), Some('万' | '亿')) || (start > 0 && c[start - 1] == '.') {
            continue;
        }
        let number: String = c[start..i].iter().collect();
        let fixed = format!("{number}{}", "0".repeat(zeros));
        out.push(Finding::new(
            c,
            start,
            i + 1,
            Category::Number,
            Severity::Warning,
            vec![fixed.clone()],
            format!("阿拉伯数字不与“{}”连用：应写作“{fixed}”", c[i]),
        ));
    }
}
