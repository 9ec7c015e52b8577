-- Records voided (作废) with who, when and why. The record itself keeps its
-- row with deleted = 1, so it leaves every count, status, report and
-- ledger; this table says why, and is audited like the record.
CREATE TABLE record_voids (
    id {ID},
    record_id BIGINT NOT NULL UNIQUE REFERENCES records(id),
    at TEXT NOT NULL,
    person_id BIGINT REFERENCES people(id),
    person_name TEXT NOT NULL,
    reason TEXT NOT NULL
);
