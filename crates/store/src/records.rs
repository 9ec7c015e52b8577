//! Records of work. An edit archives the previous revision first, so every
//! earlier version stays readable; both writes are audited.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::record::{FieldError, Record, RecordData, RecordKind};

#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    pub unit_id: i64,
    pub occurred_on: NaiveDate,
    pub data: RecordData,
}

/// An earlier revision of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub revision: i64,
    pub occurred_on: NaiveDate,
    pub data: RecordData,
    pub replaced_at: chrono::DateTime<chrono::Utc>,
    pub replaced_by: Option<i64>,
}

/// Why a record was voided (作废), by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Void {
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<i64>,
    pub by_name: String,
    pub reason: String,
}

/// The longest reason for voiding a record.
pub const VOID_REASON_MAX_CHARS: usize = 500;

/// Records per multi-row INSERT in [`WriteTx::create_records`] (8 values each).
const RECORDS_PER_INSERT: usize = 400;

const COLUMNS: &str = "id, unit_id, occurred_on, entered_at, revision, data";

fn void_from(row: &AnyRow) -> Result<Void, StoreError> {
    Ok(Void {
        at: crate::parse_instant(&row.try_get::<String, _>("void_at")?),
        by: row.try_get("void_by")?,
        by_name: row.try_get("void_by_name")?,
        reason: row.try_get("void_reason")?,
    })
}

const VOID_COLUMNS: &str =
    "v.at AS void_at, v.person_id AS void_by, v.person_name AS void_by_name, v.reason AS void_reason";

fn record_from(row: &AnyRow) -> Result<Record, StoreError> {
    let data: String = row.try_get("data")?;
    Ok(Record {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        occurred_on: crate::parse_date(&row.try_get::<String, _>("occurred_on")?)?,
        entered_at: crate::parse_instant(&row.try_get::<String, _>("entered_at")?),
        revision: row.try_get("revision")?,
        data: serde_json::from_str(&data).map_err(|e| StoreError::Invalid(format!("记录内容无法读取：{e}")))?,
        files: Default::default(),
    })
}

fn validated_json(data: &RecordData) -> Result<String, StoreError> {
    data.validate().map_err(StoreError::Fields)?;
    Ok(serde_json::to_string(data).expect("records serialise"))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl WriteTx<'_> {
    pub async fn create_record(&mut self, actor: &Actor, new: &NewRecord) -> Result<Record, StoreError> {
        let json = validated_json(&new.data)?;
        self.check_channel(new.unit_id, &new.data).await?;
        let entered_at = crate::now_text();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO records (unit_id, kind, occurred_on, entered_at, entered_by, revision, data, deleted) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, 0) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(new.data.kind().code())
        .bind(date_text(new.occurred_on))
        .bind(&entered_at)
        .bind(actor.person_id)
        .bind(&json)
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "records", id, None).await?;
        Ok(Record {
            id,
            unit_id: new.unit_id,
            occurred_on: new.occurred_on,
            entered_at: crate::parse_instant(&entered_at),
            revision: 1,
            data: new.data.clone(),
            files: Default::default(),
        })
    }

    /// Writes many records at once, checked as [`WriteTx::create_record`]
    /// checks one (all before the first is written) and audited the same
    /// way, a few hundred rows per statement; returns their ids in order.
    pub async fn create_records(&mut self, actor: &Actor, new: &[NewRecord]) -> Result<Vec<i64>, StoreError> {
        let jsons = new.iter().map(|r| validated_json(&r.data)).collect::<Result<Vec<_>, _>>()?;
        let mut checked = std::collections::HashSet::new();
        for r in new {
            if let Some(channel) = r.data.channel_id() {
                if checked.insert((r.unit_id, channel, r.data.kind())) {
                    self.check_channel(r.unit_id, &r.data).await?;
                }
            }
        }
        let entered_at = crate::now_text();
        let mut ids = Vec::with_capacity(new.len());
        for (rows, jsons) in new.chunks(RECORDS_PER_INSERT).zip(jsons.chunks(RECORDS_PER_INSERT)) {
            let sql = format!(
                "INSERT INTO records (unit_id, kind, occurred_on, entered_at, entered_by, revision, data, deleted) \
                 VALUES {} RETURNING id",
                crate::bulk::placeholders(rows.len(), 8)
            );
            let mut q = sqlx::query_scalar(&sql);
            for (r, json) in rows.iter().zip(jsons) {
                q = q
                    .bind(r.unit_id)
                    .bind(r.data.kind().code())
                    .bind(date_text(r.occurred_on))
                    .bind(&entered_at)
                    .bind(actor.person_id)
                    .bind(1i64)
                    .bind(json)
                    .bind(0i64);
            }
            let mut chunk: Vec<i64> = q.fetch_all(self.conn()).await?;
            chunk.sort_unstable();
            audit::append_many(self, actor, "create", "records", &chunk).await?;
            ids.extend(chunk);
        }
        Ok(ids)
    }

    /// A record about a channel must name a channel of its own Party group
    /// (the record's unit or, for a branch, the unit above it), of a kind
    /// that suits the record: an event is filed for an event channel.
    async fn check_channel(&mut self, unit_id: i64, data: &RecordData) -> Result<(), StoreError> {
        let Some(channel_id) = data.channel_id() else { return Ok(()) };
        let kind: Option<String> = sqlx::query_scalar(
            "SELECT kind FROM channels WHERE id = $1 \
             AND (unit_id = $2 OR unit_id = (SELECT parent_id FROM units WHERE id = $2))",
        )
        .bind(channel_id)
        .bind(unit_id)
        .fetch_optional(self.conn())
        .await?;
        let field = |message: String| StoreError::Fields(vec![FieldError { field: "channel_id", message }]);
        match kind {
            None => Err(field(format!("编号为{channel_id}的宣传阵地不属于本单位"))),
            Some(k) if !data.kind().suits_channel(&k) => {
                let label = taizhang_core::duty::channel_kind_label(&k);
                Err(field(format!("{}不能登记在“{label}”类阵地下", data.kind().label())))
            }
            Some(_) => Ok(()),
        }
    }

    /// Replaces a record's content. `expected_revision` guards against
    /// overwriting someone else's edit made since the form was opened.
    pub async fn update_record(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        occurred_on: NaiveDate,
        data: &RecordData,
    ) -> Result<Record, StoreError> {
        let json = validated_json(data)?;
        let row = sqlx::query(&format!("SELECT {COLUMNS}, kind FROM records WHERE id = $1 AND deleted = 0"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的记录")))?;
        let old = record_from(&row)?;
        if old.kind() != data.kind() {
            return Err(StoreError::Invalid("不能修改记录的类别".into()));
        }
        self.check_channel(old.unit_id, data).await?;
        if let Some(expected) = expected_revision.filter(|e| *e != old.revision) {
            return Err(StoreError::Conflict(format!(
                "该记录已被他人修改（您打开的是第{expected}版，现为第{}版），请刷新后再改",
                old.revision
            )));
        }
        let rev_id: i64 = sqlx::query_scalar(
            "INSERT INTO record_revisions (record_id, revision, occurred_on, data, replaced_at, replaced_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(old.revision)
        .bind(date_text(old.occurred_on))
        .bind(serde_json::to_string(&old.data).expect("records serialise"))
        .bind(crate::now_text())
        .bind(actor.person_id)
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "archive", "record_revisions", rev_id, None).await?;
        let before = audit::snapshot(self.conn(), "records", id).await?;
        sqlx::query("UPDATE records SET occurred_on = $1, data = $2, revision = revision + 1 WHERE id = $3")
            .bind(date_text(occurred_on))
            .bind(&json)
            .bind(id)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "update", "records", id, before).await?;
        Ok(Record { occurred_on, revision: old.revision + 1, data: data.clone(), ..old })
    }
}

impl WriteTx<'_> {
    /// Voids a record: it keeps its row (and its revisions) but leaves
    /// every count, status, report and ledger; who, when and why are kept
    /// beside it. Both writes are audited.
    pub async fn void_record(&mut self, actor: &Actor, id: i64, reason: &str) -> Result<Void, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Fields(vec![FieldError {
                field: "reason", message: "请填写作废原因".into()
            }]));
        }
        if reason.chars().count() > VOID_REASON_MAX_CHARS {
            let message = format!("作废原因至多{VOID_REASON_MAX_CHARS}字");
            return Err(StoreError::Fields(vec![FieldError { field: "reason", message }]));
        }
        let deleted: Option<i64> = sqlx::query_scalar("SELECT deleted FROM records WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        match deleted {
            None => return Err(StoreError::NotFound(format!("没有编号为{id}的记录"))),
            Some(1) => return Err(StoreError::Conflict("该记录已作废".into())),
            Some(_) => {}
        }
        let before = audit::snapshot(self.conn(), "records", id).await?;
        sqlx::query("UPDATE records SET deleted = 1 WHERE id = $1").bind(id).execute(self.conn()).await?;
        audit::append(self, actor, "void", "records", id, before).await?;
        let at = crate::now_text();
        let void_id: i64 = sqlx::query_scalar(
            "INSERT INTO record_voids (record_id, at, person_id, person_name, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(&at)
        .bind(actor.person_id)
        .bind(&actor.name)
        .bind(reason)
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "record_voids", void_id, None).await?;
        Ok(Void {
            at: crate::parse_instant(&at),
            by: actor.person_id,
            by_name: actor.name.clone(),
            reason: reason.into(),
        })
    }
}

impl Store {
    /// A record whether voided or not, with its void and who entered it.
    pub async fn record_with_void(&self, id: i64) -> Result<Option<(Record, Option<i64>, Option<Void>)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT r.id, r.unit_id, r.occurred_on, r.entered_at, r.revision, r.data, r.entered_by, {VOID_COLUMNS} \
             FROM records r LEFT JOIN record_voids v ON v.record_id = r.id WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let void = match row.try_get::<Option<String>, _>("void_at")? {
            Some(_) => Some(void_from(&row)?),
            None => None,
        };
        Ok(Some((record_from(&row)?, row.try_get("entered_by")?, void)))
    }

    /// Voided records of the given units between two dates, by date.
    pub async fn voided_records(
        &self,
        unit_ids: &[i64],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Record, Void)>, StoreError> {
        if unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(3, unit_ids.len());
        let sql = format!(
            "SELECT r.id, r.unit_id, r.occurred_on, r.entered_at, r.revision, r.data, {VOID_COLUMNS} \
             FROM records r JOIN record_voids v ON v.record_id = r.id \
             WHERE r.occurred_on >= $1 AND r.occurred_on <= $2 AND r.unit_id IN ({}) ORDER BY r.occurred_on, r.id",
            placeholders
        );
        let mut query = sqlx::query(&sql).bind(date_text(from)).bind(date_text(to));
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(|r| Ok((record_from(r)?, void_from(r)?))).collect()
    }

    pub async fn record(&self, id: i64) -> Result<Option<Record>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM records WHERE id = $1 AND deleted = 0"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from).transpose()
    }

    /// Records of the given units between two dates (inclusive), by date.
    pub async fn records(
        &self,
        unit_ids: &[i64],
        kind: Option<RecordKind>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Record>, StoreError> {
        if unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = crate::bulk::numbered(4, unit_ids.len());
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE deleted = 0 AND occurred_on >= $1 AND occurred_on <= $2 \
             AND ($3 = '' OR kind = $3) AND unit_id IN ({}) ORDER BY occurred_on, id",
            placeholders
        );
        let mut query =
            sqlx::query(&sql).bind(date_text(from)).bind(date_text(to)).bind(kind.map(|k| k.code()).unwrap_or(""));
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(record_from).collect()
    }

    pub async fn revisions(&self, record_id: i64) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(
            "SELECT revision, occurred_on, data, replaced_at, replaced_by FROM record_revisions WHERE record_id = $1 ORDER BY revision DESC",
        )
        .bind(record_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Revision {
                    revision: r.try_get("revision")?,
                    occurred_on: crate::parse_date(&r.try_get::<String, _>("occurred_on")?)?,
                    data: serde_json::from_str(&r.try_get::<String, _>("data")?)
                        .map_err(|e| StoreError::Invalid(format!("记录内容无法读取：{e}")))?,
                    replaced_at: crate::parse_instant(&r.try_get::<String, _>("replaced_at")?),
                    replaced_by: r.try_get("replaced_by")?,
                })
            })
            .collect()
    }
}
