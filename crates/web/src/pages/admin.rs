//! Administration: units, people and their roles, channels, and duty
//! lists issued to a subtree. Only administrators, within their scope.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::form::Submitted;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use taizhang_app::view::View;
use taizhang_core::org::{Role, RoleKind, Unit, UnitKind};
use taizhang_store::password::{hash_password, MIN_PASSWORD_CHARS};
use taizhang_store::{NewChannel, NewPerson, NewUnit};

type Values = HashMap<String, String>;

/// The units an administrator manages: the subtrees of their admin roles.
fn managed<'a>(view: &'a View, user: &CurrentUser) -> Vec<&'a Unit> {
    let mut out: Vec<&Unit> = Vec::new();
    for role in user.roles.iter().filter(|r| r.kind == RoleKind::Admin) {
        for u in view.tree.subtree(role.scope) {
            if !out.iter().any(|o| o.id == u.id) {
                out.push(u);
            }
        }
    }
    out
}

fn require_admin(view: &View, user: &CurrentUser, unit: Option<i64>) -> Result<(), AppError> {
    let units = managed(view, user);
    let ok = match unit {
        None => !units.is_empty(),
        Some(id) => units.iter().any(|u| u.id == id),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The unit a form names under `key`, which the person must administer.
fn managed_unit(view: &View, user: &CurrentUser, values: &Values, key: &str, missing: &str) -> Result<i64, AppError> {
    let unit = id_of(values, key).ok_or_else(|| AppError::BadRequest(missing.into()))?;
    require_admin(view, user, Some(unit))?;
    Ok(unit)
}

fn value<'a>(values: &'a Values, key: &str) -> &'a str {
    values.get(key).map(|s| s.trim()).unwrap_or("")
}

fn id_of(values: &Values, key: &str) -> Option<i64> {
    value(values, key).parse().ok()
}

fn unit_options(units: &[&Unit], selected: Option<i64>, filter: impl Fn(&Unit) -> bool) -> Markup {
    html! { @for u in units.iter().filter(|u| filter(u)) { option value=(u.id) selected[selected == Some(u.id)] { (u.name) "（" (u.kind.label()) "）" } } }
}

fn admin_page(view: &View, user: &CurrentUser, message: Option<(&str, bool)>, values: &Values) -> Markup {
    let units = managed(view, user);
    let people_of = |unit: i64| view.org.people.iter().filter(move |p| p.unit_id == unit);
    let roles_text = |person: i64| {
        view.org
            .roles_of(person)
            .iter()
            .map(|r| {
                format!("{}（{}）", r.kind.label(), view.tree.get(r.scope).map(|u| u.name.as_str()).unwrap_or("?"))
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let body = html! {
        h1 { "系统管理" }
        @if let Some((text, ok)) = message { div class=(if ok { "flash ok" } else { "flash error" }) { (text) } }
        h2 { "单位与人员" }
        table {
            thead { tr { th { "单位" } th { "类型" } th { "人员及角色" } } }
            tbody {
                @for u in &units {
                    tr {
                        td { (u.name) }
                        td { (u.kind.label()) }
                        td { @for p in people_of(u.id) { (p.name) " " span.muted { (p.title) " · " (roles_text(p.id)) } br; } }
                    }
                }
            }
        }
        h2 { "新增单位" }
        form.record method="post" action="/admin/units" {
            (csrf_field(user))
            label for="unit_name" { "名称" } input #unit_name type="text" name="name" required value=(value(values, "name"));
            label for="parent_id" { "上级单位" } select #parent_id name="parent_id" { (unit_options(&units, id_of(values, "parent_id"), |_| true)) }
            label for="kind" { "类型" }
            select #kind name="kind" { @for k in [UnitKind::PartyGroup, UnitKind::Department, UnitKind::Branch, UnitKind::Superior] { option value=(k.code()) { (k.label()) } } }
            p { button.btn type="submit" { "新增单位" } }
        }
        h2 { "新增人员" }
        form.record method="post" action="/admin/people" {
            (csrf_field(user))
            label for="p_unit" { "所在单位或科室" } select #p_unit name="unit_id" { (unit_options(&units, None, |_| true)) }
            label for="p_name" { "姓名" } input #p_name type="text" name="name" required;
            label for="p_title" { "职务" } input #p_title type="text" name="title" placeholder="如：党组成员、副局长";
            label for="p_role" { "角色" }
            select #p_role name="role" { @for r in RoleKind::ALL { option value=(r.code()) { (r.label()) } } }
            label for="p_scope" { "角色范围（该单位及其下属）" } select #p_scope name="scope" { (unit_options(&units, None, |_| true)) }
            label { "分管科室（仅班子成员）" }
            @for d in units.iter().filter(|u| u.kind == UnitKind::Department) {
                label style="font-weight:normal" { input type="checkbox" name=(format!("dept_{}", d.id)); " " (d.name) }
            }
            label for="p_user" { "登录账号（可不填）" } input #p_user type="text" name="username" autocomplete="off";
            label for="p_pass" { "初始密码（填写账号时必填，至少" (MIN_PASSWORD_CHARS) "位）" } input #p_pass type="password" name="password" autocomplete="new-password";
            p { button.btn type="submit" { "新增人员" } }
        }
        h2 { "新增宣传阵地" }
        form.record method="post" action="/admin/channels" {
            (csrf_field(user))
            label for="c_unit" { "所属单位" } select #c_unit name="unit_id" { (unit_options(&units, None, |u| u.kind == UnitKind::PartyGroup)) }
            label for="c_name" { "名称" } input #c_name type="text" name="name" required placeholder="如：县民政局微信公众号";
            label for="c_kind" { "类型" }
            select #c_kind name="kind" { @for (code, label) in CHANNEL_KINDS { option value=(code) { (label) } } }
            label for="c_account" { "账号或网址" } input #c_account type="text" name="account";
            label for="c_owner" { "负责人" }
            select #c_owner name="owner" { option value="" { "（未指定）" } @for p in &view.org.people { @if units.iter().any(|u| u.id == p.unit_id) { option value=(p.id) { (p.name) } } } }
            p { button.btn type="submit" { "新增阵地" } }
        }
        h2 { "下发年度任务清单" }
        p.muted { "粘贴 TOML 格式的任务清单（格式见 docs/duty-lists.md）；所选单位之下的每个党组（党委）都将采用。同编号事项覆盖原有事项，新编号事项为增加。" }
        form.record method="post" action="/admin/duty-lists" {
            (csrf_field(user))
            label for="l_unit" { "下发范围" } select #l_unit name="unit_id" { (unit_options(&units, None, |u| matches!(u.kind, UnitKind::Superior | UnitKind::PartyGroup))) }
            label for="l_source" { "清单内容（TOML）" } textarea #l_source name="source" style="min-height:12rem;font-family:monospace" { (value(values, "source")) }
            p { button.btn type="submit" { "校验并下发" } }
        }
    };
    page("系统管理", Some(user), body)
}

pub use taizhang_core::duty::CHANNEL_KINDS;

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let view = View::load(&state).await?;
    require_admin(&view, &user, None)?;
    Ok(admin_page(&view, &user, None, &Values::new()).into_response())
}

/// After a post: the page again with a message (and the typed values on error).
async fn respond(
    state: &AppState,
    user: &CurrentUser,
    result: Result<String, AppError>,
    values: &Values,
) -> Result<Response, AppError> {
    let view = View::load(state).await?;
    Ok(match result {
        Ok(message) => {
            (StatusCode::OK, admin_page(&view, user, Some((&message, true)), &Values::new())).into_response()
        }
        Err(AppError::Forbidden) => return Err(AppError::Forbidden),
        Err(e) => (e.status(), admin_page(&view, user, Some((&e.message(), false)), values)).into_response(),
    })
}

pub async fn create_unit(
    State(state): State<AppState>,
    Submitted { user, form: values, .. }: Submitted<Values>,
) -> Result<Response, AppError> {
    let result = async {
        let view = View::load(&state).await?;
        let parent = managed_unit(&view, &user, &values, "parent_id", "请选择上级单位")?;
        let kind =
            UnitKind::parse(value(&values, "kind")).ok_or_else(|| AppError::BadRequest("请选择单位类型".into()))?;
        let name = value(&values, "name").to_string();
        if view.tree.children(parent).any(|u| u.name == name) {
            return Err(AppError::BadRequest(format!("“{name}”已存在")));
        }
        let mut w = state.store.begin_write().await?;
        w.create_unit(&user.actor(), &NewUnit { name: name.clone(), parent_id: Some(parent), kind }).await?;
        w.commit().await?;
        Ok(format!("已新增单位“{name}”"))
    }
    .await;
    respond(&state, &user, result, &values).await
}

pub async fn create_person(
    State(state): State<AppState>,
    Submitted { user, form: values, .. }: Submitted<Values>,
) -> Result<Response, AppError> {
    let result = async {
        let view = View::load(&state).await?;
        let unit = managed_unit(&view, &user, &values, "unit_id", "请选择所在单位")?;
        let scope = managed_unit(&view, &user, &values, "scope", "请选择角色范围")?;
        let kind = RoleKind::parse(value(&values, "role")).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
        let username = Some(value(&values, "username").to_string()).filter(|u| !u.is_empty());
        let password = value(&values, "password");
        if username.is_some() && password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::BadRequest(format!("初始密码至少{MIN_PASSWORD_CHARS}位")));
        }
        if let Some(u) = &username {
            if state.store.login(u).await?.is_some() {
                return Err(AppError::BadRequest(format!("账号“{u}”已被使用")));
            }
        }
        let in_charge_of: Vec<i64> =
            values.keys().filter_map(|k| k.strip_prefix("dept_")).filter_map(|d| d.parse().ok()).collect();
        let name = value(&values, "name").to_string();
        let new = NewPerson {
            unit_id: unit,
            name: name.clone(),
            title: value(&values, "title").to_string(),
            password_hash: username.as_ref().map(|_| hash_password(password)),
            username,
        };
        let mut w = state.store.begin_write().await?;
        let person = w.create_person(&user.actor(), &new).await?;
        w.add_role(&user.actor(), &Role { person_id: person.id, kind, scope, in_charge_of }).await?;
        w.commit().await?;
        Ok(format!("已新增人员“{name}”（{}）", kind.label()))
    }
    .await;
    respond(&state, &user, result, &values).await
}

pub async fn create_channel(
    State(state): State<AppState>,
    Submitted { user, form: values, .. }: Submitted<Values>,
) -> Result<Response, AppError> {
    let result = async {
        let view = View::load(&state).await?;
        let unit = managed_unit(&view, &user, &values, "unit_id", "请选择所属单位")?;
        let owner = id_of(&values, "owner");
        if owner.is_some_and(|o| view.org.person(o).is_none()) {
            return Err(AppError::BadRequest("负责人不存在".into()));
        }
        let name = value(&values, "name").to_string();
        let new = NewChannel {
            unit_id: unit,
            name: name.clone(),
            kind: value(&values, "kind").into(),
            account: value(&values, "account").into(),
            owner,
        };
        let mut w = state.store.begin_write().await?;
        w.create_channel(&user.actor(), &new).await?;
        w.commit().await?;
        Ok(format!("已新增宣传阵地“{name}”"))
    }
    .await;
    respond(&state, &user, result, &values).await
}

pub async fn issue_list(
    State(state): State<AppState>,
    Submitted { user, form: values, .. }: Submitted<Values>,
) -> Result<Response, AppError> {
    let result = async {
        let view = View::load(&state).await?;
        let unit = managed_unit(&view, &user, &values, "unit_id", "请选择下发范围")?;
        let mut w = state.store.begin_write().await?;
        let (list_id, list) = w.save_duty_list(&user.actor(), value(&values, "source"), Some(unit)).await?;
        let n = w.issue_to_subtree(&user.actor(), &view.tree, unit, list_id).await?;
        w.commit().await?;
        Ok(format!("任务清单“{}”（{}项）已下发至{}个党组（党委）", list.name, list.items.len(), n))
    }
    .await;
    respond(&state, &user, result, &values).await
}
