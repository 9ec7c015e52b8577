//! 个人信息: ID numbers, mobile numbers and bank cards must not be
//! published. Never auto-corrected: a person decides how to redact.

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    let chars = &doc.chars;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && is_number_char(chars[i - 1])) {
            i += 1;
            continue;
        }
        // A run of digits, allowing single spaces or hyphens between groups
        // (138-1234-5678, 6222 0212 3456 7890).
        let start = i;
        let mut digits = String::new();
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits.push(c);
                j += 1;
                end = j;
            } else if (c == ' ' || c == '-') && chars.get(j + 1).is_some_and(|d| d.is_ascii_digit()) && j > start {
                j += 1;
            } else if (c == 'X' || c == 'x') && digits.len() == 17 {
                digits.push('X');
                j += 1;
                end = j;
                break;
            } else {
                break;
            }
        }
        i = end.max(i + 1);
        if chars.get(end).is_some_and(|c| is_number_char(*c)) {
            continue;
        }
        let kind = if digits.len() == 18 && is_id_number(&digits) {
            "居民身份证号码"
        } else if digits.len() == 11 && is_mobile(&digits) {
            "手机号码"
        } else if (16..=19).contains(&digits.len()) && is_bank_card(&digits) {
            "银行卡号"
        } else {
            continue;
        };
        out.push(Finding::new(
            chars,
            start,
            end,
            Category::PersonalInfo,
            Severity::Error,
            Vec::new(),
            format!("疑似{kind}，属于个人信息，公开发布前须删除或脱敏"),
        ));
    }
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.'
}

/// GB 11643-1999: 6-digit region, birth date, sequence, ISO 7064 MOD 11-2
/// check character.
pub fn is_id_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || b[0] == b'0' || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// Mainland mobile numbers: 11 digits starting 13–19.
pub fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// Card numbers of the major schemes (UnionPay 62, Visa 4, Mastercard 5,
/// 3 for JCB/Amex) that pass the Luhn check.
pub fn is_bank_card(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) || !(b'3'..=b'6').contains(&b[0]) {
        return false;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(k, d)| {
            let d = u32::from(d - b'0');
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}
