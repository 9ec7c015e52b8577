//! The crate's one error type.
//!
//! Messages are in Chinese because the CLI prints them as they are; the web
//! layer maps the variants to its own messages and status codes.

use std::fmt;

/// Everything that can go wrong while writing or checking a document.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// The document model is missing something the format requires.
    #[error("公文内容不完整：{0}")]
    InvalidDocument(String),

    /// A ledger row does not fit the ledger's columns.
    #[error("台账第{row}行“{column}”列：{problem}")]
    LedgerCell {
        /// 1-based data row (the header is row 0).
        row: usize,
        column: String,
        problem: String,
    },

    /// A path given to the bundle writer cannot be stored safely.
    #[error("检查材料包中的文件路径无效：{0}")]
    InvalidBundlePath(String),

    /// The bundle is not a readable zip or has no usable manifest.
    #[error("检查材料包无法读取：{0}")]
    UnreadableBundle(String),

    /// The bundle was read but does not match its manifest.
    #[error("检查材料包校验未通过：{}", ProblemList(.0))]
    BundleInvalid(Vec<BundleProblem>),

    #[error("生成压缩包失败：{0}")]
    Zip(#[from] zip::result::ZipError),

    #[error("生成电子表格失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    #[error("读写失败：{0}")]
    Io(#[from] std::io::Error),

    #[error("清单格式错误：{0}")]
    Json(#[from] serde_json::Error),
}

/// One way a bundle differs from its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleProblem {
    /// Listed in the manifest but absent from the zip.
    Missing(String),
    /// Present, but its content has another SHA-256 or size.
    Altered(String),
    /// Present in the zip but not listed in the manifest.
    Unlisted(String),
    /// The same name occurs twice in the manifest.
    Duplicate(String),
}

impl BundleProblem {
    /// The file the problem is about.
    pub fn path(&self) -> &str {
        match self {
            Self::Missing(p) | Self::Altered(p) | Self::Unlisted(p) | Self::Duplicate(p) => p,
        }
    }
}

impl fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(p) => write!(f, "缺少文件 {p}"),
            Self::Altered(p) => write!(f, "文件 {p} 已被修改"),
            Self::Unlisted(p) => write!(f, "清单外的文件 {p}"),
            Self::Duplicate(p) => write!(f, "清单中重复列出 {p}"),
        }
    }
}

struct ProblemList<'a>(&'a [BundleProblem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("；")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}
