//! taizhang's application layer: who may do what, and the operations
//! people perform, once for the web and the CLI. An operation takes the
//! [`App`] (store and clock), a [`Caller`] and typed input, checks rights
//! and rules, writes in one transaction and returns an outcome or an
//! [`Error`]. Adapters above it parse input and render outcomes only.

pub mod access;
pub mod accounts;
pub mod admin;
pub mod assessment;
pub mod attachments;
pub mod backup;
pub mod calendar;
pub mod dashboard;
pub mod directory;
pub mod documents;
pub mod drafts;
pub mod error;
pub mod evaluations;
pub mod feedback;
pub mod housekeeping;
pub mod news;
pub mod records;
pub mod rectifications;
pub mod reminders;
pub mod risks;
pub mod schedule;
pub mod templates;
pub mod todo;
pub mod view;

pub use error::{Error, Result};
pub use view::View;

use chrono::{DateTime, NaiveDate, Utc};
use taizhang_core::feedback::Limits;
use taizhang_core::org::{Person, Role, RoleKind};
use taizhang_store::{Actor, Store};

/// What every operation shares: the store and the clock.
#[derive(Clone, Debug)]
pub struct App {
    pub store: Store,
    /// Fixes "today" for tests and demos of past periods; `None` = the
    /// real date in Asia/Shanghai.
    pub today: Option<NaiveDate>,
    /// Fixes the time of day of [`App::now`] for tests of what changes by
    /// the hour; `None` = the real time of day.
    pub clock: Option<DateTime<Utc>>,
    /// Time limits of the feedback register (舆情与诉求).
    pub feedback_limits: Limits,
    /// The organisation as last loaded (see [`view::OrgCache`]).
    pub org_cache: view::OrgCache,
    /// Evaluations kept between requests (see [`evaluations`]).
    pub evaluations: evaluations::Evaluations,
    /// What dashboards show besides the evaluation (see [`dashboard`]).
    pub dashboards: dashboard::Dashboards,
    /// Private hosts and networks robot webhooks may reach (`--webhook-allow`).
    pub webhook_allow: reminders::egress::Allowlist,
    /// The size limit and quota of evidence files.
    pub attachment_limits: attachments::Limits,
    /// The LDAP/AD directory people may sign in through (`--ldap-url`).
    pub directory: Option<std::sync::Arc<directory::Directory>>,
}

impl App {
    pub fn new(store: Store) -> Self {
        App {
            store,
            today: None,
            clock: None,
            feedback_limits: Limits::default(),
            org_cache: view::OrgCache::default(),
            evaluations: evaluations::Evaluations::default(),
            dashboards: dashboard::Dashboards::default(),
            webhook_allow: reminders::egress::Allowlist::default(),
            attachment_limits: attachments::Limits::default(),
            directory: None,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(taizhang_core::period::today_in_shanghai)
    }

    /// The current instant, on [`App::today`]'s date when that is pinned
    /// (at the real time of day), so the two never disagree.
    pub fn now(&self) -> DateTime<Utc> {
        taizhang_core::feedback::now_on(self.today, self.clock.unwrap_or_else(Utc::now))
    }
}

/// The person an operation is performed for, with the roles that decide
/// what he or she may do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Person,
    pub roles: Vec<Role>,
}

impl Caller {
    /// Who the audit trail names for this caller's writes.
    pub fn actor(&self) -> Actor {
        Actor { person_id: Some(self.person.id), name: self.person.name.clone() }
    }

    pub fn has_role(&self, kind: RoleKind) -> bool {
        self.roles.iter().any(|r| r.kind == kind)
    }
}
