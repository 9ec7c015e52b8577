-- What each app server's caches are checked against: per scope, the id of
-- the last audit entry about it, written in the same transaction as the
-- entry. Scope 0 is the organisation (units, people, roles, channels, duty
-- lists): the snapshot every request starts from. Any other scope is a
-- unit's id: its records, registers and settings. Not audited: it is
-- derived from the audit log, like an index. A scope without a row has
-- version 0; a server started after this migration has nothing cached,
-- so no row is needed until the next write. Backups carry the table, so
-- a restored database keeps versions that match its audit entries.
CREATE TABLE data_versions (
    scope BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
