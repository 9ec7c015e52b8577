-- What each app server's caches are checked against: per scope, the id of
-- the last audit entry about it, written in the same transaction as the
-- entry. Scope 0 is the organisation (units, people, roles, channels, duty
-- lists): the snapshot every request starts from. Any other scope is a
-- unit's id: its records, registers and settings. Not audited: it is
-- derived from the audit log, like an index.
CREATE TABLE data_versions (
    scope BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions (scope, version) SELECT 0, COALESCE(MAX(id), 0) FROM audit;
