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
