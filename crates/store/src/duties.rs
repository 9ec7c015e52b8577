//! Duty lists: stored as their TOML source, adopted by units in order.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
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

    /// The items of many units at once.
    pub async fn duty_items_for_many(&self, unit_ids: &[i64]) -> Result<HashMap<i64, Vec<DutyItem>>, StoreError> {
        let mut adopted = self.adopted_lists(unit_ids).await?;
        let default = parsed(DEFAULT_LIST_TOML)?;
        let mut out = HashMap::new();
        for unit in unit_ids {
            let items = match adopted.remove(unit) {
                Some(lists) => merge_lists(lists.iter().map(Arc::as_ref)),
                None => default.items.clone(),
            };
            out.insert(*unit, items);
        }
        Ok(out)
    }

    /// The lists each of these units adopted, in order (units without any
    /// are absent). Reads the adoptions of these units and the sources of
    /// the few lists they name; each source is parsed once per process.
    pub(crate) async fn adopted_lists(&self, unit_ids: &[i64]) -> Result<HashMap<i64, Vec<Arc<DutyList>>>, StoreError> {
        if unit_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let wanted: HashSet<i64> = unit_ids.iter().copied().collect();
        // A roll-up asks for most units: then read them all rather than name them.
        let filter = if unit_ids.len() <= 1000 {
            format!("WHERE unit_id IN ({})", crate::bulk::numbered(1, unit_ids.len()))
        } else {
            String::new()
        };
        let sql = format!("SELECT unit_id, list_id FROM adoptions {filter} ORDER BY unit_id, position");
        let mut query = sqlx::query(&sql);
        if !filter.is_empty() {
            for id in unit_ids {
                query = query.bind(*id);
            }
        }
        let mut adopted: Vec<(i64, i64)> = Vec::new();
        for row in query.fetch_all(&self.pool).await? {
            let (unit, list): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            if wanted.contains(&unit) {
                adopted.push((unit, list));
            }
        }
        let mut lists: HashMap<i64, Arc<DutyList>> = HashMap::new();
        let mut ids: Vec<i64> = adopted.iter().map(|(_, l)| *l).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let source: String = sqlx::query_scalar("SELECT source FROM duty_lists WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
            lists.insert(id, parsed(&source)?);
        }
        let mut out: HashMap<i64, Vec<Arc<DutyList>>> = HashMap::new();
        for (unit, list) in adopted {
            out.entry(unit).or_default().push(lists[&list].clone());
        }
        Ok(out)
    }
}

/// A list's source parsed, remembered by its text: a province's pages and
/// roll-ups read the same few lists over and over, and parsing the TOML
/// costs more than the rest of a dashboard's loading.
fn parsed(source: &str) -> Result<Arc<DutyList>, StoreError> {
    static PARSED: Mutex<Option<HashMap<String, Arc<DutyList>>>> = Mutex::new(None);
    let mut memo = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    let memo = memo.get_or_insert_with(HashMap::new);
    if let Some(list) = memo.get(source) {
        return Ok(list.clone());
    }
    let list = Arc::new(load_duty_list(source).map_err(|e| StoreError::Invalid(e.to_string()))?);
    // Lists are few; a bound keeps a stream of new versions from growing it.
    if memo.len() >= 64 {
        memo.clear();
    }
    memo.insert(source.to_string(), list.clone());
    Ok(list)
}
