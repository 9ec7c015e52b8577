//! System administration: units, people and their roles, channels, and
//! duty lists issued to a subtree. Only administrators, and each only
//! within the subtrees his or her administrator roles cover.

use crate::view::View;
use crate::{App, Caller, Error};
use taizhang_core::org::{Role, RoleKind, Unit};
use taizhang_store::password::{hash_password, MIN_PASSWORD_CHARS};
use taizhang_store::{NewChannel, NewPerson, NewUnit};

/// The units the caller administers: the subtrees of his or her
/// administrator roles, in tree order; [`Error::Forbidden`] for anyone who
/// administers none.
pub fn managed<'a>(view: &'a View, caller: &Caller) -> Result<Vec<&'a Unit>, Error> {
    let mut out: Vec<&Unit> = Vec::new();
    for role in caller.roles.iter().filter(|r| r.kind == RoleKind::Admin) {
        for u in view.tree.subtree(role.scope) {
            if !out.iter().any(|o| o.id == u.id) {
                out.push(u);
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Forbidden);
    }
    Ok(out)
}

/// The caller must administer `unit`.
fn require_managed(view: &View, caller: &Caller, unit: i64) -> Result<(), Error> {
    if managed(view, caller)?.iter().any(|u| u.id == unit) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// A new unit under `parent`; its name must be new among its siblings.
pub async fn create_unit(app: &App, view: &View, caller: &Caller, new: NewUnit) -> Result<Unit, Error> {
    let parent = new.parent_id.ok_or_else(|| Error::Invalid("请选择上级单位".into()))?;
    require_managed(view, caller, parent)?;
    if view.tree.children(parent).any(|u| u.name == new.name) {
        return Err(Error::Invalid(format!("“{}”已存在", new.name)));
    }
    let mut w = app.store.begin_write().await?;
    let unit = w.create_unit(&caller.actor(), &new).await?;
    w.commit().await?;
    Ok(unit)
}

/// A person to add, with one role and, optionally, a login.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub unit_id: i64,
    pub name: String,
    pub title: String,
    pub role: RoleKind,
    /// The unit the role covers (with its subtree).
    pub scope: i64,
    /// Departments a leader is in charge of (分管).
    pub in_charge_of: Vec<i64>,
    pub username: Option<String>,
    /// The initial password, required with a username.
    pub password: String,
}

pub async fn create_person(app: &App, view: &View, caller: &Caller, input: PersonInput) -> Result<Role, Error> {
    require_managed(view, caller, input.unit_id)?;
    require_managed(view, caller, input.scope)?;
    if input.username.is_some() && input.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!("初始密码至少{MIN_PASSWORD_CHARS}位")));
    }
    if let Some(u) = &input.username {
        if app.store.login(u).await?.is_some() {
            return Err(Error::Invalid(format!("账号“{u}”已被使用")));
        }
    }
    let new = NewPerson {
        unit_id: input.unit_id,
        name: input.name,
        title: input.title,
        password_hash: input.username.as_ref().map(|_| hash_password(&input.password)),
        username: input.username,
    };
    let mut w = app.store.begin_write().await?;
    let person = w.create_person(&caller.actor(), &new).await?;
    let role = Role { person_id: person.id, kind: input.role, scope: input.scope, in_charge_of: input.in_charge_of };
    w.add_role(&caller.actor(), &role).await?;
    w.commit().await?;
    Ok(role)
}

/// A new publishing channel (宣传阵地) of a unit the caller administers.
pub async fn create_channel(app: &App, view: &View, caller: &Caller, new: NewChannel) -> Result<(), Error> {
    require_managed(view, caller, new.unit_id)?;
    if new.owner.is_some_and(|o| view.org.person(o).is_none()) {
        return Err(Error::Invalid("负责人不存在".into()));
    }
    let mut w = app.store.begin_write().await?;
    w.create_channel(&caller.actor(), &new).await?;
    w.commit().await?;
    Ok(())
}

/// What issuing a duty list did.
#[derive(Debug, Clone)]
pub struct Issued {
    pub name: String,
    pub items: usize,
    /// The Party groups that adopted it.
    pub groups: usize,
}

/// Stores a duty list (TOML) and has every Party group under `root` adopt
/// it; a list with errors is refused whole.
pub async fn issue_list(app: &App, view: &View, caller: &Caller, root: i64, source: &str) -> Result<Issued, Error> {
    require_managed(view, caller, root)?;
    let mut w = app.store.begin_write().await?;
    let (list_id, list) = w.save_duty_list(&caller.actor(), source, Some(root)).await?;
    let groups = w.issue_to_subtree(&caller.actor(), &view.tree, root, list_id).await?;
    w.commit().await?;
    Ok(Issued { name: list.name, items: list.items.len(), groups })
}

/// Refused once any administrator exists: `init` is for an empty database.
pub async fn require_uninitialised(app: &App) -> Result<(), Error> {
    if app.store.count_admins().await? > 0 {
        return Err(Error::Invalid("数据库已初始化（已有系统管理员），无需再次运行 init".into()));
    }
    Ok(())
}

/// The first administrator of an empty database, over a new top unit that
/// gets the built-in duty list: what `taizhang init` sets up. Refused once
/// any administrator exists, so it cannot be used to take over a system.
pub async fn initialise(app: &App, unit_name: &str, name: &str, username: &str, password: &str) -> Result<Unit, Error> {
    require_uninitialised(app).await?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!("密码太短：至少{MIN_PASSWORD_CHARS}位")));
    }
    let actor = taizhang_store::Actor::system("初始化");
    let top = NewUnit { name: unit_name.to_string(), parent_id: None, kind: taizhang_core::org::UnitKind::Superior };
    let mut w = app.store.begin_write().await?;
    let unit = w.create_unit(&actor, &top).await?;
    let admin = NewPerson {
        unit_id: unit.id,
        name: name.to_string(),
        title: "系统管理员".into(),
        username: Some(username.to_string()),
        password_hash: Some(hash_password(password)),
    };
    let person = w.create_person(&actor, &admin).await?;
    let role = Role { person_id: person.id, kind: RoleKind::Admin, scope: unit.id, in_charge_of: vec![] };
    w.add_role(&actor, &role).await?;
    w.save_duty_list(&actor, taizhang_core::duty::DEFAULT_LIST_TOML, Some(unit.id)).await?;
    w.commit().await?;
    Ok(unit)
}
