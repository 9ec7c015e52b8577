//! Who must act on an open duty: the owner role resolved to people.

use super::{Actor, Subject, UnitContext};
use crate::duty::{DutyItem, OwnerRole};
use crate::org::{Person, PersonId, RoleKind, UnitId};

fn person<'a>(ctx: &UnitContext<'a>, id: PersonId) -> Option<&'a Person> {
    ctx.people.iter().find(|p| p.id == id)
}

fn holders<'a>(ctx: &UnitContext<'a>, kind: RoleKind, scope: UnitId) -> Vec<&'a Person> {
    ctx.roles.iter().filter(|r| r.kind == kind && r.scope == scope).filter_map(|r| person(ctx, r.person_id)).collect()
}

/// The Party group's secretary (第一责任人), if one is recorded.
pub(super) fn secretary_of<'a>(ctx: &UnitContext<'a>) -> Option<&'a Person> {
    holders(ctx, RoleKind::Secretary, ctx.unit.id).into_iter().next()
}

fn department_id(ctx: &UnitContext, name: Option<&str>) -> Option<UnitId> {
    let name = name?;
    ctx.departments.iter().find(|d| d.name == name || d.name.ends_with(name)).map(|d| d.id)
}

pub(super) fn resolve(item: &DutyItem, subject: &Subject, ctx: &UnitContext) -> Vec<Actor> {
    let department = item.department.as_deref();
    let role = match (item.owner, department) {
        (OwnerRole::Leader | OwnerRole::DepartmentHead, Some(d)) => format!("{}（{d}）", item.owner.label()),
        _ => item.owner.label().to_string(),
    };
    let people: Vec<&Person> = match item.owner {
        OwnerRole::Secretary => secretary_of(ctx).into_iter().collect(),
        OwnerRole::BranchSecretary => holders(ctx, RoleKind::Secretary, subject.id),
        OwnerRole::Leader => match department_id(ctx, department) {
            Some(dept) => ctx
                .roles
                .iter()
                .filter(|r| r.kind == RoleKind::Leader && r.in_charge_of.contains(&dept))
                .filter_map(|r| person(ctx, r.person_id))
                .collect(),
            None => vec![],
        },
        OwnerRole::DepartmentHead => match department_id(ctx, department) {
            Some(dept) => holders(ctx, RoleKind::DepartmentHead, dept),
            None => vec![],
        },
        OwnerRole::ChannelOwner => ctx
            .channels
            .iter()
            .find(|c| c.id == subject.id)
            .and_then(|c| c.owner)
            .and_then(|id| person(ctx, id))
            .into_iter()
            .collect(),
    };
    if people.is_empty() {
        return vec![Actor { role, person_id: None, name: "未指定".into() }];
    }
    people.into_iter().map(|p| Actor { role: role.clone(), person_id: Some(p.id), name: p.name.clone() }).collect()
}
