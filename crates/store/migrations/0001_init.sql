-- Initial schema. `{ID}` becomes the backend's auto-increment primary key.
-- Dates are ISO text (YYYY-MM-DD), instants RFC 3339 UTC text, flags 0/1
-- integers: the same on SQLite and PostgreSQL.

CREATE TABLE units (
    id {ID},
    name TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX units_name_parent ON units(name, parent_id);

CREATE TABLE people (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    username TEXT UNIQUE,
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE roles (
    id {ID},
    person_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    scope_unit_id BIGINT NOT NULL REFERENCES units(id),
    -- JSON array of department unit ids a leader is in charge of.
    in_charge_of TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX roles_person ON roles(person_id);

CREATE TABLE channels (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    owner_person_id BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL
);

CREATE TABLE duty_lists (
    id {ID},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    issued_by BIGINT REFERENCES units(id),
    created_at TEXT NOT NULL
);

-- Which lists a unit has adopted, in order (later lists override earlier items).
CREATE TABLE adoptions (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    list_id BIGINT NOT NULL REFERENCES duty_lists(id),
    position BIGINT NOT NULL,
    adopted_at TEXT NOT NULL
);
CREATE UNIQUE INDEX adoptions_unit_list ON adoptions(unit_id, list_id);

CREATE TABLE records (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    entered_by BIGINT REFERENCES people(id),
    revision BIGINT NOT NULL,
    data TEXT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX records_unit_kind_date ON records(unit_id, kind, occurred_on);

-- Every earlier revision of a record, written when the record changes.
CREATE TABLE record_revisions (
    id {ID},
    record_id BIGINT NOT NULL REFERENCES records(id),
    revision BIGINT NOT NULL,
    occurred_on TEXT NOT NULL,
    data TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by BIGINT REFERENCES people(id)
);
CREATE INDEX record_revisions_record ON record_revisions(record_id);

-- The append-only audit chain. `hash` covers every other column and the
-- previous entry's hash.
CREATE TABLE audit (
    id {ID},
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    before_hash TEXT,
    after_hash TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_id);

-- Operational tables, not audited: sessions and failed logins.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(id),
    csrf TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    id {ID},
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures(username, at);
