//! Walks every route of the route table (pages and API, every method) as
//! anonymous, another unit's secretary, the superior's inspector and its
//! assessment reviewer, a staff member, a branch secretary and an
//! administrator, and checks each answer
//! against the level the table declares: refused exactly where the level
//! says so, and never a server error. The router is built from the same
//! table, so a route cannot exist without a declared level.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use taizhang_app::access::Access;
use taizhang_app::view::Owner;
use taizhang_web::{routes, Level, RouteSpec};

const MZ: &str = "县民政局党组";

/// Who walks the routes: a name for messages and the username (`None`:
/// anonymous).
const PERSONAS: &[(&str, Option<&str>)] = &[
    ("anonymous", None),
    ("another unit's secretary", Some("sl-shuji")),
    ("the superior's inspector", Some("xcb-ducha")),
    ("the superior's assessment reviewer", Some("xcb-kaohe")),
    ("a staff member", Some("mz-keyuan")),
    ("a branch secretary", Some("mz-zhibu1")),
    ("an administrator", Some("admin")),
];

/// The id each kind of `{id}` takes in the walk: items of 县民政局党组.
struct Ids {
    unit: i64,
    by_owner: Vec<(Owner, i64)>,
    duty_item: String,
}

impl Ids {
    async fn load(app: &App) -> Ids {
        let unit = app.unit_id(MZ).await;
        let first = |table: &str| format!("SELECT MIN(id) FROM {table} WHERE unit_id = {unit}");
        let mut by_owner = vec![(Owner::Unit, unit)];
        for (owner, table) in [
            (Owner::Record, "records"),
            (Owner::Risk, "risks"),
            (Owner::Draft, "drafts"),
            (Owner::Channel, "channels"),
            (Owner::Rectification, "rectifications"),
            (Owner::Feedback, "feedback"),
            (Owner::News, "news_submissions"),
            (Owner::Attachment, "attachments"),
        ] {
            let id = app.count(&first(table)).await;
            assert!(id > 0, "the demo has no {table} of {MZ}");
            by_owner.push((owner, id));
        }
        let token = app.token("mz-shuji").await;
        let duties = app.api(Method::GET, &format!("/api/v1/units/{unit}/duties"), Some(&token), None).await;
        let duty_item = duties.json()["duties"][0]["item_id"].as_str().expect("a duty item id").to_string();
        Ids { unit, by_owner, duty_item }
    }

    fn id_for(&self, level: Level) -> i64 {
        let owner = match level {
            Level::Unit(_, owner) => owner,
            _ => Owner::Unit,
        };
        self.by_owner.iter().find(|(o, _)| *o == owner).map_or(self.unit, |(_, id)| *id)
    }

    /// The route's path with its parameters filled in.
    fn path(&self, spec: &RouteSpec) -> String {
        spec.path
            .replace("{id}", &self.id_for(spec.level).to_string())
            .replace("{item}", &self.duty_item)
            .replace("{quota}", "1")
            .replace("{year}", "2026")
            .replace("{token}", "1-00")
    }
}

/// Whether the persona's roles pass the route's level (`None`: anonymous).
async fn allowed(app: &App, ids: &Ids, username: &str, level: Level) -> bool {
    let org = app.store.org().await.unwrap();
    let tree = org.tree();
    let person = app.store.login(username).await.unwrap().unwrap().person;
    let roles = app.store.roles_of(person.id).await.unwrap();
    let access = Access::new(&roles, &tree);
    match level {
        Level::Public | Level::SignedIn => true,
        Level::Admin => access.is_administrator(),
        Level::Unit(need, _) => access.allows(need, ids.unit),
    }
}

struct Caller {
    username: Option<&'static str>,
    browser: Option<Browser>,
    token: Option<String>,
}

async fn call(app: &App, caller: &Caller, spec: &RouteSpec, path: &str) -> Reply {
    if spec.path.starts_with("/api/") {
        let body = (spec.method != Method::GET).then(|| json!({}));
        return app.api(spec.method.clone(), path, caller.token.as_deref(), body).await;
    }
    let cookie = caller.browser.as_ref().map(|b| b.cookie.as_str());
    match spec.method {
        Method::GET => app.get(path, cookie).await,
        _ => {
            let csrf = caller.browser.as_ref().map_or("", |b| b.csrf.as_str());
            app.post_form(path, cookie, &[("csrf", csrf)]).await
        }
    }
}

/// Ending a session comes last, so the walk goes on signed in.
fn walk_order(mut specs: Vec<RouteSpec>) -> Vec<RouteSpec> {
    specs.sort_by_key(|s| s.path == "/logout" || s.path == "/api/v1/session" && s.method == Method::DELETE);
    specs
}

#[tokio::test]
async fn every_route_answers_each_kind_of_user_as_its_level_declares() {
    let app = App::demo().await;
    let ids = Ids::load(&app).await;
    let specs = walk_order(routes());
    assert!(specs.len() > 100, "the table lists every route ({})", specs.len());
    let mut failures = Vec::new();
    for (who, username) in PERSONAS {
        let caller = match username {
            None => Caller { username: None, browser: None, token: None },
            Some(u) => {
                Caller { username: Some(u), browser: Some(app.browser(u).await), token: Some(app.token(u).await) }
            }
        };
        for spec in &specs {
            let path = ids.path(spec);
            let reply = call(&app, &caller, spec, &path).await;
            let api = spec.path.starts_with("/api/");
            let expected_ok = match caller.username {
                None => spec.level == Level::Public,
                Some(u) => allowed(&app, &ids, u, spec.level).await,
            };
            let status = reply.status;
            let refused = if caller.username.is_none() && !expected_ok {
                if api {
                    status == StatusCode::UNAUTHORIZED
                } else {
                    status == StatusCode::SEE_OTHER && reply.location.as_deref() == Some("/login")
                }
            } else {
                status == StatusCode::FORBIDDEN
            };
            let fine = if expected_ok {
                !refused && status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
            } else {
                refused
            };
            if !fine || status.is_server_error() {
                let body: String = reply.body.chars().take(160).collect();
                failures.push(format!(
                    "{} {path} as {who}: {status} (level {:?}, expected {}) {body}",
                    spec.method,
                    spec.level,
                    if expected_ok { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} routes answer against their level:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_route_is_declared_once() {
    let specs = routes();
    for (i, a) in specs.iter().enumerate() {
        assert!(
            !specs[i + 1..].iter().any(|b| a.method == b.method && a.path == b.path),
            "{} {} is declared twice",
            a.method,
            a.path
        );
    }
}
