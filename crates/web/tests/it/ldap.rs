//! Directory login against a real OpenLDAP server: Debian's `slapd`,
//! started here on a free local port with a temporary configuration and
//! one person loaded. Skipped with a message where slapd is not installed,
//! unless TAIZHANG_REQUIRE_SLAPD=1 (as `.ci/run` sets it).

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use taizhang_app::directory::{Directory, Locate};

const SLAPD: &str = "/usr/sbin/slapd";
const SUFFIX: &str = "dc=example,dc=org";
const ADMIN_DN: &str = "cn=admin,dc=example,dc=org";
const ADMIN_PW: &str = "slapd-admin-pw";
/// The directory's password of demo person mz-keyuan (not the demo password).
const DIRECTORY_PW: &str = "dir-secret-1";

/// A running slapd, stopped when dropped.
struct Slapd {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts slapd, or says why it cannot (`None`: skip).
fn start_slapd() -> Option<Slapd> {
    if !Path::new(SLAPD).exists() {
        let message = "slapd is not installed (apt-get install -y slapd ldap-utils)";
        assert!(std::env::var("TAIZHANG_REQUIRE_SLAPD").as_deref() != Ok("1"), "{message}");
        eprintln!("skipped: {message}");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let conf = dir.path().join("slapd.conf");
    std::fs::write(
        &conf,
        format!(
            "include /etc/ldap/schema/core.schema\n\
             include /etc/ldap/schema/cosine.schema\n\
             include /etc/ldap/schema/inetorgperson.schema\n\
             modulepath /usr/lib/ldap\n\
             moduleload back_mdb\n\
             pidfile {pid}\n\
             database mdb\n\
             maxsize 10485760\n\
             directory {data}\n\
             suffix \"{SUFFIX}\"\n\
             rootdn \"{ADMIN_DN}\"\n\
             rootpw {ADMIN_PW}\n",
            pid = dir.path().join("slapd.pid").display(),
            data = data.display(),
        ),
    )
    .unwrap();
    let url = format!("ldap://127.0.0.1:{}", free_port());
    // `-d 0`: stay in the foreground, so the child is slapd itself.
    let child = Command::new(SLAPD)
        .args(["-f", conf.to_str().unwrap(), "-h", &format!("{url}/"), "-d", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start slapd");
    let slapd = Slapd { child, url, _dir: dir };
    let ldif = format!(
        "dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n\
         dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: uid=mz-keyuan,ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: mz-keyuan\ncn: Keyuan\nsn: Keyuan\n\
         userPassword: {DIRECTORY_PW}\n\n\
         dn: uid=stranger,ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: stranger\ncn: S\nsn: S\n\
         userPassword: {DIRECTORY_PW}\n"
    );
    let ldif_path = slapd._dir.path().join("people.ldif");
    std::fs::write(&ldif_path, ldif).unwrap();
    let started = Instant::now();
    loop {
        let added = Command::new("ldapadd")
            .args(["-x", "-H", &slapd.url, "-D", ADMIN_DN, "-w", ADMIN_PW, "-f", ldif_path.to_str().unwrap()])
            .output()
            .expect("ldapadd (package ldap-utils)");
        if added.status.success() {
            return Some(slapd);
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "slapd did not take the entries: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

async fn login(app: &App, username: &str, password: &str) -> StatusCode {
    let body = json!({ "username": username, "password": password });
    app.api(Method::POST, "/api/v1/session", None, Some(body)).await.status
}

async fn demo_with_directory(locate: Locate, url: &str) -> App {
    let directory = Arc::new(Directory::new(url.to_string(), locate, false).unwrap());
    App::demo_with(move |s| taizhang_web::AppState {
        app: taizhang_app::App { directory: Some(directory), ..s.app.clone() },
        ..s
    })
    .await
}

#[tokio::test]
async fn directory_passwords_log_in_and_wrong_ones_fail() {
    let Some(slapd) = start_slapd() else { return };
    let template = Locate::Template(format!("uid={{username}},ou=people,{SUFFIX}"));
    let app = demo_with_directory(template, &slapd.url).await;

    assert_eq!(login(&app, "mz-keyuan", DIRECTORY_PW).await, StatusCode::OK, "the directory's password");
    assert_eq!(login(&app, "mz-keyuan", "wrong-password").await, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&app, "mz-keyuan", "").await, StatusCode::UNAUTHORIZED, "no unauthenticated bind");
    // Local accounts keep working, with their local password.
    assert_eq!(login(&app, "admin", taizhang_demo::DEMO_PASSWORD).await, StatusCode::OK);
    assert_eq!(login(&app, "mz-keyuan", taizhang_demo::DEMO_PASSWORD).await, StatusCode::OK);
    // In the directory but not a person in taizhang: no login.
    assert_eq!(login(&app, "stranger", DIRECTORY_PW).await, StatusCode::UNAUTHORIZED);
    // A username that tries to change the DN is escaped, not obeyed.
    assert_eq!(login(&app, "mz-keyuan,ou=people", DIRECTORY_PW).await, StatusCode::UNAUTHORIZED);

    // Directory-only: the local password no longer works, the directory's does.
    let admin = app.browser("admin").await;
    let person = app.count("SELECT id FROM people WHERE username = 'mz-keyuan'").await.to_string();
    let marked = app
        .post_form(
            "/admin/accounts",
            Some(&admin.cookie),
            &[("csrf", &admin.csrf), ("person_id", &person), ("action", "directory")],
        )
        .await;
    assert!(marked.body.contains("只能用统一身份认证"), "{}", marked.body);
    assert_eq!(login(&app, "mz-keyuan", taizhang_demo::DEMO_PASSWORD).await, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&app, "mz-keyuan", DIRECTORY_PW).await, StatusCode::OK);
    assert!(app.store.verify().await.unwrap().is_ok(), "the mark is audited");
}

#[tokio::test]
async fn people_are_found_by_search_with_a_service_account() {
    let Some(slapd) = start_slapd() else { return };
    let search = Locate::Search {
        base: format!("ou=people,{SUFFIX}"),
        filter: "(uid={username})".into(),
        bind_dn: ADMIN_DN.into(),
        bind_password: ADMIN_PW.into(),
    };
    let app = demo_with_directory(search, &slapd.url).await;
    assert_eq!(login(&app, "mz-keyuan", DIRECTORY_PW).await, StatusCode::OK);
    assert_eq!(login(&app, "mz-keyuan", "wrong-password").await, StatusCode::UNAUTHORIZED);
    // A filter injection finds nobody (or too many): no login.
    assert_eq!(login(&app, "*", DIRECTORY_PW).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unreachable_directory_does_not_stop_local_logins() {
    let template = Locate::Template(format!("uid={{username}},ou=people,{SUFFIX}"));
    let app = demo_with_directory(template, &format!("ldap://127.0.0.1:{}", free_port())).await;
    assert_eq!(login(&app, "admin", taizhang_demo::DEMO_PASSWORD).await, StatusCode::OK);
    let refused = login(&app, "mz-keyuan", DIRECTORY_PW).await;
    assert!(refused.is_client_error(), "{refused}");
}
