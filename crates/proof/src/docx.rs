//! Text of a .docx: the paragraphs of word/document.xml, one per line, so
//! that line:col positions can be found in Word. Runs (<w:r>) of a
//! paragraph are joined; tabs and breaks become spaces to keep one line per
//! paragraph.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// Extracts the paragraph text; the error is a Chinese description.
pub fn extract_text(bytes: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("不是有效的 .docx（zip）文件：{e}"))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "缺少 word/document.xml".to_string())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("word/document.xml 无法读取：{e}"))?;
    paragraphs(&xml)
}

fn paragraphs(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    let mut first = true;
    loop {
        match reader.read_event().map_err(|e| format!("document.xml 格式错误：{e}"))? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"p" => {
                    if !first {
                        out.push('\n');
                    }
                    first = false;
                }
                b"t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    if !first {
                        out.push('\n');
                    }
                    first = false;
                }
                b"tab" | b"br" => out.push(' '),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"t" => in_text = false,
            Event::Text(t) if in_text => {
                let text = t.unescape().map_err(|e| format!("document.xml 文本无法解码：{e}"))?;
                // A paragraph stays one line whatever the text contains.
                out.extend(text.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
            }
            Event::CData(t) if in_text => out.push_str(&String::from_utf8_lossy(&t)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_joined_and_paragraphs_are_lines() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>总</w:t></w:r><w:r><w:t xml:space="preserve">休&amp;</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>二</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).unwrap(), "总休&\n\n二");
    }
}
