//! Reading many units' records for the engine, packed: the database joins
//! each unit's records into one text value and this module takes it apart.
//!
//! A province's roll-up reads two million records. Read as rows, most of
//! the time went to handling rows one by one (the `Any` driver copies
//! every row's values and column names); one value per unit costs a
//! six-hundredth of that, and the database does no more work either way.
//!
//! The separators are the ASCII record (0x1E) and unit (0x1F) separators,
//! which JSON text never holds unescaped, and the other fields are numbers
//! and dates.

use crate::db::{Backend, Store};
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::record::{Record, RecordData, RecordKind};

const BETWEEN_RECORDS: char = '\u{1e}';
const BETWEEN_FIELDS: char = '\u{1f}';

/// The SQL that packs one unit's records: fields joined by 0x1F, records
/// by 0x1E, in the order [`unpack`] reads them. Every column is NOT NULL:
/// a NULL would drop its record from the text silently.
///
/// The text comes as bytes (`textsend`: the text in the connection's
/// encoding, UTF-8, as `bytea`) and is checked as UTF-8 by
/// [`PackedRecords::unpack`]: the driver's check of a text value, a
/// character at a time and most of it Chinese, was 8 % of a cold
/// roll-up's CPU, on a thread that serves requests. (`convert_to` would
/// have PostgreSQL check it once more, 0.4 s for a province.)
fn packing(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            "textsend(string_agg(id || chr(31) || occurred_on || chr(31) || entered_at || chr(31) || revision \
             || chr(31) || kind || chr(31) || data, chr(30)))"
        }
        Backend::Sqlite => {
            "CAST(group_concat(id || char(31) || occurred_on || char(31) || entered_at || char(31) || revision \
             || char(31) || kind || char(31) || data, char(30)) AS BLOB)"
        }
    }
}

/// Units' records as the database packed them, one row per unit: read on
/// a thread that serves requests, taken apart by [`PackedRecords::unpack`]
/// on another (some tens of milliseconds for a chunk of a province).
#[derive(Default)]
pub(crate) struct PackedRecords(Vec<AnyRow>);

impl Store {
    /// The records of these units (of every unit with an empty list)
    /// between two dates, packed. In no particular order: the engine's
    /// inputs sort each group's few. Sorting a chunk of a province in the
    /// database spilled to disk and kept PostgreSQL from using the index.
    pub(crate) async fn records_packed(
        &self,
        unit_ids: &[i64],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PackedRecords, StoreError> {
        let units = if unit_ids.is_empty() {
            String::new()
        } else {
            format!(" AND unit_id IN ({})", crate::bulk::numbered(3, unit_ids.len()))
        };
        let sql = format!(
            "SELECT unit_id, {} AS packed FROM records \
             WHERE deleted = 0 AND occurred_on >= $1 AND occurred_on <= $2{units} GROUP BY unit_id",
            packing(self.backend)
        );
        let mut query = sqlx::query(&sql).bind(from.to_string()).bind(to.to_string());
        for id in unit_ids {
            query = query.bind(*id);
        }
        Ok(PackedRecords(query.fetch_all(&self.pool).await?))
    }
}

impl PackedRecords {
    /// Takes the records apart: CPU only, for a blocking thread.
    pub(crate) fn unpack(self) -> Result<Vec<Record>, StoreError> {
        // Where each record starts and ends, found first (a chunk is some
        // megabytes: searched a block at a time), so that the records'
        // vector is sized once: grown a push at a time, a chunk's records
        // were copied twice over.
        let mut units = Vec::with_capacity(self.0.len());
        let mut count = 0;
        for row in &self.0 {
            let unit_id: i64 = row.try_get("unit_id")?;
            let bytes: &[u8] = row.try_get("packed")?;
            let text = simdutf8::basic::from_utf8(bytes)
                .map_err(|_| StoreError::Invalid(format!("单位{unit_id}的记录不是有效的 UTF-8 文本")))?;
            let ends: Vec<usize> = memchr::memchr_iter(BETWEEN_RECORDS as u8, bytes).chain([bytes.len()]).collect();
            count += ends.len();
            units.push((unit_id, text, ends));
        }
        let mut records = Vec::with_capacity(count);
        for (unit_id, text, ends) in units {
            let mut start = 0;
            for end in ends {
                // The separator is ASCII: both ends are character boundaries.
                records.push(unpack(unit_id, &text[start..end])?);
                start = end + 1;
            }
        }
        Ok(records)
    }
}

/// One record from its packed fields.
fn unpack(unit_id: i64, packed: &str) -> Result<Record, StoreError> {
    let bad =
        || StoreError::Invalid(format!("单位{unit_id}的记录无法读取：{}", packed.chars().take(80).collect::<String>()));
    let mut fields = packed.splitn(6, BETWEEN_FIELDS);
    let mut next = || fields.next().ok_or_else(bad);
    let id: i64 = next()?.parse().map_err(|_| bad())?;
    let occurred_on: NaiveDate = next()?.parse().map_err(|_| bad())?;
    let entered_at = crate::parse_instant(next()?);
    let revision: i64 = next()?.parse().map_err(|_| bad())?;
    let kind = RecordKind::parse(next()?).ok_or_else(bad)?;
    let data = RecordData::from_json_of_kind(kind, next()?)
        .map_err(|e| StoreError::Invalid(format!("记录{id}的内容无法读取：{e}")))?;
    Ok(Record { id, unit_id, occurred_on, entered_at, revision, data, files: Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_record_reads_back_and_a_damaged_one_is_refused() {
        let data = RecordData::Report(taizhang_core::record::Report {
            title: "半年报告\t含制表符\n和换行".into(),
            ..Default::default()
        });
        let json = serde_json::to_string(&data).unwrap();
        assert!(!json.contains([BETWEEN_RECORDS, BETWEEN_FIELDS]), "JSON escapes control characters");
        let packed = format!("12\u{1f}2026-07-01\u{1f}2026-07-02T08:00:00+00:00\u{1f}3\u{1f}report\u{1f}{json}");
        let r = unpack(5, &packed).unwrap();
        assert_eq!((r.id, r.unit_id, r.revision, r.data), (12, 5, 3, data));
        assert_eq!(r.occurred_on, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(r.entered_at.to_rfc3339(), "2026-07-02T08:00:00+00:00");
        for damaged in [
            "12\u{1f}2026-07-01",
            "x\u{1f}2026-07-01\u{1f}t\u{1f}3\u{1f}report\u{1f}{}",
            &packed.replace("report", "memo"),
        ] {
            assert!(matches!(unpack(5, damaged), Err(StoreError::Invalid(_))), "{damaged}");
        }
    }
}
