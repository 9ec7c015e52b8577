//! The integration tests of the application layer, in one binary, against
//! a real SQLite file seeded with the demo data.

mod attachments;
mod backup;
mod evaluations;
mod import_xlsx;
mod records;
mod reminders;
mod view;
