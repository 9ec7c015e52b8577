//! The .docx reader on damaged and hostile files: whatever the bytes, it
//! answers with text or a Chinese reason, never a panic, and never reads
//! more than its cap.

use proptest::prelude::*;
use std::io::{Cursor, Write};
use taizhang_proof::docx::{extract_text, MAX_DOCUMENT_XML_BYTES};

/// A small Word document: two paragraphs with runs, a tab and a break.
fn docx(xml_body: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let xml = format!(r#"<w:document xmlns:w="x"><w:body>{xml_body}</w:body></w:document>"#);
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

const SAMPLE: &str = r#"<w:p><w:r><w:t>关于加强</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">意识形态 </w:t></w:r></w:p><w:p><w:r><w:br/><w:t>工作的通知</w:t></w:r></w:p>"#;

#[test]
fn the_sample_reads_as_two_lines() {
    assert_eq!(extract_text(&docx(SAMPLE)).unwrap(), "关于加强 意识形态 \n 工作的通知");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_are_refused_or_read(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = extract_text(&bytes);
    }

    /// A real file with bytes changed, cut short or with garbage appended.
    #[test]
    fn damaged_files_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        tail in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = docx(SAMPLE);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        bytes.extend(tail);
        if let Ok(text) = extract_text(&bytes) {
            prop_assert!(text.len() as u64 <= MAX_DOCUMENT_XML_BYTES);
        }
    }

    /// Hostile XML inside a well-formed zip: unbalanced tags, entities,
    /// CDATA, a DOCTYPE.
    #[test]
    fn hostile_xml_never_panics(pieces in prop::collection::vec(prop::sample::select(&[
        "<w:p>", "</w:p>", "<w:p/>", "<w:t>", "</w:t>", "<w:r>", "</w:r>", "<w:tab/>", "<w:br/>", "&amp;", "&lt;",
        "&#0;", "&#xD800;", "&bogus;", "<![CDATA[文]]>", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;", "文字", "<", ">",
        "\"", "\u{0}", "\r\n",
    ][..]), 0..40)) {
        let _ = extract_text(&docx(&pieces.concat()));
    }
}
