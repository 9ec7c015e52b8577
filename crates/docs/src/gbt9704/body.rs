//! word/document.xml: the elements of the 主体 and 版记 in the order and
//! places the standard gives them.

use super::layout::{
    self, CHAR_4HAO, CHAR_SPACE, FOOTER_DISTANCE, IMPRINT_RULE_THICK, IMPRINT_RULE_THIN, LINE_PITCH, MARGIN_BOTTOM,
    MARGIN_INSIDE, MARGIN_OUTSIDE, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, TEXT_WIDTH,
};
use super::styles::id;
use super::xml::{push_escaped, DECLARATION, W_NS};
use super::{Block, Document, Imprint, Inline, Level, Signature, SignatureLayout};
use crate::cn::{display_width, format_date};

/// Relationship ids of the two footers, shared with the package writer.
pub const FOOTER_ODD_RID: &str = "rIdFooterOdd";
pub const FOOTER_EVEN_RID: &str = "rIdFooterEven";

pub fn document_xml(doc: &Document) -> String {
    let mut out = format!("{DECLARATION}<w:document {W_NS}><w:body>");
    title(&mut out, &doc.title);
    blank_lines(&mut out, 1, "");
    if let Some(addressee) = &doc.addressee {
        paragraph(&mut out, id::ADDRESSEE, "", |o| text_run(o, None, &with_colon(addressee)));
    }
    // The last 正文 line travels with the 署名 to a new page: a page with
    // only the signature on it is what the standard forbids.
    let keep_last = doc.signature.is_some();
    for (i, block) in doc.body.iter().enumerate() {
        let keep = keep_last && i + 1 == doc.body.len();
        body_block(&mut out, block, if keep { KEEP_NEXT } else { "" });
    }
    if let Some(signature) = &doc.signature {
        signature_block(&mut out, signature);
    }
    if let Some(note) = &doc.note {
        paragraph(&mut out, id::NOTE, "", |o| text_run(o, None, &format!("（{note}）")));
    }
    if let Some(imprint) = &doc.imprint {
        imprint_table(&mut out, imprint);
    }
    section_properties(&mut out);
    out.push_str("</w:body></w:document>");
    out
}

/// A paragraph with a style, extra direct paragraph properties (already in
/// schema order after `w:pStyle`) and runs written by `runs`.
fn paragraph(out: &mut String, style: &str, ppr: &str, runs: impl FnOnce(&mut String)) {
    out.push_str(&format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>"#));
    runs(out);
    out.push_str("</w:p>");
}

const KEEP_NEXT: &str = "<w:keepNext/>";

fn blank_lines(out: &mut String, n: usize, ppr: &str) {
    for _ in 0..n {
        paragraph(out, "Normal", ppr, |_| {});
    }
}

/// One run of text; line feeds become line breaks and tabs real tabs, so
/// multi-line input survives without the caller knowing OOXML.
fn text_run(out: &mut String, char_style: Option<&str>, text: &str) {
    out.push_str("<w:r>");
    if let Some(style) = char_style {
        out.push_str(&format!(r#"<w:rPr><w:rStyle w:val="{style}"/></w:rPr>"#));
    }
    run_content(out, text);
    out.push_str("</w:r>");
}

fn run_content(out: &mut String, text: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str(r#"<w:t xml:space="preserve">"#);
                push_escaped(out, piece);
                out.push_str("</w:t>");
            }
        }
    }
}

fn placeholder_run(out: &mut String, prompt: &str) {
    out.push_str(&format!(
        r#"<w:r><w:rPr><w:rStyle w:val="{}"/><w:highlight w:val="yellow"/></w:rPr>"#,
        id::PLACEHOLDER
    ));
    run_content(out, &Inline::Placeholder(prompt.to_string()).shown());
    out.push_str("</w:r>");
}

fn inline_runs(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => text_run(out, None, t),
            Inline::Placeholder(p) => placeholder_run(out, p),
        }
    }
}

/// The title is one paragraph broken into lines, so that Word's navigation
/// and the document properties see one title.
fn title(out: &mut String, lines: &[String]) {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    paragraph(out, id::TITLE, "", |o| text_run(o, None, &lines.join("\n")));
}

/// 主送机关 ends in a full-width colon whatever the caller wrote.
fn with_colon(addressee: &str) -> String {
    let trimmed = addressee.trim().trim_end_matches([':', '：']);
    format!("{trimmed}：")
}

fn body_block(out: &mut String, block: &Block, ppr: &str) {
    match block {
        Block::Heading { level, text, run_in } if run_in.is_empty() => {
            paragraph(out, id::HEADING[level_index(*level)], ppr, |o| text_run(o, None, text));
        }
        Block::Heading { level, text, run_in } => paragraph(out, id::BODY, ppr, |o| {
            text_run(o, Some(id::HEADING_CHAR[level_index(*level)]), text);
            inline_runs(o, run_in);
        }),
        Block::Paragraph(inlines) => paragraph(out, id::BODY, ppr, |o| inline_runs(o, inlines)),
        Block::Placeholder(prompt) => paragraph(out, id::BODY, ppr, |o| placeholder_run(o, prompt)),
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::One => 0,
        Level::Two => 1,
        Level::Three => 2,
    }
}

/// 署名 and 成文日期, right indents in characters as the standard counts
/// them (`w:rightChars`), with the twip value for readers without grids.
fn signature_block(out: &mut String, signature: &Signature) {
    let date = format_date(signature.date);
    let (sender_w, date_w) = (display_width(&signature.sender), display_width(&date));
    let (blank, indents) = match signature.layout {
        // Two blank lines leave the seal room to sit on 署名 and date while
        // its top stays within one line of the 正文.
        SignatureLayout::Sealed => (2, layout::sealed_indents(sender_w, date_w)),
        SignatureLayout::Unsealed => (1, layout::unsealed_indents(sender_w, date_w)),
    };
    blank_lines(out, blank, KEEP_NEXT);
    let sender = signature.sender.trim();
    let ppr = format!("{KEEP_NEXT}{}", right_indent(indents.sender));
    paragraph(out, id::SIGNATURE, &ppr, |o| text_run(o, None, sender));
    paragraph(out, id::DATE, &right_indent(indents.date), |o| text_run(o, None, &date));
}

fn right_indent(hundredths: u32) -> String {
    let twips = hundredths * layout::CHAR_3HAO / 100;
    format!(r#"<w:ind w:rightChars="{hundredths}" w:right="{twips}"/>"#)
}

/// 版记 as a floating table anchored to the bottom of the text area: its
/// last rule then coincides with the bottom edge of the 版心 on the last
/// page, as the standard requires, however long the 正文 is.
///
/// It is centred on the page rather than on the text area because
/// LibreOffice (7.4) keeps a full-width table anchored to the margin inline
/// instead of floating it. With mirrored 28/26 mm margins that shifts the
/// rules 1 mm towards the binding edge, inside the standard's ±1 mm.
fn imprint_table(out: &mut String, imprint: &Imprint) {
    let thick = rule(IMPRINT_RULE_THICK);
    out.push_str(&format!(
        concat!(
            r#"<w:tbl><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" "#,
            r#"w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" w:tblpXSpec="center" "#,
            r#"w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/><w:tblW w:w="{w}" w:type="dxa"/>"#,
            r#"<w:jc w:val="center"/><w:tblBorders><w:top {thick}/><w:left w:val="nil"/>"#,
            r#"<w:bottom {thick}/><w:right w:val="nil"/><w:insideH {thin}/><w:insideV w:val="nil"/>"#,
            r#"</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>"#,
            r#"<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>"#,
            r#"<w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid>"#
        ),
        w = TEXT_WIDTH,
        thick = thick,
        thin = rule(IMPRINT_RULE_THIN),
    ));
    if !imprint.copy_to.is_empty() {
        imprint_row(out, |o| copy_to_paragraph(o, &imprint.copy_to));
    }
    imprint_row(out, |o| issue_paragraph(o, imprint));
    out.push_str("</w:tbl>");
    // A table may not end the body: Word wants a paragraph before sectPr.
    paragraph(out, "Normal", "", |_| {});
}

fn rule(eighths: u32) -> String {
    format!(r#"w:val="single" w:sz="{eighths}" w:space="0" w:color="000000""#)
}

fn imprint_row(out: &mut String, content: impl FnOnce(&mut String)) {
    out.push_str(&format!(r#"<w:tr><w:tc><w:tcPr><w:tcW w:w="{TEXT_WIDTH}" w:type="dxa"/></w:tcPr>"#));
    content(out);
    out.push_str("</w:tc></w:tr>");
}

/// 抄送: indented one character each side; wrapped lines align after the
/// colon; organs separated by "，" and ended with "。".
fn copy_to_paragraph(out: &mut String, organs: &[String]) {
    let label = 3 * CHAR_4HAO;
    let ppr = format!(r#"<w:ind w:left="{}" w:right="{CHAR_4HAO}" w:hanging="{label}"/>"#, CHAR_4HAO + label);
    let list: Vec<&str> = organs.iter().map(|o| o.trim()).filter(|o| !o.is_empty()).collect();
    paragraph(out, id::IMPRINT, &ppr, |o| text_run(o, None, &format!("抄送：{}。", list.join("，"))));
}

/// 印发机关 one character from the left, 印发日期 one from the right.
fn issue_paragraph(out: &mut String, imprint: &Imprint) {
    let ppr = format!(
        r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs><w:ind w:left="{CHAR_4HAO}" w:right="{CHAR_4HAO}"/>"#,
        TEXT_WIDTH - CHAR_4HAO
    );
    let text = format!("{}\t{}印发", imprint.issuer.trim(), format_date(imprint.issue_date));
    paragraph(out, id::IMPRINT, &ppr, |o| text_run(o, None, &text));
}

fn section_properties(out: &mut String) {
    out.push_str(&format!(
        concat!(
            r#"<w:sectPr><w:footerReference w:type="default" r:id="{odd}"/>"#,
            r#"<w:footerReference w:type="even" r:id="{even}"/>"#,
            r#"<w:pgSz w:w="{pw}" w:h="{ph}"/>"#,
            r#"<w:pgMar w:top="{top}" w:right="{outside}" w:bottom="{bottom}" w:left="{inside}" "#,
            r#"w:header="851" w:footer="{footer}" w:gutter="0"/>"#,
            r#"<w:cols w:space="425"/>"#,
            r#"<w:docGrid w:type="linesAndChars" w:linePitch="{pitch}" w:charSpace="{chars}"/></w:sectPr>"#
        ),
        odd = FOOTER_ODD_RID,
        even = FOOTER_EVEN_RID,
        pw = PAGE_WIDTH,
        ph = PAGE_HEIGHT,
        top = MARGIN_TOP,
        outside = MARGIN_OUTSIDE,
        bottom = MARGIN_BOTTOM,
        inside = MARGIN_INSIDE,
        footer = FOOTER_DISTANCE,
        pitch = LINE_PITCH,
        chars = CHAR_SPACE,
    ));
}
