//! The application layer's one error type. The web maps it to an HTTP
//! status and a Chinese page or JSON body in one place; the CLI maps it to
//! an exit code in one place.

use taizhang_core::record::FieldError;
use taizhang_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller's roles do not reach the unit or allow the action.
    #[error("您无权查看或修改该单位的数据")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    /// The request is refused as a whole, with one Chinese reason.
    #[error("{0}")]
    Invalid(String),
    /// The input is refused, with a Chinese message for each field.
    #[error("填写有误")]
    Fields(Vec<FieldError>),
    /// Someone else changed the item since the caller read it.
    #[error("{0}")]
    Conflict(String),
    /// A file over the size limit or a unit over its quota (HTTP 413).
    #[error("{0}")]
    TooLarge(String),
    /// The database is held by another writer (a long import): try again.
    #[error("{}", taizhang_store::BUSY_MESSAGE)]
    Busy,
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        if e.is_busy() {
            return Error::Busy;
        }
        match e {
            StoreError::NotFound(m) => Error::NotFound(m),
            StoreError::Invalid(m) => Error::Invalid(m),
            StoreError::Conflict(m) => Error::Conflict(m),
            StoreError::Fields(f) => Error::Fields(f),
            StoreError::Db(e) => Error::Internal(e.to_string()),
        }
    }
}

impl Error {
    /// The message shown to people, with every field problem spelled out.
    pub fn message(&self) -> String {
        match self {
            Error::Fields(fields) => {
                format!("填写有误：{}", fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))
            }
            other => other.to_string(),
        }
    }

    /// The messages of a refusal, one per problem; `None` for errors that
    /// are not a refusal of the input (forbidden, missing, internal). A
    /// busy database counts: the form comes back with what was typed, to
    /// be sent again in a moment.
    pub fn refusal(&self) -> Option<Vec<String>> {
        match self {
            Error::Invalid(m) | Error::Conflict(m) | Error::TooLarge(m) => Some(vec![m.clone()]),
            Error::Busy => Some(vec![taizhang_store::BUSY_MESSAGE.to_string()]),
            Error::Fields(f) => Some(f.iter().map(|e| e.message.clone()).collect()),
            _ => None,
        }
    }
}
