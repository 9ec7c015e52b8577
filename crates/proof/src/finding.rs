//! What a check reports: one finding per problem, located by character offsets.

use serde::Serialize;
use std::fmt;

/// The kind of problem. The identifiers are part of the CLI's JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 错别字
    Typo,
    /// 重复
    Duplicate,
    /// 缺漏
    Missing,
    /// 规范提法
    Formulation,
    /// 数字用法
    Number,
    /// 标点符号
    Punctuation,
    /// 用语
    Wording,
    /// 个人信息
    PersonalInfo,
    /// 密级
    Secrecy,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Typo,
        Category::Duplicate,
        Category::Missing,
        Category::Formulation,
        Category::Number,
        Category::Punctuation,
        Category::Wording,
        Category::PersonalInfo,
        Category::Secrecy,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Typo => "typo",
            Category::Duplicate => "duplicate",
            Category::Missing => "missing",
            Category::Formulation => "formulation",
            Category::Number => "number",
            Category::Punctuation => "punctuation",
            Category::Wording => "wording",
            Category::PersonalInfo => "personal_info",
            Category::Secrecy => "secrecy",
        }
    }

    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in the text. `start..end` are character (not byte) offsets
/// into the checked text; `original` is exactly that slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    pub severity: Severity,
    pub original: String,
    /// Best first; empty when the text must be fixed by a person
    /// (personal information, secrecy markings).
    pub suggestions: Vec<String>,
    /// Short reason in Chinese, shown to the reviewer.
    pub reason: String,
}

impl Finding {
    /// Builds a finding over `chars[start..end]`.
    pub fn new(
        chars: &[char],
        start: usize,
        end: usize,
        category: Category,
        severity: Severity,
        suggestions: Vec<String>,
        reason: impl Into<String>,
    ) -> Finding {
        Finding {
            start,
            end,
            category,
            severity,
            original: chars[start..end].iter().collect(),
            suggestions,
            reason: reason.into(),
        }
    }
}
