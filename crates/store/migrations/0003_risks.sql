-- The risk ledger (风险隐患台账): risk points of a Party group and every
-- review of them. A review of the ledger also writes a `risk_review`
-- record (what the duty engine counts); `record_id` links the two.

CREATE TABLE risks (
    id {ID},
    -- The Party group whose ledger it is.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    domain TEXT NOT NULL,
    title TEXT NOT NULL,
    -- high | medium | low
    level TEXT NOT NULL,
    description TEXT NOT NULL,
    measures TEXT NOT NULL,
    owner_person_id BIGINT REFERENCES people(id),
    -- controlled | resolved
    status TEXT NOT NULL,
    identified_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Bumped on every change, so an edit made on a stale form is refused.
    revision BIGINT NOT NULL
);
CREATE UNIQUE INDEX risks_unit_title ON risks(unit_id, title);

CREATE TABLE risk_reviews (
    id {ID},
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    record_id BIGINT NOT NULL REFERENCES records(id),
    reviewed_on TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    -- The risk's status as the review left it.
    status TEXT NOT NULL,
    next_review_on TEXT,
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id)
);
CREATE INDEX risk_reviews_risk ON risk_reviews(risk_id, reviewed_on);
