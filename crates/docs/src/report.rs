//! The conventions of a 报告 (and 自查报告) as a builder.
//!
//! The composer supplies the facts; this module supplies the form: the
//! title pattern "××关于××的报告" broken into balanced lines, the opening
//! paragraph ending "现将有关情况报告如下：", the parts numbered 一、（一）1.,
//! the closing "特此报告。", and the 署名 and 成文日期. It never adds
//! content of its own: whatever a person must still write is an explicit
//! placeholder.

use chrono::NaiveDate;

use crate::cn::{char_width, display_width, numeral};
use crate::gbt9704::{Block, Document, Imprint, Inline, Level, PageNumbers, Signature, SignatureLayout};
use crate::DocsError;

/// The usual transition closing the opening paragraph.
pub const TRANSITION: &str = "现将有关情况报告如下：";
/// The transition of a 自查报告.
pub const SELF_CHECK_TRANSITION: &str = "现将自查情况报告如下：";
/// The usual closing line.
pub const CLOSING: &str = "特此报告。";

/// Characters of 2号 text on one line of the 156 mm text area.
pub const TITLE_CHARS_PER_LINE: f64 = 20.0;

/// The title "{organ}关于{subject…}的报告", broken into lines. Each
/// subject part (e.g. "2026年上半年", "落实意识形态工作责任制情况") is kept
/// whole where possible, since the standard wants breaks that keep words
/// intact.
pub fn title_lines(organ: &str, subject: &[&str]) -> Vec<String> {
    title_lines_ending(organ, subject, "的报告")
}

/// As [`title_lines`], with another ending, e.g. "的自查报告".
pub fn title_lines_ending(organ: &str, subject: &[&str], ending: &str) -> Vec<String> {
    let mut tokens: Vec<String> = vec![organ.trim().to_string(), "关于".into()];
    tokens.extend(subject.iter().map(|s| s.trim().to_string()));
    // The ending ("的报告") never starts a line on its own.
    if let Some(last) = tokens.last_mut() {
        last.push_str(ending);
    }
    tokens.retain(|t| !t.is_empty());
    break_title(&tokens, TITLE_CHARS_PER_LINE)
}

/// Breaks a title into as few lines as fit `max_width` characters, breaking
/// only between `tokens` (unless one is too long by itself) and, among
/// splits with that many lines, choosing the most even line lengths.
pub fn break_title(tokens: &[String], max_width: f64) -> Vec<String> {
    let atoms: Vec<String> = tokens.iter().flat_map(|t| split_long(t, max_width)).collect();
    let widths: Vec<f64> = atoms.iter().map(|a| display_width(a)).collect();
    let lines = balanced_breaks(&widths, max_width);
    lines.windows(2).map(|w| atoms[w[0]..w[1]].concat()).collect()
}

/// A token wider than a line is cut, greedily, into pieces that fit.
fn split_long(token: &str, max_width: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for c in token.chars() {
        if !current.is_empty() && display_width(&current) + char_width(c) > max_width {
            pieces.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Line start indices (plus the end) minimising first the number of lines,
/// then the sum of squared line widths. O(n²) dynamic programming.
fn balanced_breaks(widths: &[f64], max_width: f64) -> Vec<usize> {
    let n = widths.len();
    // best[j] = (lines, cost, previous break) for atoms[..j].
    let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0.0, 0));
    for j in 1..=n {
        for i in (0..j).rev() {
            let w: f64 = widths[i..j].iter().sum();
            if w > max_width && j - i > 1 {
                break;
            }
            if let Some((lines, cost, _)) = best[i] {
                let candidate = (lines + 1, cost + w * w, i);
                if best[j].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                    best[j] = Some(candidate);
                }
            }
        }
    }
    let mut breaks = vec![n];
    let mut j = n;
    while j > 0 {
        j = best[j].map_or(0, |b| b.2);
        breaks.push(j);
    }
    breaks.reverse();
    breaks
}

/// A 报告 before layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: Vec<String>,
    pub addressee: Option<String>,
    /// Basis and summary; the transition is appended to it.
    pub opening: Vec<Inline>,
    pub transition: String,
    pub sections: Vec<Section>,
    pub closing: String,
    pub sender: String,
    pub date: NaiveDate,
    pub signature_layout: SignatureLayout,
    pub note: Option<String>,
    pub imprint: Option<Imprint>,
    pub page_numbers: PageNumbers,
    /// The file's description property (see [`Document::description`]).
    pub description: Option<String>,
}

/// A part "一、…": heading without its ordinal, then its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Item>,
}

/// Content of a part or sub-part.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Paragraph(Vec<Inline>),
    /// A whole paragraph a person must write.
    Placeholder(String),
    /// "（一）…" inside a part.
    Sub(SubSection),
    /// "1.…" (heading without ordinal) with optional run-in text.
    Point {
        heading: String,
        run_in: Vec<Inline>,
    },
}

/// A sub-part "（一）…": heading without its ordinal, optional run-in text
/// on the heading's own line, then items (which may hold points).
#[derive(Debug, Clone, PartialEq)]
pub struct SubSection {
    pub heading: String,
    pub run_in: Vec<Inline>,
    pub items: Vec<Item>,
}

impl Report {
    /// A report with the usual transition and closing and no content yet.
    pub fn new(title: Vec<String>, sender: impl Into<String>, date: NaiveDate) -> Self {
        Report {
            title,
            addressee: None,
            opening: Vec::new(),
            transition: TRANSITION.into(),
            sections: Vec::new(),
            closing: CLOSING.into(),
            sender: sender.into(),
            date,
            signature_layout: SignatureLayout::default(),
            note: None,
            imprint: None,
            page_numbers: PageNumbers::default(),
            description: None,
        }
    }

    /// Sets the file's description property, which is never printed.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    pub fn addressee(mut self, organ: impl Into<String>) -> Self {
        self.addressee = Some(organ.into());
        self
    }

    pub fn opening(mut self, inlines: Vec<Inline>) -> Self {
        self.opening = inlines;
        self
    }

    /// Replaces "现将有关情况报告如下：", e.g. with [`SELF_CHECK_TRANSITION`].
    pub fn transition(mut self, text: impl Into<String>) -> Self {
        self.transition = text.into();
        self
    }

    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    /// Replaces "特此报告。", e.g. with "专此报告。".
    pub fn closing(mut self, text: impl Into<String>) -> Self {
        self.closing = text.into();
        self
    }

    /// Lays the report out as a GB/T 9704 document.
    pub fn to_document(&self) -> Result<Document, DocsError> {
        self.validate()?;
        let mut body = vec![Block::Paragraph(self.opening_paragraph())];
        for (i, section) in self.sections.iter().enumerate() {
            section.push_blocks(i + 1, &mut body);
        }
        if !self.closing.trim().is_empty() {
            body.push(Block::Paragraph(vec![Inline::text(self.closing.trim())]));
        }
        Ok(Document {
            title: self.title.clone(),
            addressee: self.addressee.clone(),
            body,
            signature: Some(Signature { sender: self.sender.clone(), date: self.date, layout: self.signature_layout }),
            note: self.note.clone(),
            imprint: self.imprint.clone(),
            page_numbers: self.page_numbers,
            description: self.description.clone(),
        })
    }

    /// The report as .docx bytes.
    pub fn to_docx(&self) -> Result<Vec<u8>, DocsError> {
        crate::gbt9704::write_docx(&self.to_document()?)
    }

    fn validate(&self) -> Result<(), DocsError> {
        let missing = |what: &str| Err(DocsError::InvalidDocument(format!("报告缺少{what}")));
        if self.title.iter().all(|l| l.trim().is_empty()) {
            return missing("标题");
        }
        if self.opening.is_empty() {
            return missing("开头段落");
        }
        if self.sections.is_empty() {
            return missing("正文部分");
        }
        if self.sender.trim().is_empty() {
            return missing("发文机关署名");
        }
        Ok(())
    }

    /// The opening with the transition appended, unless the caller already
    /// ended it that way.
    fn opening_paragraph(&self) -> Vec<Inline> {
        let mut inlines = self.opening.clone();
        let already = matches!(inlines.last(), Some(Inline::Text(t)) if t.trim_end().ends_with(self.transition.trim()));
        if !already && !self.transition.trim().is_empty() {
            inlines.push(Inline::text(self.transition.trim()));
        }
        inlines
    }
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Self {
        Section { heading: heading.into(), items: Vec::new() }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.items.push(Item::Paragraph(vec![Inline::text(text)]));
        self
    }

    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    pub fn placeholder(mut self, prompt: impl Into<String>) -> Self {
        self.items.push(Item::Placeholder(prompt.into()));
        self
    }

    pub fn subsection(mut self, sub: SubSection) -> Self {
        self.items.push(Item::Sub(sub));
        self
    }

    fn push_blocks(&self, ordinal: usize, body: &mut Vec<Block>) {
        body.push(heading(Level::One, format!("{}、{}", numeral(ordinal), self.heading.trim()), Vec::new()));
        push_items(&self.items, body);
    }
}

impl SubSection {
    pub fn new(heading: impl Into<String>) -> Self {
        SubSection { heading: heading.into(), run_in: Vec::new(), items: Vec::new() }
    }

    /// Text continuing on the heading's line ("（一）强化理论武装。今年以来……").
    pub fn run_in(mut self, inlines: Vec<Inline>) -> Self {
        self.run_in = inlines;
        self
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.items.push(Item::Paragraph(vec![Inline::text(text)]));
        self
    }

    pub fn item(mut self, item: Item) -> Self {
        self.items.push(item);
        self
    }

    pub fn placeholder(mut self, prompt: impl Into<String>) -> Self {
        self.items.push(Item::Placeholder(prompt.into()));
        self
    }
}

fn heading(level: Level, text: String, run_in: Vec<Inline>) -> Block {
    Block::Heading { level, text, run_in }
}

/// Sub-parts and points are numbered within their parent, each kind on its
/// own count, as 公文 number 层次序数.
fn push_items(items: &[Item], body: &mut Vec<Block>) {
    let (mut subs, mut points) = (0, 0);
    for item in items {
        match item {
            Item::Paragraph(inlines) => body.push(Block::Paragraph(inlines.clone())),
            Item::Placeholder(prompt) => body.push(Block::Placeholder(prompt.clone())),
            Item::Sub(sub) => {
                subs += 1;
                let text = format!("（{}）{}", numeral(subs), sub.heading.trim());
                body.push(heading(Level::Two, text, sub.run_in.clone()));
                push_items(&sub.items, body);
            }
            Item::Point { heading: h, run_in } => {
                points += 1;
                body.push(heading(Level::Three, format!("{points}.{}", h.trim()), run_in.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_title_breaks_between_parts_into_balanced_lines() {
        let lines = title_lines("中共某县民政局党组", &["2026年上半年", "落实意识形态工作责任制情况"]);
        assert_eq!(lines, ["中共某县民政局党组关于2026年上半年", "落实意识形态工作责任制情况的报告"]);
    }

    #[test]
    fn short_title_stays_on_one_line() {
        assert_eq!(title_lines("某局党组", &["巡察整改情况"]), ["某局党组关于巡察整改情况的报告"]);
    }

    #[test]
    fn overlong_part_is_cut_to_fit() {
        let long = "很".repeat(45);
        let lines = title_lines("某局", &[&long]);
        assert!(lines.iter().all(|l| display_width(l) <= TITLE_CHARS_PER_LINE));
        assert_eq!(lines.concat(), format!("某局关于{long}的报告"));
    }

    #[test]
    fn numbering_restarts_within_each_parent() {
        let date = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
        let report = Report::new(vec!["标题".into()], "某局党组", date)
            .opening(vec![Inline::text("根据要求，")])
            .section(
                Section::new("工作开展情况")
                    .subsection(SubSection::new("甲"))
                    .subsection(SubSection::new("乙").item(Item::Point { heading: "丙".into(), run_in: vec![] })),
            )
            .section(Section::new("存在的问题").subsection(SubSection::new("丁")));
        let doc = report.to_document().unwrap();
        let headings: Vec<&str> = doc
            .body
            .iter()
            .filter_map(|b| match b {
                Block::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headings, ["一、工作开展情况", "（一）甲", "（二）乙", "1.丙", "二、存在的问题", "（一）丁"]);
        assert_eq!(doc.body[0], Block::Paragraph(vec![Inline::text("根据要求，"), Inline::text(TRANSITION)]));
    }

    #[test]
    fn missing_parts_are_errors_not_panics() {
        let date = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
        let err = Report::new(vec!["标题".into()], "某局党组", date).to_document().unwrap_err();
        assert!(err.to_string().contains("开头段落"));
    }
}
