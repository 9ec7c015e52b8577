//! One Party group written from its spec: units, people, roles, channels
//! and the casts its registers are written with. The demo writes its three
//! groups as they are; the synthetic province (`crate::province`) writes
//! thousands, renamed, from the same specs.

use crate::org::{ChannelOwner, GroupSpec, PersonSpec};
use crate::{drafts, feedback, news, rectifications, risks};
use std::collections::HashMap;
use taizhang_core::org::{Role, RoleKind, Unit, UnitKind};
use taizhang_store::{Actor, NewChannel, NewPerson, NewUnit, StoreError, WriteTx};

/// Which of a group's people get a login, and under what name.
pub(crate) enum Logins {
    /// The usernames in the spec (the demo).
    Spec,
    /// The `n`-th group of the province (from 1): its secretary is
    /// `seed-shuji-n`; the first group also has `seed-fuju-1` (the first
    /// leader), `seed-bgs-1` (the office head) and `seed-keyuan-1` (staff).
    Province(usize),
}

/// A group's place in a person's list of posts, for [`Logins`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Post {
    Secretary,
    Leader(usize),
    Head(&'static str),
    Staff,
    BranchSecretary,
}

/// How one group's names come out.
pub(crate) struct Naming {
    /// Replacements applied in order to every unit, channel and record
    /// text: (the template's words, this group's).
    pub swaps: Vec<(String, String)>,
    pub logins: Logins,
}

impl Naming {
    pub fn demo() -> Naming {
        Naming { swaps: Vec::new(), logins: Logins::Spec }
    }

    pub fn name(&self, text: &str) -> String {
        self.swaps.iter().fold(text.to_string(), |t, (from, to)| t.replace(from.as_str(), to))
    }

    fn login(&self, spec: &PersonSpec, post: Post) -> Option<String> {
        match self.logins {
            Logins::Spec => spec.username.map(Into::into),
            Logins::Province(n) => match post {
                Post::Secretary => Some(format!("seed-shuji-{n}")),
                Post::Leader(0) if n == 1 => Some("seed-fuju-1".into()),
                Post::Head("办公室") if n == 1 => Some("seed-bgs-1".into()),
                Post::Staff if n == 1 => Some("seed-keyuan-1".into()),
                _ => None,
            },
        }
    }
}

/// Writes units and people through one transaction, counting them.
pub(crate) struct Writer<'w, 's> {
    pub w: &'w mut WriteTx<'s>,
    pub actor: Actor,
    pub hash: &'w str,
    pub units: Vec<Unit>,
    pub people: usize,
    pub accounts: usize,
    pub channels: usize,
}

impl<'w, 's> Writer<'w, 's> {
    pub fn new(w: &'w mut WriteTx<'s>, actor: Actor, hash: &'w str) -> Self {
        Writer { w, actor, hash, units: Vec::new(), people: 0, accounts: 0, channels: 0 }
    }

    pub async fn unit(&mut self, name: &str, parent_id: Option<i64>, kind: UnitKind) -> Result<i64, StoreError> {
        let unit = self.w.create_unit(&self.actor, &NewUnit { name: name.into(), parent_id, kind }).await?;
        let id = unit.id;
        self.units.push(unit);
        Ok(id)
    }

    /// Creates a person holding one role; returns the person's id.
    pub async fn person(
        &mut self,
        spec: &PersonSpec,
        username: Option<String>,
        unit_id: i64,
        kind: RoleKind,
        scope: i64,
        in_charge_of: Vec<i64>,
    ) -> Result<i64, StoreError> {
        let password_hash = username.as_ref().map(|_| self.hash.to_string());
        self.accounts += usize::from(username.is_some());
        let new = NewPerson { unit_id, name: spec.name.into(), title: spec.title.into(), username, password_hash };
        let person = self.w.create_person(&self.actor, &new).await?;
        self.w.add_role(&self.actor, &Role { person_id: person.id, kind, scope, in_charge_of }).await?;
        self.people += 1;
        Ok(person.id)
    }
}

/// The ids of a group written from its spec.
pub(crate) struct Group {
    pub group: i64,
    pub branches: Vec<i64>,
    pub channels: Vec<i64>,
    pub departments: HashMap<&'static str, i64>,
    pub secretary: i64,
    pub leaders: Vec<i64>,
    pub heads: HashMap<&'static str, i64>,
    pub staff: i64,
}

impl Group {
    fn dept(&self, name: &str) -> Result<i64, StoreError> {
        self.departments.get(name).copied().ok_or_else(|| StoreError::Invalid(format!("演示数据缺少科室：{name}")))
    }
}

/// Writes one Party group under `parent`: departments, branches, people
/// with their roles, channels with their reviewers.
pub(crate) async fn create(
    x: &mut Writer<'_, '_>,
    g: &GroupSpec,
    parent: i64,
    naming: &Naming,
) -> Result<Group, StoreError> {
    let group = x.unit(&naming.name(g.name), Some(parent), UnitKind::PartyGroup).await?;
    let mut departments = HashMap::new();
    for dept in g.departments {
        departments.insert(dept.name, x.unit(dept.name, Some(group), UnitKind::Department).await?);
    }
    let mut branches = Vec::new();
    for b in g.branches {
        branches.push(x.unit(&naming.name(b.name), Some(group), UnitKind::Branch).await?);
    }
    let mut ids = Group {
        group,
        branches,
        channels: Vec::new(),
        departments,
        secretary: 0,
        leaders: Vec::new(),
        heads: HashMap::new(),
        staff: 0,
    };
    let login = |spec: &PersonSpec, post| naming.login(spec, post);
    ids.secretary =
        x.person(&g.secretary, login(&g.secretary, Post::Secretary), group, RoleKind::Secretary, group, vec![]).await?;
    for (i, l) in g.leaders.iter().enumerate() {
        let in_charge = l.in_charge_of.iter().map(|n| ids.dept(n)).collect::<Result<Vec<_>, _>>()?;
        let username = login(&l.person, Post::Leader(i));
        ids.leaders.push(x.person(&l.person, username, group, RoleKind::Leader, group, in_charge).await?);
    }
    for d in g.departments {
        let id = ids.dept(d.name)?;
        let username = login(&d.head, Post::Head(d.name));
        ids.heads.insert(d.name, x.person(&d.head, username, id, RoleKind::DepartmentHead, id, vec![]).await?);
    }
    let office = ids.dept("办公室")?;
    ids.staff = x.person(&g.staff, login(&g.staff, Post::Staff), office, RoleKind::Staff, group, vec![]).await?;
    for (b, id) in g.branches.iter().zip(ids.branches.clone()) {
        let username = login(&b.secretary, Post::BranchSecretary);
        x.person(&b.secretary, username, id, RoleKind::Secretary, id, vec![]).await?;
    }
    let reviewers = drafts::reviewers(&ids.heads, &ids.leaders, ids.secretary)?;
    for c in g.channels {
        let owner = match c.owner {
            ChannelOwner::Head(name) => ids.heads.get(name).copied(),
            ChannelOwner::Staff => Some(ids.staff),
        };
        let new = NewChannel {
            unit_id: group,
            name: naming.name(c.name),
            kind: c.kind.into(),
            account: c.account.into(),
            owner,
        };
        let channel = x.w.create_channel(&x.actor, &new).await?.id;
        x.w.set_channel_reviewers(&x.actor, channel, &reviewers).await?;
        ids.channels.push(channel);
        x.channels += 1;
    }
    Ok(ids)
}

/// The registers of a group written from 县民政局党组's spec (drafts,
/// rectifications, the risk ledger, feedback and news submissions);
/// returns how many records they added.
pub(crate) async fn registers(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    g: &GroupSpec,
    ids: &Group,
) -> Result<usize, StoreError> {
    let office =
        ids.heads.get("办公室").copied().ok_or_else(|| StoreError::Invalid("演示数据缺少办公室主任".into()))?;
    let office_name = g.departments.iter().find(|d| d.name == "办公室").map(|d| d.head.name).unwrap_or_default();
    let leader = *ids.leaders.first().ok_or_else(|| StoreError::Invalid("演示数据缺少班子成员".into()))?;
    let (leader_name, secretary_name) = (g.leaders[0].person.name, g.secretary.name);
    let actor_of = |id: i64, name: &str| Actor { person_id: Some(id), name: name.into() };
    let cast = drafts::Cast {
        author: actor_of(ids.staff, g.staff.name),
        first: actor_of(office, office_name),
        second: actor_of(leader, leader_name),
        last: actor_of(ids.secretary, secretary_name),
        website: ids.channels[0],
        wechat: ids.channels[1],
    };
    let mut records = drafts::seed(w, &cast).await?;
    let owners = rectifications::Owners { group: ids.group, secretary: ids.secretary, leader };
    rectifications::seed(w, actor, &owners).await?;

    let mut people: HashMap<&'static str, i64> = HashMap::new();
    for (l, id) in g.leaders.iter().zip(&ids.leaders) {
        people.insert(l.person.name, *id);
    }
    for d in g.departments {
        people.insert(d.head.name, ids.heads[d.name]);
    }
    let cast = risks::Cast { group: ids.group, people, reviewer: g.office_leader() };
    records += risks::seed(w, actor, &cast).await?;

    let person = |id: i64, name: &str| taizhang_core::drafts::Person { id, name: name.into() };
    let cast = feedback::Cast {
        group: ids.group,
        staff: person(ids.staff, g.staff.name),
        office: person(office, office_name),
        leader: person(leader, leader_name),
        secretary: person(ids.secretary, secretary_name),
    };
    feedback::seed(w, &cast).await?;

    let desks = g
        .departments
        .iter()
        .map(|d| {
            let (officer, co_author) =
                if d.name == "办公室" { (ids.staff, Some(ids.heads[d.name])) } else { (ids.heads[d.name], None) };
            Ok(news::Desk { name: d.name, id: ids.dept(d.name)?, officer, co_author })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    news::seed(w, actor, &news::Cast { group: ids.group, desks }).await?;
    Ok(records)
}
