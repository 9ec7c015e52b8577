-- Problems found by inspections (督查、巡察、自查) and their rectification
-- (整改): measures, owner, deadline, evidence, the unit's report (申请销号)
-- and the superior's closing (销号).

CREATE TABLE rectifications (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- inspection | patrol | self_inspection
    source TEXT NOT NULL,
    found_on TEXT NOT NULL,
    problem TEXT NOT NULL,
    measures TEXT NOT NULL,
    owner_id BIGINT REFERENCES people(id),
    deadline TEXT NOT NULL,
    evidence TEXT NOT NULL,
    rectified_on TEXT,
    closed_on TEXT,
    opinion TEXT NOT NULL,
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX rectifications_unit ON rectifications(unit_id, deadline);
