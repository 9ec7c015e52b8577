//! The crate's one error type. Messages are in Chinese: they reach users as is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("无法读取文件 {path}：{source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("文件 {path} 不是有效的 UTF-8 文本（第 {line} 行附近）")]
    InvalidUtf8 { path: PathBuf, line: usize },
    #[error("无法解析 Word 文档 {path}：{detail}")]
    Docx { path: PathBuf, detail: String },
    #[error("词库文件 {path} 第 {line} 行有误：{detail}")]
    Lexicon { path: PathBuf, line: usize, detail: String },
}
