//! Who may see and change which unit's data. A role covers the subtree of
//! its scope: an inspector may read it; everyone else at a unit may read
//! the whole Party group they belong to and write it, except the people of
//! a branch (its secretary), who write for their branch only; the
//! superior's people only read; an administrator may do all.

use crate::Error;
use taizhang_core::org::{Role, RoleKind, Unit, UnitKind, UnitTree};

/// What an action requires of the caller over a unit: the rows of the
/// role × action matrix (docs/access.md). A route declares one; an
/// operation checks the same with [`Access::allows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Read the unit's data (everyone of the Party group, the superior's
    /// inspectors and leaders over it).
    View,
    /// Enter and change the unit's records and registers.
    Write,
    /// Change the unit's settings: reviewers, reminders, news officers and
    /// quotas (secretary or leader).
    Manage,
    /// Raise problems: the unit's own people or the superior's inspector.
    WriteOrInspect,
    /// Close (销号) or return a rectification: the superior's inspector.
    Inspect,
    /// Assess the Party group itself (自评): its secretary or a leader.
    SelfAssess,
    /// Review a Party group's assessment: a leader of the superior.
    ReviewAssessment,
}

pub struct Access<'a> {
    roles: &'a [Role],
    tree: &'a UnitTree,
}

impl<'a> Access<'a> {
    pub fn new(roles: &'a [Role], tree: &'a UnitTree) -> Self {
        Access { roles, tree }
    }

    /// The root of what a role covers: for people of a unit, the Party
    /// group they work in (a department head or branch secretary sees the
    /// whole unit's duties); for an inspector, the scope as given.
    fn reach(&self, role: &Role) -> i64 {
        match role.kind {
            RoleKind::Admin | RoleKind::Inspector => role.scope,
            _ => self.tree.party_group_of(role.scope).map(|u| u.id).unwrap_or(role.scope),
        }
    }

    /// The root of what a role may write: a branch's own people write for
    /// that branch only; other people of a unit for their Party group.
    fn write_reach(&self, role: &Role) -> i64 {
        match self.tree.get(role.scope) {
            Some(u) if u.kind == UnitKind::Branch => role.scope,
            _ => self.reach(role),
        }
    }

    fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r.kind == RoleKind::Admin)
    }

    pub fn can_view(&self, unit: i64) -> bool {
        self.tree.get(unit).is_some()
            && (self.is_admin() || self.roles.iter().any(|r| self.tree.is_within(unit, self.reach(r))))
    }

    /// Whether a role is held at a superior body (宣传部 and the like): its
    /// people read and review the units below but never write their
    /// records or change their settings.
    fn at_superior(&self, role: &Role) -> bool {
        self.tree.get(role.scope).is_some_and(|u| u.kind == UnitKind::Superior)
    }

    pub fn can_write(&self, unit: i64) -> bool {
        self.tree.get(unit).is_some()
            && (self.is_admin()
                || self
                    .roles
                    .iter()
                    .filter(|r| r.kind.can_write() && !self.at_superior(r))
                    .any(|r| self.tree.is_within(unit, self.write_reach(r))))
    }

    /// Who may name a channel's reviewers: an administrator, or the
    /// secretary or a leader of the unit. Not staff: an author must not
    /// choose who reviews his or her own drafts.
    pub fn can_assign_reviewers(&self, unit: i64) -> bool {
        self.can_manage(unit)
    }

    /// Who changes a unit's settings (reminders, reviewers, news officers
    /// and quotas): the secretary or a leader of its Party group itself
    /// (not a branch secretary, not the superior's people), or an
    /// administrator.
    pub fn can_manage(&self, unit: i64) -> bool {
        let Some(group) = self.tree.party_group_of(unit) else { return self.is_admin() };
        self.is_admin()
            || self
                .roles
                .iter()
                .any(|r| matches!(r.kind, RoleKind::Secretary | RoleKind::Leader) && r.scope == group.id)
    }

    /// Who closes (销号) or returns a unit's rectification: the superior's
    /// inspector over that subtree, or an administrator.
    pub fn can_inspect(&self, unit: i64) -> bool {
        self.tree.get(unit).is_some()
            && (self.is_admin()
                || self
                    .roles
                    .iter()
                    .filter(|r| r.kind == RoleKind::Inspector)
                    .any(|r| self.tree.is_within(unit, self.reach(r))))
    }

    /// Who assesses a Party group itself (自评): its secretary or a leader
    /// of the group itself (not of a branch), or an administrator.
    pub fn can_self_assess(&self, group: i64) -> bool {
        self.tree.get(group).is_some()
            && (self.is_admin()
                || self
                    .roles
                    .iter()
                    .any(|r| matches!(r.kind, RoleKind::Secretary | RoleKind::Leader) && r.scope == group))
    }

    /// Who reviews a Party group's assessment (审核、审定): the secretary
    /// or a leader of a superior body above it, or an administrator. Never
    /// the group itself, and never an inspector, who only reads.
    pub fn can_review_assessment(&self, group: i64) -> bool {
        self.tree.get(group).is_some()
            && (self.is_admin()
                || self.roles.iter().any(|r| {
                    matches!(r.kind, RoleKind::Secretary | RoleKind::Leader)
                        && r.scope != group
                        && self.tree.get(r.scope).is_some_and(|u| u.kind == UnitKind::Superior)
                        && self.tree.is_within(group, r.scope)
                }))
    }

    /// Whether the caller has `need` over `unit`.
    pub fn allows(&self, need: Need, unit: i64) -> bool {
        let group = || self.tree.party_group_of(unit).map_or(unit, |g| g.id);
        match need {
            Need::View => self.can_view(unit),
            Need::Write => self.can_write(unit),
            Need::Manage => self.can_manage(unit),
            Need::WriteOrInspect => self.can_write(unit) || self.can_inspect(unit),
            Need::Inspect => self.can_inspect(unit),
            Need::SelfAssess => self.can_self_assess(group()),
            Need::ReviewAssessment => self.can_review_assessment(group()),
        }
    }

    /// [`Access::allows`], or [`Error::Forbidden`].
    pub fn require_need(&self, need: Need, unit: i64) -> Result<(), Error> {
        if self.allows(need, unit) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn is_administrator(&self) -> bool {
        self.is_admin()
    }

    pub fn require_view(&self, unit: i64) -> Result<(), Error> {
        if self.can_view(unit) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// [`Access::require_write`] or [`Access::require_view`], as asked.
    pub fn require(&self, unit: i64, write: bool) -> Result<(), Error> {
        if write {
            self.require_write(unit)
        } else {
            self.require_view(unit)
        }
    }

    pub fn require_write(&self, unit: i64) -> Result<(), Error> {
        if self.can_write(unit) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Every unit the person may see, in tree order.
    pub fn visible_units(&self) -> Vec<&'a Unit> {
        let mut roots: Vec<i64> = if self.is_admin() {
            self.tree.all().filter(|u| u.parent_id.is_none()).map(|u| u.id).collect()
        } else {
            self.roles.iter().map(|r| self.reach(r)).collect()
        };
        roots.sort_unstable();
        roots.dedup();
        let mut out: Vec<&Unit> = Vec::new();
        for root in roots {
            for u in self.tree.subtree(root) {
                if !out.iter().any(|o| o.id == u.id) {
                    out.push(u);
                }
            }
        }
        out
    }

    pub fn visible_party_groups(&self) -> Vec<&'a Unit> {
        self.visible_units().into_iter().filter(|u| u.kind == UnitKind::PartyGroup).collect()
    }

    /// Where a person lands after logging in: the roll-up for those who
    /// oversee several units, otherwise their unit's dashboard.
    pub fn home(&self) -> Option<String> {
        let groups = self.visible_party_groups();
        if groups.len() > 1 {
            let root = self.visible_units().first().map(|u| u.id)?;
            return Some(format!("/rollup/{root}"));
        }
        groups.first().map(|g| format!("/units/{}", g.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> UnitTree {
        let u = |id, parent, kind| Unit { id, name: format!("u{id}"), parent_id: parent, kind };
        UnitTree::new([
            u(1, None, UnitKind::Superior),
            u(2, Some(1), UnitKind::PartyGroup),
            u(3, Some(2), UnitKind::Branch),
            u(4, Some(1), UnitKind::PartyGroup),
            u(5, Some(2), UnitKind::Department),
        ])
    }

    fn role(kind: RoleKind, scope: i64) -> Role {
        Role { person_id: 1, kind, scope, in_charge_of: vec![] }
    }

    #[test]
    fn unit_people_see_and_write_their_group_only() {
        let t = tree();
        for kind in [RoleKind::Secretary, RoleKind::Staff, RoleKind::Leader] {
            let roles = [role(kind, 2)];
            let a = Access::new(&roles, &t);
            assert!(a.can_view(2) && a.can_view(3) && a.can_write(3));
            assert!(!a.can_view(4) && !a.can_write(4) && !a.can_view(1));
            assert_eq!(a.home().as_deref(), Some("/units/2"));
        }
        // A department head or branch secretary reaches the whole group.
        let roles = [role(RoleKind::DepartmentHead, 5)];
        let a = Access::new(&roles, &t);
        assert!(a.can_view(2) && a.can_write(3) && !a.can_view(4));
    }

    #[test]
    fn the_superiors_people_and_branch_secretaries_do_not_manage_a_group() {
        let t = tree();
        let superior = [role(RoleKind::Leader, 1)];
        let a = Access::new(&superior, &t);
        assert!(a.can_view(2) && !a.can_write(2) && !a.can_write(3) && !a.can_manage(2), "reviewing is not writing");
        let branch = [role(RoleKind::Secretary, 3)];
        let a = Access::new(&branch, &t);
        assert!(a.can_write(3) && !a.can_manage(2) && !a.can_manage(3));
        assert!(a.can_view(2) && !a.can_write(2) && !a.can_write(5), "a branch secretary writes for the branch only");
        let group = [role(RoleKind::Secretary, 2)];
        let a = Access::new(&group, &t);
        assert!(a.can_manage(2) && a.can_manage(3) && !a.can_manage(4));
    }

    #[test]
    fn inspectors_read_their_subtree_only() {
        let t = tree();
        let roles = [role(RoleKind::Inspector, 1)];
        let a = Access::new(&roles, &t);
        assert!(a.can_view(2) && a.can_view(4) && a.can_view(1));
        assert!(!a.can_write(2) && !a.can_write(1));
        assert_eq!(a.home().as_deref(), Some("/rollup/1"));
        assert_eq!(a.visible_party_groups().len(), 2);
    }

    #[test]
    fn the_superiors_leaders_review_assessments_the_units_own_people_assess_themselves() {
        let t = tree();
        let own = [role(RoleKind::Secretary, 2)];
        let a = Access::new(&own, &t);
        assert!(a.can_self_assess(2) && !a.can_review_assessment(2), "a unit never reviews itself");
        assert!(!a.can_self_assess(4));
        for kind in [RoleKind::Staff, RoleKind::DepartmentHead] {
            let roles = [role(kind, 2)];
            assert!(!Access::new(&roles, &t).can_self_assess(2), "{kind:?}");
        }
        let branch_secretary = [role(RoleKind::Secretary, 3)];
        assert!(!Access::new(&branch_secretary, &t).can_self_assess(2));
        let superior = [role(RoleKind::Leader, 1)];
        let a = Access::new(&superior, &t);
        assert!(a.can_review_assessment(2) && a.can_review_assessment(4) && !a.can_self_assess(2));
        let inspector = [role(RoleKind::Inspector, 1)];
        let a = Access::new(&inspector, &t);
        assert!(!a.can_review_assessment(2) && !a.can_self_assess(2), "the inspector only reads");
        let admin = [role(RoleKind::Admin, 1)];
        assert!(Access::new(&admin, &t).can_review_assessment(2));
    }

    #[test]
    fn admins_and_unknown_units() {
        let t = tree();
        let roles = [role(RoleKind::Admin, 1)];
        let a = Access::new(&roles, &t);
        assert!(a.can_write(4) && a.can_view(1));
        assert!(!a.can_view(99) && !a.can_write(99));
        let none: [Role; 0] = [];
        assert!(Access::new(&none, &t).home().is_none());
    }
}
