-- Each Party group's roll-up row (and, once a ranking asked, its automatic
-- assessment card) for a period, as the app server that last evaluated it
-- computed it: shared through the database, so that another server, or
-- the same one after a restart, builds a province's roll-up from these
-- rows instead of evaluating every group again. Derived data like
-- data_versions' caches: not audited, not carried in backups. A row is
-- used only while its stamp (the day, the versions it was computed from
-- and the program that computed it) is the reader's own; `hour` is set
-- when the row changes with the hour, `expires_at` when it changes at a
-- known instant (a feedback time limit falling due).
CREATE TABLE evaluation_rows (
    group_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    stamp TEXT NOT NULL,
    hour BIGINT,
    expires_at TEXT,
    row_json TEXT NOT NULL,
    card_json TEXT,
    PRIMARY KEY (group_id, period)
);
