//! 信息报送: submissions, quotas and information officers. Every change is
//! checked by `taizhang_core::news` and written with its audit entry in
//! one transaction; a refused change writes nothing.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::register;
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use taizhang_core::news::{NewsData, NewsError, Officer, Quota, QuotaInput, Submission, SubmissionInput};
use taizhang_core::register::Register;

/// The columns of a submission: its plain fields' (from the schema), the
/// authors' and the rest.
fn columns() -> String {
    format!("id, unit_id, {}, author_ids, revision", register::select_list::<SubmissionInput>(""))
}
/// The columns of a quota: its fields' (from the schema) and the rest.
fn quota_columns() -> String {
    format!("id, unit_id, {}", register::select_list::<QuotaInput>(""))
}

fn text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn invalid(e: NewsError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn unreadable(what: &str, value: &str) -> StoreError {
    StoreError::Invalid(format!("数据库中的{what}无法识别：{value}"))
}

fn from_row(row: &AnyRow) -> Result<(Submission, i64), StoreError> {
    let authors: String = row.try_get("author_ids")?;
    let authors = serde_json::from_str(&authors).map_err(|_| unreadable("作者", &authors))?;
    let s = Submission {
        id: row.try_get("id")?,
        ..Submission::new(row.try_get("unit_id")?, authors, register::entry_from(row)?)
    };
    Ok((s, row.try_get("revision")?))
}

/// The plain fields of a checked submission, trimmed.
fn entered(s: &Submission, today: NaiveDate) -> Result<SubmissionInput, StoreError> {
    s.validate(today).map_err(invalid)?;
    s.input().revalidated().map_err(StoreError::Fields)
}

fn quota_from(row: &AnyRow) -> Result<Quota, StoreError> {
    Ok(Quota { id: row.try_get("id")?, ..Quota::new(row.try_get("unit_id")?, register::entry_from(row)?) })
}

/// `WHERE unit_id IN ($1, …)`, or nothing for all units.
fn units_filter(unit_ids: &[i64]) -> String {
    if unit_ids.is_empty() {
        return String::new();
    }
    format!("WHERE unit_id IN ({})", crate::bulk::numbered(1, unit_ids.len()))
}

fn authors_json(s: &Submission) -> String {
    serde_json::to_string(&s.authors).expect("ids serialise")
}

impl WriteTx<'_> {
    /// Adds a submission checked as of `today`; `new.id` is ignored.
    pub async fn create_news(
        &mut self,
        actor: &Actor,
        new: &Submission,
        today: NaiveDate,
    ) -> Result<Submission, StoreError> {
        let input = entered(new, today)?;
        let (columns, marks, n) = register::insert_lists::<SubmissionInput>(2);
        let sql = format!(
            "INSERT INTO news_submissions (unit_id, {columns}, author_ids, revision, created_at) \
             VALUES ($1, {marks}, ${n}, 1, ${}) RETURNING id",
            n + 1
        );
        let id: i64 = register::bind(sqlx::query(&sql).bind(new.unit_id), &input)
            .bind(authors_json(new))
            .bind(crate::now_text())
            .fetch_one(self.conn())
            .await?
            .try_get(0)?;
        audit::append(self, actor, "create", "news_submissions", id, None).await?;
        Ok(self.news_row(id).await?.0)
    }

    /// Applies `change` to a submission and checks the result as of
    /// `today`. `expected_revision`, when given, is the revision the person
    /// read: a change to a newer one is refused.
    pub async fn change_news(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_revision: Option<i64>,
        today: NaiveDate,
        change: impl FnOnce(&mut Submission) -> Result<(), NewsError>,
    ) -> Result<Submission, StoreError> {
        let (mut s, revision) = self.news_row(id).await?;
        if let Some(expected) = expected_revision.filter(|e| *e != revision) {
            return Err(StoreError::Conflict(format!(
                "该信息已被他人修改（您打开的是第{expected}版，现为第{revision}版），请刷新后再操作"
            )));
        }
        let unit = s.unit_id;
        change(&mut s).map_err(invalid)?;
        let input = entered(&s, today)?;
        let before = audit::snapshot(self.conn(), "news_submissions", id).await?;
        let (sets, n) = register::update_list::<SubmissionInput>(1);
        let sql = format!(
            "UPDATE news_submissions SET {sets}, author_ids = ${n}, revision = revision + 1 \
             WHERE id = ${} AND unit_id = ${}",
            n + 1,
            n + 2
        );
        register::bind(sqlx::query(&sql), &input)
            .bind(authors_json(&s))
            .bind(id)
            .bind(unit)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "update", "news_submissions", id, before).await?;
        Ok(self.news_row(id).await?.0)
    }

    async fn news_row(&mut self, id: i64) -> Result<(Submission, i64), StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM news_submissions WHERE id = $1", columns()))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为{id}的信息")))?;
        from_row(&row)
    }

    /// Sets a quota: a unit has one per department (or the whole unit),
    /// cadence and measure, so an existing one gets the new target.
    pub async fn set_news_quota(&mut self, actor: &Actor, quota: &Quota) -> Result<Quota, StoreError> {
        quota.validate().map_err(invalid)?;
        let input = quota.input().revalidated().map_err(StoreError::Fields)?;
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM news_quotas WHERE unit_id = $1 AND COALESCE(department_id, 0) = $2 AND cadence = $3 \
             AND measure = $4",
        )
        .bind(quota.unit_id)
        .bind(input.department_id.unwrap_or(0))
        .bind(input.cadence.code())
        .bind(input.measure.code())
        .fetch_optional(self.conn())
        .await?;
        let id = match existing {
            Some(id) => {
                let before = audit::snapshot(self.conn(), "news_quotas", id).await?;
                let (sets, n) = register::update_list::<QuotaInput>(1);
                let sql = format!("UPDATE news_quotas SET {sets}, revision = revision + 1 WHERE id = ${n}");
                register::bind(sqlx::query(&sql), &input).bind(id).execute(self.conn()).await?;
                audit::append(self, actor, "update", "news_quotas", id, before).await?;
                id
            }
            None => {
                let (columns, marks, _) = register::insert_lists::<QuotaInput>(2);
                let sql = format!(
                    "INSERT INTO news_quotas (unit_id, {columns}, revision) VALUES ($1, {marks}, 1) RETURNING id"
                );
                let id: i64 = register::bind(sqlx::query(&sql).bind(quota.unit_id), &input)
                    .fetch_one(self.conn())
                    .await?
                    .try_get(0)?;
                audit::append(self, actor, "create", "news_quotas", id, None).await?;
                id
            }
        };
        let row = sqlx::query(&format!("SELECT {} FROM news_quotas WHERE id = $1", quota_columns()))
            .bind(id)
            .fetch_one(self.conn())
            .await?;
        quota_from(&row)
    }

    /// Removes a quota of `unit_id` (the id of another unit's is not found).
    pub async fn delete_news_quota(&mut self, actor: &Actor, unit_id: i64, id: i64) -> Result<(), StoreError> {
        let before = audit::snapshot(self.conn(), "news_quotas", id).await?;
        let deleted = sqlx::query("DELETE FROM news_quotas WHERE id = $1 AND unit_id = $2")
            .bind(id)
            .bind(unit_id)
            .execute(self.conn())
            .await?
            .rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound(format!("没有编号为{id}的定额")));
        }
        audit::append(self, actor, "delete", "news_quotas", id, before).await
    }

    /// Makes `people` the officers of a department of `unit_id`: those
    /// no longer named are removed, new ones added, each change audited.
    pub async fn set_news_officers(
        &mut self,
        actor: &Actor,
        unit_id: i64,
        department_id: i64,
        people: &[i64],
    ) -> Result<(), StoreError> {
        let current: Vec<(i64, i64)> = sqlx::query("SELECT id, person_id FROM news_officers WHERE department_id = $1")
            .bind(department_id)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        for (id, person) in &current {
            if !people.contains(person) {
                let before = audit::snapshot(self.conn(), "news_officers", *id).await?;
                sqlx::query("DELETE FROM news_officers WHERE id = $1").bind(id).execute(self.conn()).await?;
                audit::append(self, actor, "delete", "news_officers", *id, before).await?;
            }
        }
        let mut added: Vec<i64> = Vec::new();
        for person in people {
            if current.iter().any(|(_, p)| p == person) || added.contains(person) {
                continue;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO news_officers (unit_id, department_id, person_id) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(unit_id)
            .bind(department_id)
            .bind(person)
            .fetch_one(self.conn())
            .await?;
            audit::append(self, actor, "create", "news_officers", id, None).await?;
            added.push(*person);
        }
        Ok(())
    }
}

impl Store {
    /// A submission and its revision.
    pub async fn news_submission(&self, id: i64) -> Result<Option<(Submission, i64)>, StoreError> {
        let row = sqlx::query(&format!("SELECT {} FROM news_submissions WHERE id = $1", columns()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The submissions of the given Party groups (of all when none are
    /// given) with their revisions, by date sent. With `between`, only
    /// those sent or adopted between the two dates.
    pub async fn news_submissions(
        &self,
        unit_ids: &[i64],
        between: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Vec<(Submission, i64)>, StoreError> {
        let mut filter = units_filter(unit_ids);
        if between.is_some() {
            let (a, b) = (unit_ids.len() + 1, unit_ids.len() + 2);
            let dates = format!(
                "((submitted_on >= ${a} AND submitted_on <= ${b}) OR (adopted_on >= ${a} AND adopted_on <= ${b}))"
            );
            filter = if filter.is_empty() { format!("WHERE {dates}") } else { format!("{filter} AND {dates}") };
        }
        let sql = format!("SELECT {} FROM news_submissions {filter} ORDER BY submitted_on, id", columns());
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        if let Some((from, to)) = between {
            query = query.bind(text(from)).bind(text(to));
        }
        query.fetch_all(&self.pool).await?.iter().map(from_row).collect()
    }

    /// The quotas of the given Party groups (all when none are given).
    pub async fn news_quotas(&self, unit_ids: &[i64]) -> Result<Vec<Quota>, StoreError> {
        let sql = format!("SELECT {} FROM news_quotas {} ORDER BY id", quota_columns(), units_filter(unit_ids));
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        query.fetch_all(&self.pool).await?.iter().map(quota_from).collect()
    }

    /// The officers of the given Party groups (all when none are given),
    /// with the Party group each belongs to.
    pub async fn news_officers(&self, unit_ids: &[i64]) -> Result<Vec<(i64, Officer)>, StoreError> {
        let sql = format!(
            "SELECT unit_id, department_id, person_id FROM news_officers {} ORDER BY id",
            units_filter(unit_ids)
        );
        let mut query = sqlx::query(&sql);
        for id in unit_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, Officer { department_id: r.try_get(1)?, person_id: r.try_get(2)? })))
            .collect()
    }

    /// One Party group's news data; with `between`, only the submissions
    /// sent or adopted in it.
    pub async fn news_data(
        &self,
        unit_id: i64,
        between: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<NewsData, StoreError> {
        Ok(NewsData {
            submissions: self.news_submissions(&[unit_id], between).await?.into_iter().map(|(s, _)| s).collect(),
            quotas: self.news_quotas(&[unit_id]).await?,
            officers: self.news_officers(&[unit_id]).await?.into_iter().map(|(_, o)| o).collect(),
        })
    }
}
