//! A register's plain fields as ledger columns and cells, from its field
//! schema (`taizhang_core::register`): a new field of a register appears
//! in its exported ledger with nothing written here.

use taizhang_core::fields::parse_date;
use taizhang_core::register::{FieldKind, Register};

use crate::ledger::{Cell, Column, ColumnKind};

/// One column per field, headed by its label.
pub fn columns<T: Register>() -> Vec<Column> {
    T::FIELDS
        .iter()
        .map(|f| match f.kind {
            FieldKind::LongText => Column { width: Some(38.0), ..Column::new(f.label, ColumnKind::LongText) },
            FieldKind::Date => Column::new(f.label, ColumnKind::Date),
            FieldKind::Number => Column::new(f.label, ColumnKind::Int),
            _ => Column::new(f.label, ColumnKind::Text),
        })
        .collect()
}

/// The entry's cells: choices as their labels, dates as dates, people as
/// `person` names them (by field name).
pub fn cells<T: Register>(entry: &T, person: &dyn Fn(&str) -> String) -> Vec<Cell> {
    let values = entry.to_values();
    T::FIELDS
        .iter()
        .map(|f| {
            let text = values.get(f.name);
            match f.kind {
                FieldKind::Person => Cell::Text(person(f.name)),
                _ if text.is_empty() && !matches!(f.kind, FieldKind::Text | FieldKind::LongText) => Cell::Empty,
                FieldKind::Date => parse_date(text).map(Cell::Date).unwrap_or_else(|| Cell::Text(text.into())),
                FieldKind::Number => text.parse().map(Cell::Int).unwrap_or_else(|_| Cell::Text(text.into())),
                FieldKind::Choice(_) => {
                    let label = f.choices().into_iter().find(|c| c.0 == text).map(|c| c.1).unwrap_or(text);
                    Cell::Text(label.into())
                }
                FieldKind::Text | FieldKind::LongText => Cell::Text(text.into()),
            }
        })
        .collect()
}
