//! Page geometry and sizes from GB/T 9704-2012, in OOXML units.
//!
//! Lengths are twips (1/20 pt, 1440 per inch); font sizes are half-points.
//! They are computed from the standard's millimetres so a reader can check
//! each one against the reference rather than trust a magic number.

/// Millimetres to twips, rounded to the nearest twip.
pub const fn mm(mm: u32) -> u32 {
    (mm * 14_400 + 127) / 254
}

/// A4 portrait.
pub const PAGE_WIDTH: u32 = 11_906;
pub const PAGE_HEIGHT: u32 = 16_838;

/// 天头 37 mm.
pub const MARGIN_TOP: u32 = mm(37);
/// 35 mm, so that the text area is 225 mm high.
pub const MARGIN_BOTTOM: u32 = mm(35);
/// 订口 28 mm: the binding edge, so "inside" with mirrored margins.
pub const MARGIN_INSIDE: u32 = mm(28);
/// 26 mm, so that the text area is 156 mm wide.
pub const MARGIN_OUTSIDE: u32 = mm(26);

/// 版心 width (156 mm).
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_INSIDE - MARGIN_OUTSIDE;
/// 版心 height (225 mm).
pub const TEXT_HEIGHT: u32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;

/// "一般每面排22行，每行排28个字".
pub const LINES_PER_PAGE: u32 = 22;
pub const CHARS_PER_LINE: u32 = 28;

/// 3号 (16 pt), the size of everything unless stated otherwise.
pub const SIZE_3HAO: u32 = 32;
/// 2号 (22 pt), the title.
pub const SIZE_2HAO: u32 = 44;
/// 4号 (14 pt), page numbers and 版记.
pub const SIZE_4HAO: u32 = 28;

/// One full-width character of 3号 text, in twips.
pub const CHAR_3HAO: u32 = SIZE_3HAO * 10;
/// One full-width character of 4号 text, in twips.
pub const CHAR_4HAO: u32 = SIZE_4HAO * 10;

/// Grid line pitch: the text area divided into 22 lines (28.95 pt). Every
/// paragraph uses it as exact line spacing, so each page holds 22 lines
/// whatever the fonts' own line heights are.
pub const LINE_PITCH: u32 = TEXT_HEIGHT / LINES_PER_PAGE;

/// `w:charSpace` of the document grid: how much narrower (in 1/4096 pt)
/// than a 16 pt character each of the 28 grid cells must be to fill 156 mm.
pub const CHAR_SPACE: i32 = {
    let default_width = (CHARS_PER_LINE * CHAR_3HAO) as i32;
    let delta = (TEXT_WIDTH as i32 - default_width) * 4096;
    let per_char_twentieths = (CHARS_PER_LINE * 20) as i32;
    // Round half away from zero; the value is negative.
    (delta - per_char_twentieths / 2) / per_char_twentieths
};

/// The page number's 一字线 sits 7 mm below the text area. The footer
/// paragraph is one exact 20 pt line; this puts its middle at that height.
pub const FOOTER_LINE: u32 = 400;
pub const FOOTER_DISTANCE: u32 = MARGIN_BOTTOM - mm(7) - FOOTER_LINE / 2;

/// 版记 rules: first and last 0.35 mm, middle 0.25 mm, in 1/8 pt.
pub const IMPRINT_RULE_THICK: u32 = 8;
pub const IMPRINT_RULE_THIN: u32 = 6;

/// Right indents, in hundredths of a character, for the 署名 and the
/// 成文日期 given their widths in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureIndents {
    pub sender: u32,
    pub date: u32,
}

/// 加盖印章: date 右空四字, 署名 centred over the date.
pub fn sealed_indents(sender_width: f64, date_width: f64) -> SignatureIndents {
    let date = 4.0;
    let sender = (date + (date_width - sender_width) / 2.0).max(0.0);
    hundredths(sender, date)
}

/// 不加盖印章: 署名 右空二字; the date's first character two characters
/// right of the 署名's. A date longer than that leaves 右空二字 and pushes
/// the 署名 left instead.
pub fn unsealed_indents(sender_width: f64, date_width: f64) -> SignatureIndents {
    let mut sender = 2.0;
    let mut date = sender + sender_width - 2.0 - date_width;
    if date < 2.0 {
        date = 2.0;
        sender = date + date_width + 2.0 - sender_width;
    }
    hundredths(sender.max(0.0), date)
}

fn hundredths(sender: f64, date: f64) -> SignatureIndents {
    let h = |chars: f64| (chars * 100.0).round() as u32;
    SignatureIndents { sender: h(sender), date: h(date) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_matches_the_standard() {
        assert_eq!((MARGIN_TOP, MARGIN_BOTTOM, MARGIN_INSIDE, MARGIN_OUTSIDE), (2098, 1984, 1587, 1474));
        // 156 mm × 225 mm, to the twip.
        assert_eq!((TEXT_WIDTH, TEXT_HEIGHT), (8845, 12756));
        assert_eq!(LINE_PITCH, 579);
        // 8845 / 28 = 315.9 twips = 15.795 pt per cell: -0.205 pt × 4096.
        assert_eq!(CHAR_SPACE, -841);
    }

    #[test]
    fn sealed_centres_sender_over_date() {
        // Date "2026年7月5日" is 6 wide; a 9-character sender sits 2.5 in.
        assert_eq!(sealed_indents(9.0, 6.0), SignatureIndents { sender: 250, date: 400 });
        // A very long sender cannot go past the margin.
        assert_eq!(sealed_indents(20.0, 6.0).sender, 0);
    }

    #[test]
    fn unsealed_follows_the_two_character_rules() {
        // Sender 12 wide: starts 14 from the right; date starts 12 from the right.
        assert_eq!(unsealed_indents(12.0, 6.0), SignatureIndents { sender: 200, date: 600 });
        // Short sender: date 右空二字, sender pushed left.
        assert_eq!(unsealed_indents(4.0, 6.0), SignatureIndents { sender: 600, date: 200 });
    }
}
