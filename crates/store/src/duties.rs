//! Duty lists: stored as their TOML source, adopted by units in order.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use sqlx::Row;
use std::collections::HashMap;
use taizhang_core::duty::{load_duty_list, merge_lists, DutyItem, DutyList, DEFAULT_LIST_TOML};
use taizhang_core::org::{UnitKind, UnitTree};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub version: String,
    pub issued_by: Option<i64>,
}

impl WriteTx<'_> {
    /// Stores a list after loading it; a list with errors is refused whole.
    pub async fn save_duty_list(
        &mut self,
        actor: &Actor,
        source: &str,
        issued_by: Option<i64>,
    ) -> Result<(i64, DutyList), StoreError> {
        let list = load_duty_list(source).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO duty_lists (code, name, version, source, issued_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&list.id)
        .bind(&list.name)
        .bind(&list.version)
        .bind(source)
        .bind(issued_by)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "duty_lists", id, None).await?;
        Ok((id, list))
    }

    /// Adds a list to the unit's adopted lists (after those it has).
    pub async fn adopt(&mut self, actor: &Actor, unit_id: i64, list_id: i64) -> Result<(), StoreError> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM adoptions WHERE unit_id = $1 AND list_id = $2")
            .bind(unit_id)
            .bind(list_id)
            .fetch_optional(self.conn())
            .await?;
        if exists.is_some() {
            return Ok(());
        }
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM adoptions WHERE unit_id = $1")
                .bind(unit_id)
                .fetch_one(self.conn())
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO adoptions (unit_id, list_id, position, adopted_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(unit_id)
        .bind(list_id)
        .bind(position)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "adoptions", id, None).await
    }

    /// The superior issues a list: every Party group in its subtree adopts it.
    pub async fn issue_to_subtree(
        &mut self,
        actor: &Actor,
        tree: &UnitTree,
        root: i64,
        list_id: i64,
    ) -> Result<usize, StoreError> {
        let groups: Vec<i64> =
            tree.subtree(root).iter().filter(|u| u.kind == UnitKind::PartyGroup).map(|u| u.id).collect();
        for unit in &groups {
            self.adopt(actor, *unit, list_id).await?;
        }
        Ok(groups.len())
    }
}

impl Store {
    pub async fn duty_lists(&self) -> Result<Vec<ListSummary>, StoreError> {
        let rows = sqlx::query("SELECT id, code, name, version, issued_by FROM duty_lists ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ListSummary {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    version: r.try_get("version")?,
                    issued_by: r.try_get("issued_by")?,
                })
            })
            .collect()
    }

    /// The items that apply to a unit: its adopted lists merged in order,
    /// or the built-in default list when it has adopted none.
    pub async fn duty_items_for(&self, unit_id: i64) -> Result<Vec<DutyItem>, StoreError> {
        Ok(self.duty_items_for_many(&[unit_id]).await?.remove(&unit_id).unwrap_or_default())
    }

    /// The items of many units at once; each distinct list is parsed once.
    pub async fn duty_items_for_many(&self, unit_ids: &[i64]) -> Result<HashMap<i64, Vec<DutyItem>>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.unit_id, a.list_id, l.source FROM adoptions a JOIN duty_lists l ON l.id = a.list_id ORDER BY a.unit_id, a.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut parsed: HashMap<i64, DutyList> = HashMap::new();
        let mut adopted: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in &rows {
            let (unit, list): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            if let std::collections::hash_map::Entry::Vacant(slot) = parsed.entry(list) {
                let source: String = row.try_get(2)?;
                slot.insert(load_duty_list(&source).map_err(|e| StoreError::Invalid(e.to_string()))?);
            }
            adopted.entry(unit).or_default().push(list);
        }
        let default = load_duty_list(DEFAULT_LIST_TOML).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut out = HashMap::new();
        for unit in unit_ids {
            let items = match adopted.get(unit) {
                Some(lists) => merge_lists(lists.iter().filter_map(|l| parsed.get(l))),
                None => default.items.clone(),
            };
            out.insert(*unit, items);
        }
        Ok(out)
    }
}
