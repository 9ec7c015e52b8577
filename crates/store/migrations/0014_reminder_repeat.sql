-- Overdue items are reminded again every `repeat_days` until done (0: once).
-- The repetitions are told apart by their stored kind (`overdue#2`), so the
-- reminders' unique key still keeps a rescan from repeating one.
ALTER TABLE reminder_settings ADD COLUMN repeat_days BIGINT NOT NULL DEFAULT 7;
