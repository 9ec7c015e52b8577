//! The organisation: units in a tree, people, and the roles they hold.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub type UnitId = i64;
pub type PersonId = i64;

/// What kind of body a unit is. Duties apply by kind: Party-group duties to
/// the 党组/党委, 三会一课 to each Party branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A superior committee or its department, e.g. 县委宣传部.
    Superior,
    /// A unit's Party group or Party committee (党组/党委): the body duties are assigned to.
    PartyGroup,
    /// A department (科室) of a unit.
    Department,
    /// A Party branch (党支部).
    Branch,
}

impl UnitKind {
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Superior => "上级机关",
            UnitKind::PartyGroup => "党组（党委）",
            UnitKind::Department => "科室",
            UnitKind::Branch => "党支部",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
    }

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Superior => "superior",
            UnitKind::PartyGroup => "party_group",
            UnitKind::Department => "department",
            UnitKind::Branch => "branch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub parent_id: Option<UnitId>,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub unit_id: UnitId,
    pub name: String,
    /// Job title as people say it, e.g. 党组书记、局长.
    pub title: String,
}

/// A role a person holds. The role's rights cover the subtree of `scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    /// 系统管理员: manages accounts and units everywhere.
    Admin,
    /// 第一责任人/书记 of a Party group, or the secretary of a branch.
    Secretary,
    /// 班子成员: a leader, in charge of the departments listed in the role.
    Leader,
    /// 科室负责人.
    DepartmentHead,
    /// 工作人员: enters records.
    Staff,
    /// 上级督查: read-only over a subtree.
    Inspector,
}

impl RoleKind {
    pub const ALL: [RoleKind; 6] = [
        RoleKind::Admin,
        RoleKind::Secretary,
        RoleKind::Leader,
        RoleKind::DepartmentHead,
        RoleKind::Staff,
        RoleKind::Inspector,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RoleKind::Admin => "系统管理员",
            RoleKind::Secretary => "第一责任人（书记）",
            RoleKind::Leader => "班子成员",
            RoleKind::DepartmentHead => "科室负责人",
            RoleKind::Staff => "工作人员",
            RoleKind::Inspector => "上级督查",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Secretary => "secretary",
            RoleKind::Leader => "leader",
            RoleKind::DepartmentHead => "department_head",
            RoleKind::Staff => "staff",
            RoleKind::Inspector => "inspector",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        RoleKind::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role may change data in its scope.
    pub fn can_write(self) -> bool {
        !matches!(self, RoleKind::Inspector)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub person_id: PersonId,
    pub kind: RoleKind,
    /// The unit whose subtree the role covers.
    pub scope: UnitId,
    /// For a leader: the departments (unit ids) he or she is in charge of (一岗双责).
    #[serde(default)]
    pub in_charge_of: Vec<UnitId>,
}

/// The unit tree with fast ancestor look-ups.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    units: HashMap<UnitId, Unit>,
    children: HashMap<UnitId, Vec<UnitId>>,
}

impl UnitTree {
    pub fn new(units: impl IntoIterator<Item = Unit>) -> Self {
        let mut tree = UnitTree::default();
        for unit in units {
            if let Some(parent) = unit.parent_id {
                tree.children.entry(parent).or_default().push(unit.id);
            }
            tree.units.insert(unit.id, unit);
        }
        for kids in tree.children.values_mut() {
            kids.sort_unstable();
        }
        tree
    }

    pub fn get(&self, id: UnitId) -> Option<&Unit> {
        self.units.get(&id)
    }

    pub fn children(&self, id: UnitId) -> impl Iterator<Item = &Unit> {
        self.children.get(&id).into_iter().flatten().filter_map(|c| self.units.get(c))
    }

    /// True when `unit` is `ancestor` or lies below it.
    pub fn is_within(&self, unit: UnitId, ancestor: UnitId) -> bool {
        let mut current = Some(unit);
        // The depth bound guards against a cycle in bad data.
        for _ in 0..64 {
            match current {
                Some(id) if id == ancestor => return true,
                Some(id) => current = self.units.get(&id).and_then(|u| u.parent_id),
                None => return false,
            }
        }
        false
    }

    /// The unit and everything below it, depth first.
    pub fn subtree(&self, root: UnitId) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if let Some(u) = self.units.get(&id) {
                out.push(u);
                if let Some(kids) = self.children.get(&id) {
                    stack.extend(kids.iter().rev());
                }
            }
        }
        out
    }

    /// The nearest Party group at or above `unit`: the body duties belong to.
    pub fn party_group_of(&self, unit: UnitId) -> Option<&Unit> {
        let mut current = self.units.get(&unit);
        for _ in 0..64 {
            match current {
                Some(u) if u.kind == UnitKind::PartyGroup => return Some(u),
                Some(u) => current = u.parent_id.and_then(|p| self.units.get(&p)),
                None => return None,
            }
        }
        None
    }

    pub fn all(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: UnitId, parent: Option<UnitId>, kind: UnitKind) -> Unit {
        Unit { id, name: format!("u{id}"), parent_id: parent, kind }
    }

    fn tree() -> UnitTree {
        UnitTree::new([
            unit(1, None, UnitKind::Superior),
            unit(2, Some(1), UnitKind::PartyGroup),
            unit(3, Some(2), UnitKind::Department),
            unit(4, Some(2), UnitKind::Branch),
            unit(5, Some(1), UnitKind::PartyGroup),
        ])
    }

    #[test]
    fn within_follows_parents_only() {
        let t = tree();
        assert!(t.is_within(3, 2));
        assert!(t.is_within(3, 1));
        assert!(t.is_within(2, 2));
        assert!(!t.is_within(3, 5), "a sibling's subtree is not within");
        assert!(!t.is_within(2, 3), "a parent is not within its child");
        assert!(!t.is_within(99, 1));
    }

    #[test]
    fn subtree_and_party_group() {
        let t = tree();
        let ids: Vec<_> = t.subtree(2).iter().map(|u| u.id).collect();
        assert_eq!(ids, [2, 3, 4]);
        assert_eq!(t.party_group_of(4).map(|u| u.id), Some(2));
        assert_eq!(t.party_group_of(1), None);
    }

    #[test]
    fn cycles_do_not_hang() {
        let t = UnitTree::new([unit(1, Some(2), UnitKind::Department), unit(2, Some(1), UnitKind::Department)]);
        assert!(!t.is_within(1, 3));
        assert!(t.party_group_of(1).is_none());
    }

    #[test]
    fn role_codes_round_trip() {
        for r in RoleKind::ALL {
            assert_eq!(RoleKind::parse(r.code()), Some(r));
        }
        assert!(!RoleKind::Inspector.can_write());
        assert_eq!(UnitKind::parse("branch"), Some(UnitKind::Branch));
    }
}
