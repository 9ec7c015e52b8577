//! styles.xml and fontTable.xml: every typographic rule of the standard
//! lives in a named style, so a user editing the draft in Word or WPS keeps
//! the format by picking 公文标题, 标题 1 … from the style list.

use super::layout::{CHAR_3HAO, FOOTER_LINE, LINE_PITCH, SIZE_2HAO, SIZE_3HAO, SIZE_4HAO};
use super::xml::{DECLARATION, W_NS};

/// Latin text (digits, letters) in body styles: the fonts named by the
/// standard are CJK fonts whose Latin glyphs look out of place.
pub const LATIN: &str = "Times New Roman";
pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";

/// Fonts declared in fontTable.xml with the name Word and WPS fall back to
/// when the GB2312-era font is not installed.
const FONTS: [(&str, &str); 6] = [
    (LATIN, ""),
    (FANGSONG, "FangSong"),
    (HEITI, "SimHei"),
    (KAITI, "KaiTi"),
    (XIAOBIAOSONG, "方正小标宋_GBK"),
    (SONGTI, "SimSun"),
];

/// Paragraph style ids used by the body writer.
pub mod id {
    pub const BODY: &str = "BodyText";
    pub const TITLE: &str = "Title";
    pub const ADDRESSEE: &str = "Addressee";
    pub const HEADING: [&str; 3] = ["Heading1", "Heading2", "Heading3"];
    pub const HEADING_CHAR: [&str; 3] = ["Heading1Char", "Heading2Char", "Heading3Char"];
    pub const SIGNATURE: &str = "Signature";
    pub const DATE: &str = "SignDate";
    pub const NOTE: &str = "Note";
    pub const IMPRINT: &str = "Imprint";
    pub const FOOTER: &str = "Footer";
    pub const PLACEHOLDER: &str = "Placeholder";
}

pub fn font_table_xml() -> String {
    let mut out = format!("{DECLARATION}<w:fonts {W_NS}>");
    for (name, alt) in FONTS {
        out.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if !alt.is_empty() {
            out.push_str(&format!(r#"<w:altName w:val="{alt}"/>"#));
        }
        // GB2312 charset, so Word's substitution looks for a Chinese font.
        let charset = if name == LATIN { "00" } else { "86" };
        out.push_str(&format!(r#"<w:charset w:val="{charset}"/><w:pitch w:val="variable"/></w:font>"#));
    }
    out.push_str("</w:fonts>");
    out
}

/// `w:rFonts` with the east-Asian font set apart from the Latin one.
fn fonts(east_asia: &str, latin: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{latin}" w:eastAsia="{east_asia}" w:hAnsi="{latin}" w:cs="{latin}"/>"#)
}

fn size(half_points: u32) -> String {
    format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#)
}

/// First line indented two characters (左空二字, 回行顶格): `firstLineChars` for Word and WPS,
/// which follow the document grid; `firstLine` for readers that do not.
pub fn indent_two_chars() -> String {
    format!(r#"<w:ind w:firstLineChars="200" w:firstLine="{}"/>"#, 2 * CHAR_3HAO)
}

fn paragraph_style(id: &str, name: &str, ppr: &str, rpr: &str) -> String {
    let (default, based) =
        if id == "Normal" { (r#" w:default="1""#, "") } else { ("", r#"<w:basedOn w:val="Normal"/>"#) };
    format!(
        r#"<w:style w:type="paragraph"{default} w:styleId="{id}"><w:name w:val="{name}"/>{based}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

fn character_style(id: &str, name: &str, rpr: &str) -> String {
    format!(r#"<w:style w:type="character" w:styleId="{id}"><w:name w:val="{name}"/><w:rPr>{rpr}</w:rPr></w:style>"#)
}

/// 28 characters of 16 pt do not fit in 156 mm (448 pt > 442 pt); the
/// standard's 28 × 22 page needs each character a little narrower.
///
/// Word does that through the document grid (`w:charSpace`), which we
/// declare so that 页面设置 shows 每行28字/每页22行. LibreOffice, however,
/// gives any character wider than a grid cell two cells, which halves the
/// line. So paragraphs opt out of the grid (`w:snapToGrid="0"`) and every
/// run is condensed by 0.5 pt instead: 28 characters then fit in both, and
/// justification spreads them to the full 156 mm. Exact line spacing at the
/// grid pitch keeps 22 lines a page without the grid.
const CONDENSE: &str = r#"<w:spacing w:val="-10"/>"#;

fn doc_defaults() -> String {
    format!(
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>{fonts}{condense}<w:kern w:val=\"2\"/>{size}",
            r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>"#,
            r#"<w:spacing w:line="{pitch}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>"#,
            "</w:docDefaults>"
        ),
        fonts = fonts(FANGSONG, LATIN),
        condense = CONDENSE,
        size = size(SIZE_3HAO),
        pitch = LINE_PITCH,
    )
}

fn heading_styles() -> String {
    let faces = [(HEITI, HEITI), (KAITI, LATIN), (FANGSONG, LATIN)];
    let mut out = String::new();
    for (level, (east, latin)) in faces.into_iter().enumerate() {
        // Not bold: the standard asks for none (bold headings are house style).
        let rpr = format!(r#"{}<w:b w:val="0"/><w:bCs w:val="0"/>"#, fonts(east, latin));
        let ppr = format!(r#"<w:keepNext/>{}<w:outlineLvl w:val="{level}"/>"#, indent_two_chars());
        let name = format!("heading {}", level + 1);
        out.push_str(&paragraph_style(id::HEADING[level], &name, &ppr, &rpr));
        let char_name = format!("标题 {} 字符", level + 1);
        out.push_str(&character_style(id::HEADING_CHAR[level], &char_name, &rpr));
    }
    out
}

fn other_styles() -> String {
    let left = r#"<w:jc w:val="left"/>"#;
    let right = r#"<w:jc w:val="right"/>"#;
    let title_rpr = format!("{}{}", fonts(XIAOBIAOSONG, XIAOBIAOSONG), size(SIZE_2HAO));
    let footer_ppr = format!(r#"<w:spacing w:line="{FOOTER_LINE}" w:lineRule="exact"/>"#);
    let footer_rpr = format!("{}{}", fonts(SONGTI, SONGTI), size(SIZE_4HAO));
    [
        // Normal carries no indent so that styles based on it need not
        // cancel one: Word lets `firstLineChars` win over a direct hanging
        // indent, which would break the 抄送 line.
        // Size and fonts repeated from the defaults: LibreOffice sizes the
        // character grid from Normal's own east-Asian size, not the defaults.
        paragraph_style("Normal", "Normal", "", &format!("{}{CONDENSE}{}", fonts(FANGSONG, LATIN), size(SIZE_3HAO))),
        paragraph_style(id::BODY, "Body Text", &indent_two_chars(), ""),
        paragraph_style(id::TITLE, "公文标题", r#"<w:jc w:val="center"/>"#, &title_rpr),
        paragraph_style(id::ADDRESSEE, "主送机关", left, ""),
        paragraph_style(id::SIGNATURE, "发文机关署名", right, ""),
        paragraph_style(id::DATE, "成文日期", right, ""),
        paragraph_style(id::NOTE, "附注", &indent_two_chars(), ""),
        paragraph_style(id::IMPRINT, "版记", left, &size(SIZE_4HAO)),
        paragraph_style(id::FOOTER, "footer", &footer_ppr, &footer_rpr),
        // Yellow shading in the style; the writer adds a highlight on the run
        // too, because Word shows a style's highlight only in some versions.
        character_style(
            id::PLACEHOLDER,
            "待填写",
            r#"<w:color w:val="C00000"/><w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/>"#,
        ),
    ]
    .concat()
}

pub fn styles_xml() -> String {
    format!("{DECLARATION}<w:styles {W_NS}>{}{}{}</w:styles>", doc_defaults(), other_styles(), heading_styles())
}
