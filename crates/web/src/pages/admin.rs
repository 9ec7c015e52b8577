//! Administration: units, people and their roles, channels, and duty
//! lists issued to a subtree. Only administrators, within their scope.

use super::layout::{csrf_field, page};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::form::{invalid, Submitted};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use taizhang_app::accounts;
use taizhang_app::admin::{self, PersonInput};
use taizhang_app::view::View;
use taizhang_core::org::{RoleKind, Unit, UnitKind};
use taizhang_store::password::MIN_PASSWORD_CHARS;
use taizhang_store::{NewChannel, NewUnit};

type Values = HashMap<String, String>;

/// The unit a form names under `key`, or the refusal `missing`.
fn unit_in(values: &Values, key: &str, missing: &str) -> Result<i64, taizhang_app::Error> {
    id_of(values, key).ok_or_else(|| invalid(missing))
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

/// Accounts the administrator can reset or disable: (person, username, active).
type Accounts = [(i64, String, bool)];

fn accounts_section(view: &View, user: &CurrentUser, accounts: &Accounts) -> Markup {
    html! {
        h2 { "账号管理" }
        p.muted { "重置后该人员的所有登录立即失效，下次登录须先修改密码；停用后无法登录，已录入的记录保留。配置了统一身份认证（LDAP）时，可设定某人只能用目录中的密码登录。" }
        form.record method="post" action="/admin/accounts" {
            (csrf_field(user))
            label for="a_person" { "账号" }
            select #a_person name="person_id" required {
                option value="" { "（请选择）" }
                @for (id, username, active) in accounts.iter().filter(|(id, _, _)| *id != user.person.id) {
                    option value=(id) { (view.person_name(Some(*id))) "（" (username) "）" @if !active { "【已停用】" } }
                }
            }
            label for="a_pass" { "临时密码（重置时填写，至少" (MIN_PASSWORD_CHARS) "位）" }
            input #a_pass type="password" name="password" autocomplete="new-password";
            p {
                button.btn type="submit" name="action" value="reset" { "重置密码" } " "
                button.btn.plain type="submit" name="action" value="disable" { "停用账号" } " "
                button.btn.plain type="submit" name="action" value="enable" { "启用账号" } " "
                button.btn.plain type="submit" name="action" value="directory" { "只用统一身份认证登录" } " "
                button.btn.plain type="submit" name="action" value="local" { "允许本地密码登录" }
            }
        }
    }
}

fn admin_page(
    view: &View,
    user: &CurrentUser,
    accounts: &Accounts,
    message: Option<(&str, bool)>,
    values: &Values,
) -> Markup {
    let inactive = |person: i64| accounts.iter().any(|(id, _, active)| *id == person && !active);
    let units = admin::managed(view, user).unwrap_or_default();
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
                        td { @for p in people_of(u.id) { (p.name) " " span.muted { (p.title) " · " (roles_text(p.id)) @if inactive(p.id) { " · 已停用" } } br; } }
                    }
                }
            }
        }
        (accounts_section(view, user, accounts))
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
    admin::managed(&view, &user)?;
    let accounts = state.store.accounts().await?;
    Ok(admin_page(&view, &user, &accounts, None, &Values::new()).into_response())
}

/// A posted administration form: the caller and the fields as typed.
type Posted = Submitted<Values>;

/// Runs a form's operation and shows the page again with its message (on
/// a refusal with the values as typed). The organisation is loaded again
/// for the page, so it shows what was just added.
async fn run(
    state: &AppState,
    Submitted { user, form: values, .. }: Posted,
    op: impl AsyncFnOnce(&View, &CurrentUser, &Values) -> taizhang_app::Result<String>,
) -> Result<Response, AppError> {
    let result = op(&*View::load(state).await?, &user, &values).await.map_err(AppError::from);
    let view = View::load(state).await?;
    let accounts = state.store.accounts().await?;
    Ok(match result {
        Ok(message) => (StatusCode::OK, admin_page(&view, &user, &accounts, Some((&message, true)), &Values::new()))
            .into_response(),
        Err(AppError::Forbidden) => return Err(AppError::Forbidden),
        Err(e) => {
            (e.status(), admin_page(&view, &user, &accounts, Some((&e.message(), false)), &values)).into_response()
        }
    })
}

/// POST /admin/units
pub async fn create_unit(State(state): State<AppState>, posted: Posted) -> Result<Response, AppError> {
    run(&state, posted, async |view, user, values| {
        let parent = unit_in(values, "parent_id", "请选择上级单位")?;
        let kind = UnitKind::parse(value(values, "kind")).ok_or_else(|| invalid("请选择单位类型"))?;
        let new = NewUnit { name: value(values, "name").to_string(), parent_id: Some(parent), kind };
        let unit = admin::create_unit(&state, view, user, new).await?;
        Ok(format!("已新增单位“{}”", unit.name))
    })
    .await
}

/// POST /admin/people
pub async fn create_person(State(state): State<AppState>, posted: Posted) -> Result<Response, AppError> {
    run(&state, posted, async |view, user, values| {
        let input = PersonInput {
            unit_id: unit_in(values, "unit_id", "请选择所在单位")?,
            scope: unit_in(values, "scope", "请选择角色范围")?,
            role: RoleKind::parse(value(values, "role")).ok_or_else(|| invalid("请选择角色"))?,
            name: value(values, "name").to_string(),
            title: value(values, "title").to_string(),
            in_charge_of: values
                .keys()
                .filter_map(|k| k.strip_prefix("dept_"))
                .filter_map(|d| d.parse().ok())
                .collect(),
            username: Some(value(values, "username").to_string()).filter(|u| !u.is_empty()),
            password: value(values, "password").to_string(),
        };
        let name = input.name.clone();
        let role = admin::create_person(&state, view, user, input).await?;
        Ok(format!("已新增人员“{name}”（{}）", role.kind.label()))
    })
    .await
}

/// POST /admin/accounts: reset a password, disable or enable an account.
pub async fn account(State(state): State<AppState>, posted: Posted) -> Result<Response, AppError> {
    run(&state, posted, async |view, user, values| {
        let person = id_of(values, "person_id").ok_or_else(|| invalid("请选择账号"))?;
        let name = view.person(person)?.name.clone();
        match value(values, "action") {
            "reset" => {
                let temporary = values.get("password").map(String::as_str).unwrap_or("");
                accounts::reset_password(&state, view, user, person, temporary).await?;
                Ok(format!("已重置“{name}”的密码，其登录已全部失效；请将临时密码当面告知本人，下次登录须先修改"))
            }
            "disable" => {
                accounts::set_active(&state, view, user, person, false).await?;
                Ok(format!("已停用“{name}”的账号，其登录已全部失效"))
            }
            "enable" => {
                accounts::set_active(&state, view, user, person, true).await?;
                Ok(format!("已启用“{name}”的账号"))
            }
            "directory" => {
                accounts::set_directory_only(&state, view, user, person, true).await?;
                Ok(format!("“{name}”今后只能用统一身份认证（LDAP）的密码登录，本地密码不再有效，其登录已全部失效"))
            }
            "local" => {
                accounts::set_directory_only(&state, view, user, person, false).await?;
                Ok(format!("“{name}”可再用本地密码登录"))
            }
            _ => Err(invalid("请选择要执行的操作")),
        }
    })
    .await
}

/// POST /admin/channels
pub async fn create_channel(State(state): State<AppState>, posted: Posted) -> Result<Response, AppError> {
    run(&state, posted, async |view, user, values| {
        let new = NewChannel {
            unit_id: unit_in(values, "unit_id", "请选择所属单位")?,
            name: value(values, "name").to_string(),
            kind: value(values, "kind").into(),
            account: value(values, "account").into(),
            owner: id_of(values, "owner"),
        };
        let name = new.name.clone();
        admin::create_channel(&state, view, user, new).await?;
        Ok(format!("已新增宣传阵地“{name}”"))
    })
    .await
}

/// POST /admin/duty-lists
pub async fn issue_list(State(state): State<AppState>, posted: Posted) -> Result<Response, AppError> {
    run(&state, posted, async |view, user, values| {
        let root = unit_in(values, "unit_id", "请选择下发范围")?;
        let issued = admin::issue_list(&state, view, user, root, value(values, "source")).await?;
        Ok(format!("任务清单“{}”（{}项）已下发至{}个党组（党委）", issued.name, issued.items, issued.groups))
    })
    .await
}
