-- 信息报送: information officers (信息员) per department, quotas (定额)
-- per department or for the whole unit, and the submissions with their
-- adoption (录用).

-- One row per officer and department; unit_id is the Party group.
CREATE TABLE news_officers (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    department_id BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    UNIQUE (department_id, person_id)
);

-- department_id NULL: the whole unit. cadence: month | quarter | half |
-- year; measure: submitted | adopted.
CREATE TABLE news_quotas (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    department_id BIGINT REFERENCES units(id),
    cadence TEXT NOT NULL,
    measure TEXT NOT NULL,
    target BIGINT NOT NULL,
    revision BIGINT NOT NULL
);
CREATE INDEX news_quotas_unit ON news_quotas(unit_id);

-- author_ids: JSON array of person ids. level: national | provincial |
-- municipal | county. issue: 期号 or link of the adoption.
CREATE TABLE news_submissions (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    department_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    author_ids TEXT NOT NULL,
    outlet TEXT NOT NULL,
    level TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    adopted_on TEXT,
    issue TEXT NOT NULL,
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX news_submissions_unit ON news_submissions(unit_id, submitted_on);
