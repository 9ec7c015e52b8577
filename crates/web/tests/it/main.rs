//! The integration tests of this crate, in one binary (one link in CI).

mod accounts;
mod admin;
mod assessment;
mod attachments;
mod caching;
mod calendar;
mod channels;
mod common;
mod crawl;
mod daily;
mod downloads;
mod drafts;
mod evidence_owners;
mod feedback;
mod http;
mod import_xlsx;
mod ldap;
mod lists;
mod news;
mod rectifications;
mod reminders;
mod risks;
mod routes;
mod security;
