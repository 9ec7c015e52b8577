//! The small amount of XML plumbing the .docx parts need.

/// Appends `text` to `out`, escaped for use in element content or in a
/// double-quoted attribute. Characters XML 1.0 forbids (most C0 controls)
/// are dropped rather than escaped: Word refuses such a file outright.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// `text` escaped, as a new string.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Every part starts with this declaration.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Namespace declarations for WordprocessingML parts.
pub const W_NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(escaped("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
        assert_eq!(escaped("中文"), "中文");
    }
}
