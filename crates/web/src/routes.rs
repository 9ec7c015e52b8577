//! Every route of the server in one table: method, path, handler and who
//! may use it. The router is built from the table, a guard enforces each
//! route's level before its handler runs (and before a body is read), and
//! a test walks the table as every kind of user. A route without a level
//! cannot be written down here.

use crate::api;
use crate::auth::CurrentUser;
use crate::error::{with_header, ApiError, AppError};
use crate::pages::{self, *};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;
use taizhang_app::access::Need;
use taizhang_app::view::{Owner, View};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person; the handler shows each only his or her own.
    SignedIn,
    /// A system administrator.
    Admin,
    /// `Need` over the unit that the path's `{id}` names, directly or
    /// through the item it names (`Owner`).
    Unit(Need, Owner),
}

/// A route as the table declares it, without its handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: String,
    pub level: Level,
}

struct Entry {
    spec: RouteSpec,
    handler: MethodRouter<AppState>,
}

/// Room for a multipart form's text fields beside its file.
const FORM_FIELDS_MAX_BYTES: usize = 1024 * 1024;

impl Entry {
    /// The body limit of a route taking a file of up to `file_bytes`: the
    /// page's own check then refuses a larger file with a Chinese message,
    /// instead of axum's default 2MB cutting the upload off first.
    fn upload(mut self, file_bytes: usize) -> Entry {
        self.handler = self.handler.layer(DefaultBodyLimit::max(file_bytes + FORM_FIELDS_MAX_BYTES));
        self
    }

    /// A route whose handler streams its files to disk and enforces the
    /// configured size limit itself (evidence files): no body limit here.
    fn streamed_upload(mut self) -> Entry {
        self.handler = self.handler.layer(DefaultBodyLimit::disable());
        self
    }
}

fn entry<H: Handler<T, AppState>, T: 'static>(method: Method, path: &str, level: Level, h: H) -> Entry {
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    Entry { spec: RouteSpec { method, path: path.to_string(), level }, handler: on(filter, h) }
}

fn get<H: Handler<T, AppState>, T: 'static>(path: &str, level: Level, h: H) -> Entry {
    entry(Method::GET, path, level, h)
}

fn post<H: Handler<T, AppState>, T: 'static>(path: &str, level: Level, h: H) -> Entry {
    entry(Method::POST, path, level, h)
}

fn put<H: Handler<T, AppState>, T: 'static>(path: &str, level: Level, h: H) -> Entry {
    entry(Method::PUT, path, level, h)
}

fn delete<H: Handler<T, AppState>, T: 'static>(path: &str, level: Level, h: H) -> Entry {
    entry(Method::DELETE, path, level, h)
}

use Level::{Admin, Public, SignedIn};
use Need::{Inspect, Manage, ReviewAssessment, SelfAssess, View as Read, Write, WriteOrInspect};
use Owner::{Attachment, Channel, Draft, Feedback, News, Record, Rectification, Risk, Unit};

const fn unit(need: Need, owner: Owner) -> Level {
    Level::Unit(need, owner)
}

/// The pages, for people in a browser.
fn page_routes() -> Vec<Entry> {
    vec![
        get("/", SignedIn, login::home),
        get("/login", Public, login::show),
        post("/login", Public, login::submit),
        post("/logout", SignedIn, login::logout),
        get("/account", SignedIn, pages::account::show),
        post("/account/calendar", SignedIn, pages::account::create_feed),
        post("/account/calendar/revoke", SignedIn, pages::account::revoke_feed),
        // A calendar client's subscription: the secret in the path is the credential.
        get("/calendar/{token}", Public, crate::api::calendar::feed),
        get("/account/password", SignedIn, pages::account::password_page),
        get("/todo", SignedIn, pages::todo::show),
        post("/account/password", SignedIn, pages::account::change_password),
        get("/healthz", Public, crate::healthz),
        get("/favicon.ico", Public, crate::favicon),
        get(attachments::UPLOAD_SCRIPT_PATH, Public, attachments::upload_script),
        get("/notifications", SignedIn, pages::reminders::mine),
        post("/notifications/read", SignedIn, pages::reminders::read),
        get("/admin", Admin, admin::show),
        post("/admin/units", Admin, admin::create_unit),
        post("/admin/people", Admin, admin::create_person),
        post("/admin/accounts", Admin, admin::account),
        post("/admin/channels", Admin, admin::create_channel),
        post("/admin/duty-lists", Admin, admin::issue_list),
        // The dashboard and the documents.
        get("/units/{id}", unit(Read, Unit), dashboard::show),
        get("/units/{id}/duties/{item}", unit(Read, Unit), dashboard::duty),
        get("/units/{id}/duty-list", unit(Read, Unit), duty_list::show),
        get("/units/{id}/report.docx", unit(Read, Unit), downloads::report),
        get("/units/{id}/ledger.xlsx", unit(Read, Unit), downloads::ledger),
        get("/units/{id}/bundle.zip", unit(Read, Unit), downloads::bundle),
        get("/rollup/{id}", unit(Read, Unit), rollup::show),
        // Records.
        get("/units/{id}/records", unit(Read, Unit), records::list),
        post("/units/{id}/records", unit(Write, Unit), records::create).streamed_upload(),
        get("/units/{id}/records/new", unit(Write, Unit), records::new_form),
        get("/records/{id}", unit(Read, Record), records::show),
        post("/records/{id}", unit(Write, Record), records::update),
        get("/records/{id}/edit", unit(Write, Record), records::edit_form),
        post("/records/{id}/void", unit(Write, Record), records::void),
        post("/records/{id}/attachments", unit(Write, Record), attachments::upload).streamed_upload(),
        get("/attachments/{id}", unit(Read, Attachment), attachments::download),
        get("/attachments/{id}/thumbnail.png", unit(Read, Attachment), attachments::thumbnail),
        post("/attachments/{id}/void", unit(Write, Attachment), attachments::void),
        // Channels and the publishing review (三审三校).
        get("/units/{id}/channels", unit(Read, Unit), channels::list),
        post("/channels/{id}/reviewers", unit(Manage, Channel), channels::set_reviewers),
        get("/units/{id}/drafts", unit(Read, Unit), drafts::list),
        post("/units/{id}/drafts", unit(Write, Unit), drafts::create).upload(drafts::UPLOAD_MAX_BYTES),
        get("/units/{id}/drafts.xlsx", unit(Read, Unit), drafts::export),
        get("/units/{id}/drafts/new", unit(Write, Unit), drafts::new_page),
        get("/drafts/{id}", unit(Read, Draft), drafts::show),
        get("/drafts/{id}/edit", unit(Write, Draft), drafts::edit_page),
        post("/drafts/{id}/edit", unit(Write, Draft), drafts::edit),
        post("/drafts/{id}/sign", unit(Write, Draft), drafts::sign),
        post("/drafts/{id}/publish", unit(Write, Draft), drafts::publish),
        post("/drafts/{id}/attachments", unit(Write, Draft), attachments::upload_to_draft).streamed_upload(),
        // Rectification (整改).
        get("/units/{id}/rectifications", unit(Read, Unit), rectifications::list),
        post("/units/{id}/rectifications", unit(WriteOrInspect, Unit), rectifications::create),
        get("/units/{id}/rectifications.xlsx", unit(Read, Unit), rectifications::export),
        get("/units/{id}/rectifications/template.xlsx", unit(WriteOrInspect, Unit), templates::rectifications),
        post("/units/{id}/rectifications/import", unit(WriteOrInspect, Unit), rectifications::import)
            .upload(rectifications::IMPORT_MAX_BYTES),
        get("/rectifications/{id}", unit(Read, Rectification), rectifications::show),
        post("/rectifications/{id}/update", unit(Write, Rectification), rectifications::update),
        post("/rectifications/{id}/report", unit(Write, Rectification), rectifications::report).streamed_upload(),
        post("/rectifications/{id}/attachments", unit(Write, Rectification), attachments::upload_to_rectification)
            .streamed_upload(),
        post("/rectifications/{id}/review", unit(Inspect, Rectification), rectifications::review),
        // Assessment (考核).
        get("/units/{id}/assessment", unit(Read, Unit), assessment::show),
        get("/units/{id}/assessment.xlsx", unit(Read, Unit), assessment::export),
        post("/units/{id}/assessment/adjustments", unit(SelfAssess, Unit), assessment::adjust),
        post("/units/{id}/assessment/adjustments/remove", unit(SelfAssess, Unit), assessment::remove),
        post("/units/{id}/assessment/submit", unit(SelfAssess, Unit), assessment::submit),
        post("/units/{id}/assessment/review", unit(ReviewAssessment, Unit), assessment::review),
        post("/units/{id}/assessment/reopen", unit(ReviewAssessment, Unit), assessment::reopen),
        get("/rollup/{id}/assessment", unit(Read, Unit), assessment_ranking::show),
        get("/rollup/{id}/assessment.xlsx", unit(Read, Unit), assessment_ranking::export),
        post("/rollup/{id}/assessment/import", unit(Read, Unit), assessment_ranking::import),
        // The risk ledger (风险隐患台账).
        get("/units/{id}/risks", unit(Read, Unit), risks::list),
        post("/units/{id}/risks", unit(Write, Unit), risks::create),
        get("/units/{id}/risks.xlsx", unit(Read, Unit), risks::export),
        get("/units/{id}/risks/new", unit(Write, Unit), risks::new_page),
        get("/units/{id}/risks/review", unit(Write, Unit), risks::ledger_review_form),
        post("/units/{id}/risks/review", unit(Write, Unit), risks::ledger_review),
        get("/units/{id}/risks/analysis", unit(Write, Unit), risks::analysis_form),
        post("/units/{id}/risks/analysis", unit(Write, Unit), risks::analysis),
        get("/units/{id}/risks/template.xlsx", unit(Write, Unit), templates::risks),
        post("/units/{id}/risks/import", unit(Write, Unit), risks::import).upload(risks::IMPORT_MAX_BYTES),
        get("/risks/{id}", unit(Read, Risk), risks::show),
        post("/risks/{id}", unit(Write, Risk), risks::update),
        get("/risks/{id}/edit", unit(Write, Risk), risks::edit_page),
        post("/risks/{id}/reviews", unit(Write, Risk), risks::review),
        post("/risks/{id}/reviews/{review}/attachments", unit(Write, Risk), attachments::upload_to_risk_review)
            .streamed_upload(),
        // Feedback (舆情与诉求).
        get("/units/{id}/feedback", unit(Read, Unit), feedback::list),
        post("/units/{id}/feedback", unit(Write, Unit), feedback::create),
        get("/units/{id}/feedback/new", unit(Write, Unit), feedback::new_page),
        get("/units/{id}/feedback/weekly", unit(Read, Unit), feedback::weekly_page),
        get("/units/{id}/feedback/template.xlsx", unit(Write, Unit), templates::feedback),
        post("/units/{id}/feedback/import", unit(Write, Unit), feedback::import).upload(feedback::UPLOAD_MAX_BYTES),
        get("/units/{id}/feedback.xlsx", unit(Read, Unit), feedback::export),
        get("/feedback/{id}", unit(Read, Feedback), feedback::show),
        post("/feedback/{id}/steps", unit(Write, Feedback), feedback::record_step).streamed_upload(),
        post("/feedback/{id}/steps/{step}/attachments", unit(Write, Feedback), attachments::upload_to_feedback_step)
            .streamed_upload(),
        // Reminders (提醒).
        get("/units/{id}/reminders", unit(Read, Unit), pages::reminders::settings),
        post("/units/{id}/reminders", unit(Manage, Unit), pages::reminders::save),
        post("/units/{id}/reminders/test", unit(Manage, Unit), pages::reminders::test),
        // News submissions (信息报送).
        get("/units/{id}/news", unit(Read, Unit), news::list),
        post("/units/{id}/news", unit(Write, Unit), news::create),
        get("/units/{id}/news.xlsx", unit(Read, Unit), news::export),
        get("/units/{id}/news/new", unit(Write, Unit), news::new_page),
        get("/units/{id}/news/template.xlsx", unit(Write, Unit), templates::news),
        post("/units/{id}/news/import", unit(Write, Unit), news::import).upload(news::IMPORT_MAX_BYTES),
        get("/units/{id}/news/stats", unit(Read, Unit), news_settings::stats),
        get("/units/{id}/news/officers", unit(Read, Unit), news_settings::officers),
        post("/units/{id}/news/officers", unit(Manage, Unit), news_settings::set_officers),
        get("/units/{id}/news/quotas", unit(Read, Unit), news_settings::quotas),
        post("/units/{id}/news/quotas", unit(Manage, Unit), news_settings::set_quota),
        post("/units/{id}/news/quotas/{quota}/delete", unit(Manage, Unit), news_settings::delete_quota),
        get("/news/{id}", unit(Read, News), news::show),
        post("/news/{id}", unit(Write, News), news::update),
        get("/news/{id}/edit", unit(Write, News), news::edit_page),
        post("/news/{id}/adopt", unit(Write, News), news::adopt),
    ]
}

/// The JSON API under `/api/v1`, for other systems.
fn api_routes() -> Vec<Entry> {
    use api::*;
    vec![
        post("/api/v1/session", Public, create_session),
        delete("/api/v1/session", SignedIn, delete_session),
        put("/api/v1/me/password", SignedIn, crate::api::change_password),
        get("/api/v1/me/todo", SignedIn, crate::api::todo),
        get("/api/v1/me/calendar.ics", SignedIn, crate::api::calendar::mine),
        get("/api/v1/openapi.json", Public, openapi),
        get("/api/v1/units", SignedIn, units),
        get("/api/v1/units/{id}/duties", unit(Read, Unit), duties),
        get("/api/v1/units/{id}/records", unit(Read, Unit), list_records),
        post("/api/v1/units/{id}/records", unit(Write, Unit), create_record),
        get("/api/v1/records/{id}", unit(Read, Record), get_record),
        put("/api/v1/records/{id}", unit(Write, Record), update_record),
        post("/api/v1/records/{id}/void", unit(Write, Record), crate::api::void_record),
        get("/api/v1/records/{id}/attachments", unit(Read, Record), api::attachments::list),
        post("/api/v1/records/{id}/attachments", unit(Write, Record), api::attachments::upload).streamed_upload(),
        get("/api/v1/attachments/{id}", unit(Read, Attachment), api::attachments::download),
        post("/api/v1/attachments/{id}/void", unit(Write, Attachment), api::attachments::void),
        get("/api/v1/risks/{id}/reviews/{review}/attachments", unit(Read, Risk), api::attachments::list_risk_review),
        post(
            "/api/v1/risks/{id}/reviews/{review}/attachments",
            unit(Write, Risk),
            api::attachments::upload_risk_review,
        )
        .streamed_upload(),
        get("/api/v1/rectifications/{id}/attachments", unit(Read, Rectification), api::attachments::list_rectification),
        post(
            "/api/v1/rectifications/{id}/attachments",
            unit(Write, Rectification),
            api::attachments::upload_rectification,
        )
        .streamed_upload(),
        get(
            "/api/v1/feedback/{id}/steps/{step}/attachments",
            unit(Read, Feedback),
            api::attachments::list_feedback_step,
        ),
        post(
            "/api/v1/feedback/{id}/steps/{step}/attachments",
            unit(Write, Feedback),
            api::attachments::upload_feedback_step,
        )
        .streamed_upload(),
        get("/api/v1/drafts/{id}/attachments", unit(Read, Draft), api::attachments::list_draft),
        post("/api/v1/drafts/{id}/attachments", unit(Write, Draft), api::attachments::upload_draft).streamed_upload(),
        get("/api/v1/units/{id}/drafts", unit(Read, Unit), drafts::list),
        post("/api/v1/units/{id}/drafts", unit(Write, Unit), drafts::create),
        get("/api/v1/drafts/{id}", unit(Read, Draft), drafts::get),
        post("/api/v1/drafts/{id}/steps", unit(Write, Draft), drafts::step),
        get("/api/v1/channels/{id}/reviewers", unit(Read, Channel), drafts::get_reviewers),
        put("/api/v1/channels/{id}/reviewers", unit(Manage, Channel), drafts::put_reviewers),
        get("/api/v1/units/{id}/rectifications", unit(Read, Unit), rectifications::list),
        post("/api/v1/units/{id}/rectifications", unit(WriteOrInspect, Unit), rectifications::create),
        get("/api/v1/rectifications/{id}", unit(Read, Rectification), rectifications::get),
        post("/api/v1/rectifications/{id}/steps", unit(WriteOrInspect, Rectification), rectifications::step),
        get("/api/v1/units/{id}/risks", unit(Read, Unit), risks::list),
        post("/api/v1/units/{id}/risks", unit(Write, Unit), risks::create),
        get("/api/v1/risks/{id}", unit(Read, Risk), risks::get),
        put("/api/v1/risks/{id}", unit(Write, Risk), risks::update),
        post("/api/v1/risks/{id}/reviews", unit(Write, Risk), risks::review),
        get("/api/v1/notifications", SignedIn, reminders::mine),
        post("/api/v1/notifications/read", SignedIn, reminders::read),
        get("/api/v1/units/{id}/reminder-settings", unit(Read, Unit), reminders::get_settings),
        put("/api/v1/units/{id}/reminder-settings", unit(Manage, Unit), reminders::put_settings),
        get("/api/v1/units/{id}/reminders", unit(Read, Unit), reminders::list),
        get("/api/v1/units/{id}/feedback", unit(Read, Unit), feedback::list),
        post("/api/v1/units/{id}/feedback", unit(Write, Unit), feedback::create),
        get("/api/v1/feedback/{id}", unit(Read, Feedback), feedback::get),
        post("/api/v1/feedback/{id}/steps", unit(Write, Feedback), feedback::step),
        get("/api/v1/units/{id}/assessments/{year}", unit(Read, Unit), assessment::get),
        // Each step names its action: 自评 by the group, 审核 by the superior.
        post("/api/v1/units/{id}/assessments/{year}/steps", unit(Read, Unit), assessment::step),
        get("/api/v1/units/{id}/assessment-ranking/{year}", unit(Read, Unit), assessment::ranking),
        get("/api/v1/units/{id}/news", unit(Read, Unit), news::list),
        post("/api/v1/units/{id}/news", unit(Write, Unit), news::create),
        get("/api/v1/units/{id}/news/statistics", unit(Read, Unit), news::statistics),
        get("/api/v1/news/{id}", unit(Read, News), news::get),
        put("/api/v1/news/{id}", unit(Write, News), news::update),
    ]
}

/// Post/redirect/get: a page whose form was refused is shown at the
/// form's POST address; a reload or a typed address then asks that
/// address with GET. Each POST-only page address answers GET with a
/// redirect to the nearest address above it that is a page.
fn get_redirects(entries: &[Entry]) -> Vec<Entry> {
    let pages: Vec<&str> =
        entries.iter().filter(|e| e.spec.method == Method::GET).map(|e| e.spec.path.as_str()).collect();
    let mut posts: Vec<&str> = entries
        .iter()
        .filter(|e| e.spec.method == Method::POST && !e.spec.path.starts_with("/api/"))
        .map(|e| e.spec.path.as_str())
        .filter(|p| !pages.contains(p))
        .collect();
    posts.dedup();
    posts
        .into_iter()
        .map(|path| {
            let segments: Vec<&str> = path.split('/').collect();
            let keep =
                (1..segments.len()).rev().find(|&k| pages.contains(&segments[..k].join("/").as_str())).unwrap_or(1);
            get(path, Public, move |uri: Uri| async move {
                let above: Vec<&str> = uri.path().split('/').take(keep).collect();
                let target = if keep <= 1 { "/".to_string() } else { above.join("/") };
                Redirect::to(&target)
            })
        })
        .collect()
}

fn table() -> Vec<Entry> {
    let mut entries = page_routes();
    entries.extend(api_routes());
    let redirects = get_redirects(&entries);
    entries.extend(redirects);
    entries
}

/// Every route, as declared: for the route-walk test and the docs.
pub fn routes() -> Vec<RouteSpec> {
    table().into_iter().map(|e| e.spec).collect()
}

type Levels = Arc<HashMap<(Method, String), Level>>;

/// The router: every route of the table behind the guard.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    let mut levels = HashMap::new();
    for e in table() {
        levels.insert((e.spec.method.clone(), e.spec.path.clone()), e.spec.level);
        router = router.route(&e.spec.path, e.handler);
    }
    let levels: Levels = Arc::new(levels);
    router
        .layer(axum::middleware::from_fn(crate::flash::show_once))
        .layer(axum::middleware::from_fn_with_state((state.clone(), levels), guard))
        .fallback(crate::not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// No inline script runs on any page: the only script is the server's own
/// file (`/assets/upload.js`, which enhances the upload forms; every page
/// works without it). Nothing frames the pages, and browsers neither guess
/// content types nor send addresses elsewhere. Inline styles stay allowed:
/// the stylesheet is embedded in each page. Requests to the server itself
/// are allowed (the upload script posts with XMLHttpRequest; the browser
/// tests post with `fetch` from a page's console).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}

/// A browser's cookie is sent with any request to the site, so an API call
/// that changes something on a cookie session must carry the session's
/// CSRF token in `X-CSRF-Token`; with a bearer token (which a browser never
/// adds by itself) none is needed.
fn check_api_csrf(user: &CurrentUser, parts: &axum::http::request::Parts) -> Result<(), AppError> {
    let changes = !matches!(parts.method, Method::GET | Method::HEAD);
    if !parts.uri.path().starts_with("/api/") || user.via_api || !changes {
        return Ok(());
    }
    let token = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    user.check_csrf_token(token)
}

/// Enforces the route's level before its handler runs: who the caller
/// is, which unit the path names, and whether the caller's roles reach
/// it. The caller found here is kept for the handler.
async fn guard(State((state, levels)): State<(AppState, Levels)>, req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let Some(level) = path.as_ref().and_then(|p| levels.get(&(req.method().clone(), p.clone()))).copied() else {
        // An unknown method on a known path: axum answers 405.
        return next.run(req).await;
    };
    let api = path.as_deref().is_some_and(|p| p.starts_with("/api/"));
    let during_reset = path.as_deref().is_some_and(|p| ALLOWED_BEFORE_NEW_PASSWORD.contains(&p));
    let (mut parts, body) = req.into_parts();
    match check(&state, level, during_reset, &mut parts).await {
        Ok(()) => {
            let user = parts.extensions.get::<CurrentUser>().cloned();
            with_header(next.run(Request::from_parts(parts, body)).await, user.as_ref())
        }
        Err(e) if api => ApiError(e).into_response(),
        Err(e) => with_header(e.into_response(), parts.extensions.get::<CurrentUser>()),
    }
}

/// What a person whose password an administrator reset may still reach:
/// changing it, and leaving.
const ALLOWED_BEFORE_NEW_PASSWORD: &[&str] =
    &["/account/password", "/api/v1/me/password", "/logout", "/api/v1/session"];

async fn check(
    state: &AppState,
    level: Level,
    allowed_before_new_password: bool,
    parts: &mut axum::http::request::Parts,
) -> Result<(), AppError> {
    if level == Level::Public {
        return Ok(());
    }
    let user = CurrentUser::from_request_parts(parts, state).await?;
    if user.must_change_password && !allowed_before_new_password {
        return Err(AppError::PasswordChangeRequired);
    }
    check_api_csrf(&user, parts)?;
    parts.extensions.insert(user.clone());
    let Level::Unit(need, owner) = level else {
        return match level {
            Level::Admin if !user.has_role(taizhang_core::org::RoleKind::Admin) => Err(AppError::Forbidden),
            _ => Ok(()),
        };
    };
    let params =
        RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound("页面不存在".into()))?;
    let id = params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::NotFound("页面不存在".into()))?;
    // Signing in has usually loaded it already.
    let view = match parts.extensions.get::<Arc<View>>() {
        Some(view) => view.clone(),
        None => View::load(state).await?,
    };
    let unit = view.unit_of(state, owner, id).await?;
    view.access(&user).require_need(need, unit)?;
    parts.extensions.insert(view);
    Ok(())
}
