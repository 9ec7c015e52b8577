//! A GB/T 9704-2012 (党政机关公文格式) .docx writer.
//!
//! The model holds only what a 报告 or 自查报告 needs: title, 主送机关,
//! 正文 blocks, 署名, 成文日期, 附注 and 版记. [`write_docx`] lays it out on
//! the standard's page (A4, 22 lines × 28 characters, 3号仿宋) and returns
//! the bytes of a .docx package. See `docs/documents.md` for why the OOXML
//! parts are written here rather than with a .docx crate.

mod body;
pub mod layout;
mod package;
mod styles;
mod xml;

use chrono::NaiveDate;

use crate::DocsError;

pub use package::write_docx;

/// The text shown for a [`Inline::Placeholder`]: the prompt between
/// these marks, highlighted, so nobody can miss what is still to be written.
pub const PLACEHOLDER_OPEN: &str = "【请填写：";
/// Closing mark of a placeholder.
pub const PLACEHOLDER_CLOSE: &str = "】";

/// A whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title, one entry per line. The standard wants line breaks that
    /// keep words whole and a 梯形/菱形 outline, which only the caller (or
    /// [`crate::report::title_lines`]) can judge.
    pub title: Vec<String>,
    /// 主送机关, without the trailing colon (the writer adds "：").
    pub addressee: Option<String>,
    /// 正文.
    pub body: Vec<Block>,
    /// 发文机关署名 and 成文日期.
    pub signature: Option<Signature>,
    /// 附注, without parentheses (the writer adds "（）").
    pub note: Option<String>,
    /// 版记: 抄送, 印发机关 and 印发日期.
    pub imprint: Option<Imprint>,
    /// Where the page number goes.
    pub page_numbers: PageNumbers,
    /// The file's description property (Word: 文件 › 信息 › 属性 › 备注),
    /// never printed: where a report records the audit-chain head it was
    /// drawn from.
    pub description: Option<String>,
}

/// One paragraph-level element of the 正文.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A numbered heading. `text` includes its ordinal ("一、工作开展情况").
    /// `run_in` is body text continuing on the same paragraph, as in
    /// "（一）强化理论武装。今年以来……"; when it is not empty the paragraph
    /// is body text and only the heading part gets the heading font.
    Heading { level: Level, text: String, run_in: Vec<Inline> },
    /// An ordinary paragraph, indented two characters.
    Paragraph(Vec<Inline>),
    /// A paragraph that a person must write; rendered as a placeholder.
    Placeholder(String),
}

/// Heading levels of 层次序数: 一、(黑体) （一）(楷体) 1.(仿宋).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    One,
    Two,
    Three,
}

/// A piece of paragraph text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    /// Something a person must fill in; the string is the prompt
    /// ("原因分析" is shown as "【请填写：原因分析】").
    Placeholder(String),
}

/// 发文机关署名 and 成文日期.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub sender: String,
    pub date: NaiveDate,
    pub layout: SignatureLayout,
}

/// The standard places 署名 and date differently with and without a seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureLayout {
    /// 加盖印章: the date 右空四字, the 署名 centred above it, room left
    /// above for the seal. The usual form of a 报告 sent upward.
    #[default]
    Sealed,
    /// 不加盖印章: the 署名 右空二字 one blank line below the 正文, the date
    /// on the next line starting two characters right of the 署名.
    Unsealed,
}

/// 版记.
#[derive(Debug, Clone, PartialEq)]
pub struct Imprint {
    /// 抄送机关; empty for none.
    pub copy_to: Vec<String>,
    /// 印发机关.
    pub issuer: String,
    /// 印发日期.
    pub issue_date: NaiveDate,
}

/// Page-number placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageNumbers {
    /// The standard's: odd pages right, even pages left, one character in.
    #[default]
    OuterEdge,
    /// Centred on every page, as many internal 报告 and 材料 do.
    Centred,
}

impl Document {
    /// A document with a title and nothing else yet.
    pub fn new(title: Vec<String>) -> Self {
        Document {
            title,
            addressee: None,
            body: Vec::new(),
            signature: None,
            note: None,
            imprint: None,
            page_numbers: PageNumbers::default(),
            description: None,
        }
    }

    /// Checks what the writer cannot lay out sensibly.
    fn validate(&self) -> Result<(), DocsError> {
        if self.title.iter().all(|l| l.trim().is_empty()) {
            return Err(DocsError::InvalidDocument("缺少标题".into()));
        }
        if let Some(s) = &self.signature {
            if s.sender.trim().is_empty() {
                return Err(DocsError::InvalidDocument("缺少发文机关署名".into()));
            }
        }
        if let Some(i) = &self.imprint {
            if i.issuer.trim().is_empty() {
                return Err(DocsError::InvalidDocument("版记缺少印发机关".into()));
            }
        }
        Ok(())
    }
}

impl Inline {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text(s.into())
    }

    /// The text as it appears in the document.
    pub fn shown(&self) -> String {
        match self {
            Inline::Text(t) => t.clone(),
            Inline::Placeholder(p) => format!("{PLACEHOLDER_OPEN}{p}{PLACEHOLDER_CLOSE}"),
        }
    }
}
