//! Text of a .docx: the paragraphs of word/document.xml, one per line, so
//! that line:col positions can be found in Word. Runs (<w:r>) of a
//! paragraph are joined; tabs and breaks become spaces to keep one line per
//! paragraph.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// The most `word/document.xml` may inflate to. A 300-page report is a few
/// MB of XML; a zip bomb (a small file that inflates to gigabytes) is
/// stopped here instead of filling memory.
pub const MAX_DOCUMENT_XML_BYTES: u64 = 24 * 1024 * 1024;

/// The most entries a .docx may list. Word writes about a dozen, a
/// document with many images a few hundred.
pub const MAX_ENTRIES: usize = 5_000;

/// Extracts the paragraph text; the error is a Chinese description.
pub fn extract_text(bytes: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("不是有效的 .docx（zip）文件：{e}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("文件包含的部件超过{MAX_ENTRIES}个，不像是 Word 文档"));
    }
    let entry = archive.by_name("word/document.xml").map_err(|_| "缺少 word/document.xml".to_string())?;
    // The declared size may lie; `take` bounds what is actually inflated.
    let mut xml = Vec::new();
    entry
        .take(MAX_DOCUMENT_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("word/document.xml 无法读取：{e}"))?;
    if xml.len() as u64 > MAX_DOCUMENT_XML_BYTES {
        return Err(format!(
            "word/document.xml 解压后超过{}MB，文件过大或已损坏",
            MAX_DOCUMENT_XML_BYTES / (1024 * 1024)
        ));
    }
    let xml = String::from_utf8(xml).map_err(|_| "word/document.xml 不是有效的 UTF-8 文本".to_string())?;
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

    fn docx_with(xml_len: usize) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", deflated).unwrap();
        let head = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>";
        zip.write_all(head.as_bytes()).unwrap();
        let filler = vec![b'a'; 1 << 20];
        let mut left = xml_len.saturating_sub(head.len());
        while left > 0 {
            let n = left.min(filler.len());
            zip.write_all(&filler[..n]).unwrap();
            left -= n;
        }
        zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_document_that_inflates_past_the_cap_is_refused_without_reading_it_all() {
        let bomb = docx_with(MAX_DOCUMENT_XML_BYTES as usize + 1024);
        assert!(bomb.len() < 200 * 1024, "the test file is a small bomb: {} bytes", bomb.len());
        let err = extract_text(&bomb).unwrap_err();
        assert!(err.contains("解压后超过24MB"), "{err}");
    }

    #[test]
    fn a_document_below_the_cap_is_read() {
        let text = extract_text(&docx_with(1024)).unwrap();
        assert!(text.starts_with("aaa"), "{text}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..=MAX_ENTRIES {
            zip.start_file(format!("{i}"), stored).unwrap();
        }
        let err = extract_text(&zip.finish().unwrap().into_inner()).unwrap_err();
        assert!(err.contains("部件超过"), "{err}");
    }
}
