//! Reading generated OOXML packages back, for the integration tests.
#![allow(dead_code)] // each test binary uses a different part of this

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The text of one part of a zip package.
pub fn part(package: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|_| panic!("part {name} missing"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 part");
    text
}

/// Names of all entries of a zip package, in archive order.
pub fn part_names(package: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("a zip");
    (0..zip.len()).map(|i| zip.by_index(i).expect("entry").name().expect("UTF-8 name").to_string()).collect()
}

/// Attributes of an element, by qualified name.
pub type Attrs = HashMap<String, String>;

fn attrs(e: &BytesStart) -> Attrs {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let value = a.unescape_value().expect("escaped value").into_owned();
            (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
        })
        .collect()
}

/// Every element named `name` (e.g. "w:pgSz"), in document order. Panics if
/// the XML is not well-formed, so every use also checks that.
pub fn elements(xml: &str, name: &str) -> Vec<Attrs> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name.as_bytes() => found.push(attrs(&e)),
            Event::Eof => return found,
            _ => {}
        }
    }
}

/// The single element named `name`.
pub fn element(xml: &str, name: &str) -> Attrs {
    let all = elements(xml, name);
    assert_eq!(all.len(), 1, "expected one <{name}>, found {}", all.len());
    all.into_iter().next().unwrap_or_default()
}

/// A paragraph of document.xml as a reader sees it.
#[derive(Debug, Default, Clone)]
pub struct Para {
    pub style: String,
    pub text: String,
    /// Direct `w:ind` attributes.
    pub ind: Attrs,
    /// Character styles of its runs, in order.
    pub run_styles: Vec<String>,
    pub highlighted: bool,
    pub keep_next: bool,
}

/// The body paragraphs outside tables, in order.
pub fn paragraphs(document_xml: &str) -> Vec<Para> {
    let mut reader = Reader::from_str(document_xml);
    let (mut paras, mut current, mut in_text, mut table_depth) = (Vec::new(), None::<Para>, false, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_vec();
                match name.as_slice() {
                    b"w:tbl" => table_depth += 1,
                    b"w:p" if table_depth == 0 => current = Some(Para::default()),
                    _ => {}
                }
                if let Some(p) = current.as_mut() {
                    let a = attrs(&e);
                    match name.as_slice() {
                        b"w:pStyle" => p.style = a["w:val"].clone(),
                        b"w:ind" => p.ind = a,
                        b"w:rStyle" => p.run_styles.push(a["w:val"].clone()),
                        b"w:highlight" => p.highlighted = true,
                        b"w:keepNext" => p.keep_next = true,
                        b"w:br" => p.text.push('\n'),
                        b"w:t" => in_text = true,
                        _ => {}
                    }
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = current.as_mut() {
                    p.text.push_str(&t.unescape().expect("escaped text"));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:tbl" => table_depth -= 1,
                b"w:p" => paras.extend(current.take()),
                _ => {}
            },
            Event::Eof => return paras,
            _ => {}
        }
    }
}

/// The `w:style` element with this id, as raw XML.
pub fn style_xml<'a>(styles: &'a str, id: &str) -> &'a str {
    let start = styles.find(&format!(r#"w:styleId="{id}""#)).unwrap_or_else(|| panic!("style {id} missing"));
    let end = styles[start..].find("</w:style>").map_or(styles.len(), |e| start + e);
    &styles[start..end]
}
