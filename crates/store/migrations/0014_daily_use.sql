-- Overdue items are reminded again every `repeat_days` until done (0: once),
-- per Party group. Kept beside `reminder_settings` (not a column of it) so
-- that the audited rows of that table keep their hashes; audited itself.
-- The repetitions are told apart by their stored kind (`overdue#2`), so the
-- reminders' unique key still keeps a rescan from repeating one.
CREATE TABLE reminder_cadence (
    id {ID},
    unit_id BIGINT NOT NULL UNIQUE REFERENCES units(id),
    repeat_days BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- After its deadline a self-assessment is submitted (again) only while the
-- superior has reopened it: each reopening, append-only and audited, with
-- the date it runs to and why.
CREATE TABLE assessment_reopenings (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    until_on TEXT NOT NULL,
    opinion TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessment_reopenings_unit_year ON assessment_reopenings(unit_id, year);
