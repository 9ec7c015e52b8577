//! The OPC package around document.xml: content types, relationships,
//! settings, footers, properties, and the zip that holds them.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::body::{document_xml, FOOTER_EVEN_RID, FOOTER_ODD_RID};
use super::layout::CHAR_4HAO;
use super::styles::{font_table_xml, id, styles_xml};
use super::xml::{escaped, DECLARATION, W_NS};
use super::{Document, PageNumbers};
use crate::DocsError;

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument";

/// Writes `doc` as a .docx package.
///
/// The output depends only on `doc` (fixed zip timestamps, no creation
/// time), so the same draft always gives the same bytes and hash.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, DocsError> {
    doc.validate()?;
    let (odd, even) = footers(doc.page_numbers);
    let parts: [(&str, String); 11] = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core_properties(doc)),
        ("docProps/app.xml", app_properties()),
        ("word/document.xml", document_xml(doc)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/footer1.xml", odd),
        ("word/footer2.xml", even),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types() -> String {
    let overrides = [
        ("/word/document.xml", format!("{CT}.wordprocessingml.document.main+xml")),
        ("/word/styles.xml", format!("{CT}.wordprocessingml.styles+xml")),
        ("/word/settings.xml", format!("{CT}.wordprocessingml.settings+xml")),
        ("/word/fontTable.xml", format!("{CT}.wordprocessingml.fontTable+xml")),
        ("/word/footer1.xml", format!("{CT}.wordprocessingml.footer+xml")),
        ("/word/footer2.xml", format!("{CT}.wordprocessingml.footer+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".into()),
        ("/docProps/app.xml", format!("{CT}.extended-properties+xml")),
    ];
    let mut out = format!(
        concat!(
            r#"{}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#
        ),
        DECLARATION
    );
    for (part, ct) in overrides {
        out.push_str(&format!(r#"<Override PartName="{part}" ContentType="{ct}"/>"#));
    }
    out.push_str("</Types>");
    out
}

fn relationships(rels: &[(&str, String, &str)]) -> String {
    let mut out =
        format!(r#"{DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for (rid, kind, target) in rels {
        out.push_str(&format!(r#"<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>"#));
    }
    out.push_str("</Relationships>");
    out
}

fn package_rels() -> String {
    relationships(&[
        ("rId1", format!("{REL}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(),
            "docProps/core.xml",
        ),
        ("rId3", format!("{REL}/extended-properties"), "docProps/app.xml"),
    ])
}

fn document_rels() -> String {
    relationships(&[
        ("rIdStyles", format!("{REL}/styles"), "styles.xml"),
        ("rIdSettings", format!("{REL}/settings"), "settings.xml"),
        ("rIdFonts", format!("{REL}/fontTable"), "fontTable.xml"),
        (FOOTER_ODD_RID, format!("{REL}/footer"), "footer1.xml"),
        (FOOTER_EVEN_RID, format!("{REL}/footer"), "footer2.xml"),
    ])
}

fn core_properties(doc: &Document) -> String {
    let title: Vec<&str> = doc.title.iter().map(|l| l.trim()).collect();
    let creator = doc.signature.as_ref().map(|s| s.sender.as_str()).unwrap_or("");
    format!(
        concat!(
            r#"{}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator>{}"#,
            "</cp:coreProperties>"
        ),
        DECLARATION,
        escaped(&title.concat()),
        escaped(creator),
        doc.description
            .as_deref()
            .map(|d| format!("<dc:description>{}</dc:description>", escaped(d)))
            .unwrap_or_default()
    )
}

fn app_properties() -> String {
    format!(
        r#"{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>taizhang</Application></Properties>"#
    )
}

/// Mirrored margins make the 28 mm 订口 the inside edge on both sides of a
/// sheet; even/odd footers put the page number on the outer edge.
fn settings_xml() -> String {
    format!(
        concat!(
            "{}<w:settings {}><w:mirrorMargins/><w:defaultTabStop w:val=\"420\"/>",
            r#"<w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>"#,
            r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
            r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"#
        ),
        DECLARATION, W_NS
    )
}

/// (odd-page footer, even-page footer).
fn footers(style: PageNumbers) -> (String, String) {
    match style {
        // 单页码居右空一字，双页码居左空一字.
        PageNumbers::OuterEdge => (
            footer_xml(&format!(r#"<w:ind w:right="{CHAR_4HAO}"/><w:jc w:val="right"/>"#)),
            footer_xml(&format!(r#"<w:ind w:left="{CHAR_4HAO}"/><w:jc w:val="left"/>"#)),
        ),
        PageNumbers::Centred => {
            let centred = footer_xml(r#"<w:jc w:val="center"/>"#);
            (centred.clone(), centred)
        }
    }
}

/// "— N —": 4号 半角宋体 digits from a PAGE field between two 一字线. The
/// dashes carry the east-Asian hint so they take the CJK font's full-width
/// glyph rather than a Latin em dash.
fn footer_xml(ppr: &str) -> String {
    let dash = |text: &str| {
        format!(r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    };
    format!(
        concat!(
            r#"{decl}<w:ftr {ns}><w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{open}"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
            r#"<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>{close}</w:p></w:ftr>"#
        ),
        decl = DECLARATION,
        ns = W_NS,
        style = id::FOOTER,
        ppr = ppr,
        open = dash("— "),
        close = dash(" —"),
    )
}
