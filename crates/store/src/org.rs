//! Units, people, roles and channels.

use crate::audit::{self, Actor};
use crate::db::{Store, WriteTx};
use crate::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;
use taizhang_core::engine::Channel;
use taizhang_core::org::{Person, Role, RoleKind, Unit, UnitKind, UnitTree};

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: String,
    pub parent_id: Option<i64>,
    pub kind: UnitKind,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub unit_id: i64,
    pub name: String,
    pub title: String,
    pub username: Option<String>,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewChannel {
    pub unit_id: i64,
    pub name: String,
    pub kind: String,
    pub account: String,
    pub owner: Option<i64>,
}

/// What a login needs to know about a username.
#[derive(Debug, Clone)]
pub struct Login {
    pub person: Person,
    pub password_hash: Option<String>,
    pub active: bool,
    /// Signs in through the directory (LDAP) only: no local password.
    pub directory_only: bool,
}

/// The whole organisation, loaded at once: it is small next to the records.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub roles: Vec<Role>,
    pub channels: Vec<Channel>,
    /// Built on first use, for an organisation that no longer changes.
    index: std::sync::OnceLock<OrgIndex>,
}

/// Positions in [`Org::people`] and [`Org::roles`] by unit and by person:
/// what handing a province's people out to chunks of groups looks up,
/// instead of passing over all of them for every chunk.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgIndex {
    /// Person id → position in `people`.
    pub(crate) person: HashMap<i64, usize>,
    /// Unit → positions in `people` of those who belong to it.
    pub(crate) people_of_unit: HashMap<i64, Vec<usize>>,
    /// Unit → positions in `roles` scoped to it or in charge of it.
    pub(crate) roles_at_unit: HashMap<i64, Vec<usize>>,
}

impl Org {
    pub(crate) fn index(&self) -> &OrgIndex {
        self.index.get_or_init(|| {
            let mut index = OrgIndex::default();
            for (i, p) in self.people.iter().enumerate() {
                index.person.insert(p.id, i);
                index.people_of_unit.entry(p.unit_id).or_default().push(i);
            }
            for (i, r) in self.roles.iter().enumerate() {
                let mut units: Vec<i64> = std::iter::once(r.scope).chain(r.in_charge_of.iter().copied()).collect();
                units.sort_unstable();
                units.dedup();
                for u in units {
                    index.roles_at_unit.entry(u).or_default().push(i);
                }
            }
            index
        })
    }

    pub fn tree(&self) -> UnitTree {
        UnitTree::new(self.units.iter().cloned())
    }

    /// Through the index: a province has some 94,000 people, and pages
    /// look names up one at a time.
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.index().person.get(&id).map(|&i| &self.people[i])
    }

    pub fn roles_of(&self, person_id: i64) -> Vec<&Role> {
        self.roles.iter().filter(|r| r.person_id == person_id).collect()
    }
}

fn unit_from(row: &AnyRow) -> Result<Unit, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Unit {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        parent_id: row.try_get("parent_id")?,
        kind: UnitKind::parse(&kind).ok_or_else(|| StoreError::Invalid(format!("未知的单位类型：{kind}")))?,
    })
}

pub(crate) fn person_from(row: &AnyRow) -> Result<Person, StoreError> {
    Ok(Person {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        name: row.try_get("name")?,
        title: row.try_get("title")?,
    })
}

fn role_from(row: &AnyRow) -> Result<Role, StoreError> {
    let kind: String = row.try_get("kind")?;
    let in_charge: String = row.try_get("in_charge_of")?;
    Ok(Role {
        person_id: row.try_get("person_id")?,
        kind: RoleKind::parse(&kind).ok_or_else(|| StoreError::Invalid(format!("未知的角色：{kind}")))?,
        scope: row.try_get("scope_unit_id")?,
        in_charge_of: serde_json::from_str(&in_charge).unwrap_or_default(),
    })
}

fn channel_from(row: &AnyRow) -> Result<Channel, StoreError> {
    Ok(Channel {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        owner: row.try_get("owner_person_id")?,
    })
}

impl Store {
    pub async fn org(&self) -> Result<Org, StoreError> {
        let units =
            sqlx::query("SELECT id, name, parent_id, kind FROM units ORDER BY id").fetch_all(&self.pool).await?;
        let people =
            sqlx::query("SELECT id, unit_id, name, title FROM people ORDER BY id").fetch_all(&self.pool).await?;
        let roles = sqlx::query("SELECT person_id, kind, scope_unit_id, in_charge_of FROM roles ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let channels = sqlx::query("SELECT id, unit_id, name, kind, owner_person_id FROM channels ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(Org {
            units: units.iter().map(unit_from).collect::<Result<_, _>>()?,
            people: people.iter().map(person_from).collect::<Result<_, _>>()?,
            roles: roles.iter().map(role_from).collect::<Result<_, _>>()?,
            channels: channels.iter().map(channel_from).collect::<Result<_, _>>()?,
            index: Default::default(),
        })
    }

    pub async fn login(&self, username: &str) -> Result<Option<Login>, StoreError> {
        let row = sqlx::query(
            "SELECT p.id, p.unit_id, p.name, p.title, p.password_hash, p.active, d.id AS directory_only \
             FROM people p LEFT JOIN directory_only d ON d.person_id = p.id WHERE p.username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Login {
                person: person_from(&r)?,
                password_hash: r.try_get("password_hash")?,
                active: r.try_get::<i64, _>("active")? == 1,
                directory_only: r.try_get::<Option<i64>, _>("directory_only")?.is_some(),
            })
        })
        .transpose()
    }

    /// People with a login: (id, username, active), for the administrator.
    pub async fn accounts(&self) -> Result<Vec<(i64, String, bool)>, StoreError> {
        let rows = sqlx::query("SELECT id, username, active FROM people WHERE username IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("username")?, r.try_get::<i64, _>("active")? == 1)))
            .collect()
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>, StoreError> {
        let row = sqlx::query("SELECT id, unit_id, name, title FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(person_from).transpose()
    }

    pub async fn roles_of(&self, person_id: i64) -> Result<Vec<Role>, StoreError> {
        let rows = sqlx::query(
            "SELECT person_id, kind, scope_unit_id, in_charge_of FROM roles WHERE person_id = $1 ORDER BY id",
        )
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(role_from).collect()
    }

    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query("SELECT id, name, parent_id, kind FROM units ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(unit_from).collect()
    }

    pub async fn username_of(&self, person_id: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT username FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?
            .flatten())
    }

    pub async fn count_admins(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM roles WHERE kind = 'admin'").fetch_one(&self.pool).await?)
    }
}

impl WriteTx<'_> {
    pub async fn create_unit(&mut self, actor: &Actor, new: &NewUnit) -> Result<Unit, StoreError> {
        if new.name.trim().is_empty() {
            return Err(StoreError::Invalid("单位名称不能为空".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (name, parent_id, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.name.trim())
        .bind(new.parent_id)
        .bind(new.kind.code())
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "units", id, None).await?;
        Ok(Unit { id, name: new.name.trim().to_string(), parent_id: new.parent_id, kind: new.kind })
    }

    pub async fn create_person(&mut self, actor: &Actor, new: &NewPerson) -> Result<Person, StoreError> {
        if new.name.trim().is_empty() {
            return Err(StoreError::Invalid("姓名不能为空".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (unit_id, name, title, username, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(new.name.trim())
        .bind(new.title.trim())
        .bind(new.username.as_deref())
        .bind(new.password_hash.as_deref())
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "people", id, None).await?;
        Ok(Person { id, unit_id: new.unit_id, name: new.name.trim().into(), title: new.title.trim().into() })
    }

    pub async fn set_password(&mut self, actor: &Actor, person_id: i64, password_hash: &str) -> Result<(), StoreError> {
        let before = audit::snapshot(self.conn(), "people", person_id).await?;
        if before.is_none() {
            return Err(StoreError::NotFound(format!("没有编号为{person_id}的人员")));
        }
        sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        audit::append(self, actor, "set_password", "people", person_id, before).await
    }

    /// Enables or disables a login; the person's records stay.
    pub async fn set_active(&mut self, actor: &Actor, person_id: i64, active: bool) -> Result<(), StoreError> {
        let before = audit::snapshot(self.conn(), "people", person_id).await?;
        if before.is_none() {
            return Err(StoreError::NotFound(format!("没有编号为{person_id}的人员")));
        }
        sqlx::query("UPDATE people SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(person_id)
            .execute(self.conn())
            .await?;
        let action = if active { "enable" } else { "disable" };
        audit::append(self, actor, action, "people", person_id, before).await
    }

    /// Marks the person as signing in through the directory only (or not).
    pub async fn set_directory_only(&mut self, actor: &Actor, person_id: i64, only: bool) -> Result<(), StoreError> {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM directory_only WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(self.conn())
            .await?;
        match (existing, only) {
            (None, true) => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO directory_only (person_id, created_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(person_id)
                .bind(crate::now_text())
                .fetch_one(self.conn())
                .await?;
                audit::append(self, actor, "create", "directory_only", id, None).await
            }
            (Some(id), false) => {
                let before = audit::snapshot(self.conn(), "directory_only", id).await?;
                sqlx::query("DELETE FROM directory_only WHERE id = $1").bind(id).execute(self.conn()).await?;
                audit::append(self, actor, "delete", "directory_only", id, before).await
            }
            _ => Ok(()),
        }
    }

    pub async fn add_role(&mut self, actor: &Actor, role: &Role) -> Result<i64, StoreError> {
        let in_charge = serde_json::to_string(&role.in_charge_of).expect("ids serialise");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO roles (person_id, kind, scope_unit_id, in_charge_of) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(role.person_id)
        .bind(role.kind.code())
        .bind(role.scope)
        .bind(in_charge)
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "roles", id, None).await?;
        Ok(id)
    }

    pub async fn create_channel(&mut self, actor: &Actor, new: &NewChannel) -> Result<Channel, StoreError> {
        if new.name.trim().is_empty() {
            return Err(StoreError::Invalid("阵地名称不能为空".into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO channels (unit_id, name, kind, account, owner_person_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(new.name.trim())
        .bind(&new.kind)
        .bind(&new.account)
        .bind(new.owner)
        .bind(crate::now_text())
        .fetch_one(self.conn())
        .await?;
        audit::append(self, actor, "create", "channels", id, None).await?;
        Ok(Channel { id, unit_id: new.unit_id, name: new.name.trim().into(), kind: new.kind.clone(), owner: new.owner })
    }
}
