//! A register's plain columns, from its field schema
//! (`taizhang_core::register`): the column lists of INSERT, UPDATE and
//! SELECT, the values bound to them and the entry read back, so a new
//! plain field needs only its migration column and its core definition.
//!
//! Numbers and people are `BIGINT` (NULL when empty); dates are `TEXT`
//! (NULL when empty); every other field is `TEXT` (empty text when empty).

use crate::StoreError;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};
use taizhang_core::register::{FieldKind, Register, RegisterField, Values};

/// The stored fields of a register, with their columns, in schema order.
fn stored<T: Register>() -> impl Iterator<Item = (&'static str, &'static RegisterField)> {
    T::FIELDS.iter().filter_map(|f| f.column.map(|c| (c, f)))
}

/// `p.a, p.b, …`: the register's columns for a SELECT, each prefixed.
pub(crate) fn select_list<T: Register>(prefix: &str) -> String {
    stored::<T>().map(|(c, _)| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ")
}

/// `a, b, …` and `$first, $first+1, …`: the columns and placeholders of
/// an INSERT, and the next free placeholder number.
pub(crate) fn insert_lists<T: Register>(first: usize) -> (String, String, usize) {
    let columns: Vec<&str> = stored::<T>().map(|(c, _)| c).collect();
    (columns.join(", "), crate::bulk::numbered(first, columns.len()), first + columns.len())
}

/// `a = $first, b = $first+1, …` for an UPDATE, and the next placeholder.
pub(crate) fn update_list<T: Register>(first: usize) -> (String, usize) {
    let sets: Vec<String> = stored::<T>().enumerate().map(|(i, (c, _))| format!("{c} = ${}", first + i)).collect();
    let next = first + sets.len();
    (sets.join(", "), next)
}

/// Binds the entry's stored fields, in the order of the lists above.
pub(crate) fn bind<'q, T: Register>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    entry: &T,
) -> Query<'q, Any, AnyArguments<'q>> {
    let values = entry.to_values();
    for (_, f) in stored::<T>() {
        let text = values.get(f.name).to_string();
        query = match f.kind {
            FieldKind::Person | FieldKind::Number => query.bind(text.parse::<i64>().ok()),
            FieldKind::Date => query.bind(Some(text).filter(|t| !t.is_empty())),
            _ => query.bind(text),
        };
    }
    query
}

/// The entry of a row selected with [`select_list`].
pub(crate) fn entry_from<T: Register>(row: &AnyRow) -> Result<T, StoreError> {
    let mut values = Values::default();
    for (column, f) in stored::<T>() {
        let text = if f.is_integer() {
            row.try_get::<Option<i64>, _>(column)?.map(|n| n.to_string())
        } else {
            row.try_get::<Option<String>, _>(column)?
        };
        values.set(f.name, text.unwrap_or_default());
    }
    T::from_values(&values, None).map_err(|errors| {
        let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        StoreError::Invalid(format!("数据库中的{}无法识别：{}", T::NAME, messages.join("；")))
    })
}
