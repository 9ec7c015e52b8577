//! Document output for taizhang: everything a person prints, signs or
//! hands to an inspector. Pure functions from data to bytes; no I/O.
//!
//! - [`gbt9704`]: a GB/T 9704-2012 .docx writer for 报告 and other 公文.
//! - [`report`]: the conventions of a 报告 (title, opening, 一/二/三 parts,
//!   "特此报告。") as a builder over [`gbt9704::Document`].
//! - [`ledger`]: .xlsx ledgers (台账).
//! - [`pdf`]: small PDFs the product makes as evidence (签到表).
//! - [`bundle`]: the inspection bundle, a zip with a hashed manifest.
//! - [`source`]: what the documents of a unit and period are made from
//!   (the engine's evaluation and the records), as plain data.
//! - [`compose`]: the report composer (报告, 自查报告) over [`report`].
//! - [`record_ledgers`]: the ledgers of the records and the evaluation.
//! - [`risk_ledger`]: the 风险隐患台账.
//! - [`assessment_ledger`]: the 考核评分表 and the superior's 考核排名.
//! - [`news_ledger`]: the 信息报送台账 with its statistics.
//! - [`import_file`]: an uploaded CSV or .xlsx file as the sheet every
//!   importer reads (with the limits an upload must keep to).
//! - [`import_template`]: the .xlsx import templates.
//! - [`inspection`]: the inspection bundle of a unit and period, and the
//!   file names of all downloads.

pub mod assessment_ledger;
pub mod bundle;
pub mod cn;
pub mod compose;
pub mod drafts_ledger;
mod error;
pub mod feedback_ledger;
pub mod gbt9704;
pub mod import_file;
pub mod import_template;
pub mod inspection;
pub mod ledger;
pub mod news_ledger;
pub mod pdf;
pub mod record_ledgers;
pub mod rectification_ledger;
pub mod register_columns;
pub mod report;
pub mod risk_ledger;
pub mod sample;
pub mod source;

pub use error::{BundleProblem, DocsError};
