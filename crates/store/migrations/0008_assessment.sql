-- The annual assessment (考核) of a Party group for a year: its state, the
-- unit's self-score adjustments (自评调整) and the superior's review scores
-- (审核得分) as JSON, and the automatic scorecard frozen at submission.
-- A unit and year without a row is 未提交 with nothing written yet.

CREATE TABLE assessments (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    -- draft | submitted | returned | finalised
    state TEXT NOT NULL,
    adjustments TEXT NOT NULL,
    reviews TEXT NOT NULL,
    submitted TEXT,
    submitted_on TEXT,
    finalised_on TEXT,
    opinion TEXT NOT NULL,
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, year)
);
CREATE INDEX assessments_year ON assessments(year, unit_id);
