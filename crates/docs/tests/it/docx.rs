//! The .docx writer, checked by opening its output as a zip and reading
//! the parts the way Word does.

use crate::common::{element, elements, paragraphs, part, part_names, style_xml};
use chrono::NaiveDate;
use taizhang_docs::gbt9704::{write_docx, Block, Document, Inline, PageNumbers, Signature, SignatureLayout};
use taizhang_docs::report::{Report, Section, CLOSING, TRANSITION};
use taizhang_docs::{sample, DocsError};

fn sample_docx() -> Vec<u8> {
    sample::report(0).to_docx().expect("sample report writes")
}

#[test]
fn page_is_a4_with_the_standard_margins_and_mirrored_binding() {
    let docx = sample_docx();
    let doc = part(&docx, "word/document.xml");
    let size = element(&doc, "w:pgSz");
    assert_eq!((size["w:w"].as_str(), size["w:h"].as_str()), ("11906", "16838"));
    let margins = element(&doc, "w:pgMar");
    let m = |k: &str| margins[k].parse::<u32>().unwrap();
    // 37 / 35 / 28 / 26 mm.
    assert_eq!((m("w:top"), m("w:bottom"), m("w:left"), m("w:right")), (2098, 1984, 1587, 1474));
    // 156 mm × 225 mm text area.
    assert_eq!(11906 - m("w:left") - m("w:right"), 8845);
    assert_eq!(16838 - m("w:top") - m("w:bottom"), 12756);
    let settings = part(&docx, "word/settings.xml");
    assert_eq!(elements(&settings, "w:mirrorMargins").len(), 1);
}

#[test]
fn grid_is_22_lines_of_28_characters() {
    let doc = part(&sample_docx(), "word/document.xml");
    let grid = element(&doc, "w:docGrid");
    assert_eq!(grid["w:type"], "linesAndChars");
    let pitch: u32 = grid["w:linePitch"].parse().unwrap();
    assert_eq!(pitch, 579);
    assert_eq!(12756 / pitch, 22);
    // Each of 28 cells is 16 pt + charSpace/4096 pt wide and they fill 156 mm.
    let char_space: f64 = grid["w:charSpace"].parse().unwrap();
    let cell_twips = (16.0 + char_space / 4096.0) * 20.0;
    assert!((cell_twips * 28.0 - 8845.0).abs() < 1.0, "28 cells = {} twips", cell_twips * 28.0);
}

#[test]
fn east_asian_and_latin_fonts_are_set_apart() {
    let docx = sample_docx();
    let styles = part(&docx, "word/styles.xml");
    let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
    let fonts = element(defaults, "w:rFonts");
    assert_eq!(fonts["w:eastAsia"], "仿宋_GB2312");
    assert_eq!(fonts["w:ascii"], "Times New Roman");
    assert_eq!(fonts["w:hAnsi"], "Times New Roman");
    assert_eq!(element(defaults, "w:sz")["w:val"], "32");
    assert_eq!(element(defaults, "w:lang")["w:eastAsia"], "zh-CN");
    // FangSong stands in where 仿宋_GB2312 is not installed.
    let table = part(&docx, "word/fontTable.xml");
    let names: Vec<String> = elements(&table, "w:font").iter().map(|f| f["w:name"].clone()).collect();
    let alts: Vec<String> = elements(&table, "w:altName").iter().map(|f| f["w:val"].clone()).collect();
    for name in ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体", "Times New Roman"] {
        assert!(names.iter().any(|n| n == name), "{name} missing from the font table");
    }
    for alt in ["FangSong", "SimHei", "KaiTi", "SimSun"] {
        assert!(alts.iter().any(|a| a == alt), "altName {alt} missing");
    }
}

#[test]
fn heading_and_title_styles_follow_the_standard() {
    let styles = part(&sample_docx(), "word/styles.xml");
    let east_asia = |id: &str| element(style_xml(&styles, id), "w:rFonts")["w:eastAsia"].clone();
    assert_eq!(east_asia("Heading1"), "黑体");
    assert_eq!(east_asia("Heading2"), "楷体_GB2312");
    assert_eq!(east_asia("Heading3"), "仿宋_GB2312");
    assert_eq!(east_asia("Heading2Char"), "楷体_GB2312");
    for id in ["Heading1", "Heading2", "Heading3"] {
        // Not bold: bold headings are house style, not GB/T 9704.
        assert_eq!(element(style_xml(&styles, id), "w:b")["w:val"], "0");
        assert_eq!(element(style_xml(&styles, id), "w:ind")["w:firstLineChars"], "200");
    }
    let title = style_xml(&styles, "Title");
    assert_eq!(element(title, "w:rFonts")["w:eastAsia"], "方正小标宋简体");
    assert_eq!(element(title, "w:sz")["w:val"], "44");
    assert_eq!(element(title, "w:jc")["w:val"], "center");
    let body = style_xml(&styles, "BodyText");
    assert_eq!(element(body, "w:ind")["w:firstLineChars"], "200");
    assert_eq!(element(style_xml(&styles, "Addressee"), "w:jc")["w:val"], "left");
    // Every line is one grid line.
    let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
    let spacing = elements(defaults, "w:spacing");
    let line = spacing.iter().find(|s| s.contains_key("w:line")).expect("line spacing");
    assert_eq!((line["w:line"].as_str(), line["w:lineRule"].as_str()), ("579", "exact"));
    // Off the character grid, but condensed so 28 characters still fit.
    assert_eq!(element(defaults, "w:snapToGrid")["w:val"], "0");
    assert!(spacing.iter().any(|s| s.get("w:val").is_some_and(|v| v == "-10")));
}

#[test]
fn page_numbers_are_page_fields_on_the_outer_edge() {
    let docx = sample_docx();
    let settings = part(&docx, "word/settings.xml");
    assert_eq!(elements(&settings, "w:evenAndOddHeaders").len(), 1);
    let doc = part(&docx, "word/document.xml");
    let refs = elements(&doc, "w:footerReference");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    let target = |kind: &str| {
        let id = &refs.iter().find(|r| r["w:type"] == kind).expect("footer reference")["r:id"];
        let rel = elements(&rels, "Relationship").into_iter().find(|r| &r["Id"] == id).expect("relationship");
        format!("word/{}", rel["Target"])
    };
    let odd = part(&docx, &target("default"));
    let even = part(&docx, &target("even"));
    for (footer, side, indent) in [(&odd, "right", "w:right"), (&even, "left", "w:left")] {
        assert!(footer.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
        assert_eq!(elements(footer, "w:fldChar").len(), 3);
        assert_eq!(element(footer, "w:jc")["w:val"], side);
        // One 4号 character (14 pt) in from the edge.
        assert_eq!(element(footer, "w:ind")[indent], "280");
        let p = &paragraphs(footer)[0];
        assert_eq!(p.text, "— 1 —");
    }
    let styles = part(&docx, "word/styles.xml");
    let footer_style = style_xml(&styles, "Footer");
    assert_eq!(element(footer_style, "w:rFonts")["w:ascii"], "宋体");
    assert_eq!(element(footer_style, "w:sz")["w:val"], "28");
}

#[test]
fn centred_page_numbers_can_be_chosen() {
    let mut doc = sample::report(0).to_document().unwrap();
    doc.page_numbers = PageNumbers::Centred;
    let docx = write_docx(&doc).unwrap();
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        assert_eq!(element(&part(&docx, footer), "w:jc")["w:val"], "center");
    }
}

#[test]
fn report_reads_title_addressee_three_parts_closing_signature() {
    let paras = paragraphs(&part(&sample_docx(), "word/document.xml"));
    let styles: Vec<&str> = paras.iter().map(|p| p.style.as_str()).collect();
    assert_eq!(paras[0].style, "Title");
    assert_eq!(paras[0].text, "中共某县民政局党组关于2026年上半年\n落实意识形态工作责任制情况的报告");
    // One blank line, then the 主送机关 flush left with a full-width colon.
    assert_eq!((paras[1].style.as_str(), paras[1].text.as_str()), ("Normal", ""));
    assert_eq!((paras[2].style.as_str(), paras[2].text.as_str()), ("Addressee", "中共某县委宣传部："));
    assert_eq!(paras[3].style, "BodyText");
    assert!(paras[3].text.ends_with(TRANSITION));

    let parts: Vec<&str> = paras.iter().filter(|p| p.style == "Heading1").map(|p| p.text.as_str()).collect();
    assert_eq!(parts, ["一、工作开展情况", "二、存在的问题", "三、下一步工作打算"]);
    let subs: Vec<&str> = paras
        .iter()
        .filter(|p| p.run_styles.first().is_some_and(|s| s == "Heading2Char"))
        .map(|p| &p.text[..p.text.find('。').unwrap()])
        .collect();
    assert_eq!(subs, ["（一）落实主体责任", "（二）加强理论武装", "（三）管好阵地平台"]);

    let signature = styles.iter().position(|s| *s == "Signature").expect("署名");
    assert_eq!(paras[signature - 3].text, CLOSING);
    // The closing line never leaves the 署名 alone on a page.
    assert!(paras[signature - 3..=signature].iter().all(|p| p.keep_next));
    // Two blank lines leave room for the seal.
    assert!(paras[signature - 2..signature].iter().all(|p| p.text.is_empty()));
    assert_eq!(paras[signature].text, "中共某县民政局党组");
    let date = &paras[signature + 1];
    assert_eq!((date.style.as_str(), date.text.as_str()), ("SignDate", "2026年7月5日"));
    // Sealed: date 右空四字, the 9-character 署名 centred over the 6-wide date.
    assert_eq!(date.ind["w:rightChars"], "400");
    assert_eq!(paras[signature].ind["w:rightChars"], "250");
    assert_eq!(paras[signature + 2].text, "（联系人：某某，联系电话：0000-0000000）");
}

#[test]
fn unsealed_signature_follows_the_two_character_rules() {
    let mut doc = sample::report(0).to_document().unwrap();
    let sig = doc.signature.as_mut().unwrap();
    sig.layout = SignatureLayout::Unsealed;
    let paras = paragraphs(&part(&write_docx(&doc).unwrap(), "word/document.xml"));
    let s = paras.iter().position(|p| p.style == "Signature").unwrap();
    // 9-wide 署名 右空二字 starts 11 from the right; the date starts 2 right of
    // that (9 from the right) and is 6 wide, so 3 from the right.
    assert_eq!(paras[s].ind["w:rightChars"], "200");
    assert_eq!(paras[s + 1].ind["w:rightChars"], "300");
    assert!(paras[s - 1].text.is_empty() && !paras[s - 2].text.is_empty());
}

#[test]
fn placeholders_are_marked_and_highlighted() {
    let paras = paragraphs(&part(&sample_docx(), "word/document.xml"));
    let whole = paras.iter().find(|p| p.text == "【请填写：原因分析】").expect("placeholder paragraph");
    assert!(whole.highlighted);
    assert_eq!(whole.run_styles, ["Placeholder"]);
    let inline = paras.iter().find(|p| p.text.contains("【请填写：巡查次数】")).expect("inline placeholder");
    assert!(inline.run_styles.contains(&"Placeholder".to_string()));
}

#[test]
fn imprint_sits_at_the_bottom_between_thick_rules() {
    let doc = part(&sample_docx(), "word/document.xml");
    let position = element(&doc, "w:tblpPr");
    assert_eq!(position["w:tblpYSpec"], "bottom");
    assert_eq!(position["w:vertAnchor"], "margin");
    assert_eq!(element(&doc, "w:tblW")["w:w"], "8845");
    assert_eq!(element(&doc, "w:top")["w:sz"], "8");
    assert_eq!(element(&doc, "w:bottom")["w:sz"], "8");
    assert_eq!(element(&doc, "w:insideH")["w:sz"], "6");
    assert!(doc.contains("抄送：某县纪委监委派驻纪检监察组。"));
    assert!(doc.contains("某县民政局办公室</w:t><w:tab/>"));
    assert!(doc.contains("2026年7月5日印发"));
}

#[test]
fn package_is_complete_well_formed_and_deterministic() {
    let docx = sample_docx();
    let names = part_names(&docx);
    assert_eq!(names[0], "[Content_Types].xml");
    let types = part(&docx, "[Content_Types].xml");
    let overrides: Vec<String> = elements(&types, "Override").iter().map(|o| o["PartName"].clone()).collect();
    for name in &names {
        if name.ends_with(".xml") && name != "[Content_Types].xml" {
            assert!(overrides.contains(&format!("/{name}")), "{name} has no content type");
            // `elements` panics on malformed XML.
            elements(&part(&docx, name), "never-present");
        }
    }
    assert_eq!(docx, sample_docx(), "same input, same bytes");
}

#[test]
fn markup_and_control_characters_in_text_stay_text() {
    let mut doc = Document::new(vec!["关于<测试>&“引号”的报告".into()]);
    doc.body.push(Block::Paragraph(vec![Inline::text("a<b>&c\u{1}d\te\nf")]));
    doc.body.push(Block::Placeholder("原因 & 措施".into()));
    let docx = write_docx(&doc).unwrap();
    let paras = paragraphs(&part(&docx, "word/document.xml"));
    assert_eq!(paras[0].text, "关于<测试>&“引号”的报告");
    assert_eq!(paras[2].text, "a<b>&cde\nf");
    assert_eq!(paras[3].text, "【请填写：原因 & 措施】");
}

#[test]
fn missing_title_or_sender_is_an_error() {
    let err = write_docx(&Document::new(vec!["  ".into()])).unwrap_err();
    assert!(matches!(err, DocsError::InvalidDocument(_)));
    let mut doc = Document::new(vec!["标题".into()]);
    doc.signature = Some(Signature {
        sender: " ".into(),
        date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        layout: SignatureLayout::Sealed,
    });
    assert!(write_docx(&doc).is_err());
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let no_opening = Report::new(vec!["标题".into()], "某局", date).section(Section::new("工作开展情况"));
    assert!(no_opening.to_docx().is_err());
}
