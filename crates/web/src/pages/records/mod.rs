//! Record lists, forms and detail pages. Forms are generated from the
//! field schema in `taizhang_core::fields`, the same one the CSV importer
//! uses, so the two can never disagree.

mod form;
mod list;
pub(crate) mod show;

pub use form::{create, edit_form, new_form, update};
pub use list::list;
pub use show::{show, void};

use crate::error::AppError;
use taizhang_app::view::View;
use taizhang_core::fields::{FieldSpec, FieldType};
use taizhang_core::record::RecordKind;

/// A field's text for reading: a channel by its name rather than its id.
fn display_value(view: &View, spec: &FieldSpec, text: &str) -> String {
    match spec.ty {
        FieldType::Channel => text
            .parse::<i64>()
            .ok()
            .and_then(|id| view.org.channels.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| text.to_string()),
        _ => text.to_string(),
    }
}

fn kind_param(text: Option<&str>) -> Result<Option<RecordKind>, AppError> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => RecordKind::parse(t).map(Some).ok_or_else(|| AppError::BadRequest(format!("未知的记录类别：{t}"))),
    }
}
