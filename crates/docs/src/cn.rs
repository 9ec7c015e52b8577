//! Chinese text conventions shared by the documents: dates, ordinal
//! numerals for headings, and the width of a string in characters.

use chrono::{Datelike, NaiveDate};

/// A date as GB/T 9704 writes it: Arabic numerals, the year in full and no
/// leading zeros, e.g. "2026年7月5日".
pub fn format_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The Chinese numeral for a heading ordinal: 1 → "一", 10 → "十",
/// 21 → "二十一". Numbers outside 1..=99 fall back to Arabic digits, which
/// no real report reaches but which must not panic.
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => {
            let ones = if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] };
            format!("{}十{}", DIGITS[n / 10], ones)
        }
        _ => n.to_string(),
    }
}

/// Width of `s` in full-width characters: ASCII and other half-width
/// characters count as one half. Used to place the 署名 and 成文日期, which
/// the standard positions in characters, and to break titles.
pub fn display_width(s: &str) -> f64 {
    s.chars().map(char_width).sum()
}

/// Width of one character, as in [`display_width`].
pub fn char_width(c: char) -> f64 {
    match c {
        // Dashes, curly quotes and the ellipsis take a full cell in CJK fonts.
        '\u{2014}' | '\u{2018}'..='\u{201D}' | '\u{2026}' => 1.0,
        // Latin, digits and half-width forms occupy half a CJK cell.
        _ if (c as u32) < 0x2E80 || ('\u{FF61}'..='\u{FFDC}').contains(&c) => 0.5,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_no_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
        assert_eq!(format_date(d), "2026年7月5日");
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(format_date(d), "2026年12月31日");
    }

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 3, 10, 11, 20, 21, 99, 100, 0].map(numeral).to_vec();
        assert_eq!(got, ["一", "三", "十", "十一", "二十", "二十一", "九十九", "100", "0"]);
    }

    #[test]
    fn widths() {
        assert_eq!(display_width("2026年7月5日"), 6.0);
        assert_eq!(display_width("中共某县民政局党组"), 9.0);
    }
}
