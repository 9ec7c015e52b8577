-- Reminders (提醒). Each Party group's settings; each reminder once (its
-- key is unique, so a rescan inserts nothing new); the in-app
-- notification of each person who must act; an outbox of messages to the
-- unit's robot (企业微信/钉钉) or mailbox, written in the same transaction
-- as the reminders and sent after it, retried when sending fails; and the
-- state of scheduled jobs, so several app servers run a job once.
-- Reminders, notifications and the outbox are the system's own output,
-- derived from the audited records; only the settings are audited.

CREATE TABLE reminder_settings (
    id {ID},
    unit_id BIGINT NOT NULL UNIQUE REFERENCES units(id),
    before_days BIGINT NOT NULL,
    -- none | wecom | dingtalk
    webhook_kind TEXT NOT NULL,
    webhook_url TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    smtp_host TEXT NOT NULL,
    smtp_port BIGINT NOT NULL,
    -- none | starttls | tls
    smtp_security TEXT NOT NULL,
    smtp_username TEXT NOT NULL,
    smtp_password TEXT NOT NULL,
    smtp_from TEXT NOT NULL,
    smtp_to TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE reminders (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    item_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    -- empty for evidence reminders, which have no due date of their own
    due_on TEXT NOT NULL,
    -- before | on_day | overdue | evidence
    kind TEXT NOT NULL,
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, item_id, subject_kind, subject_id, period, due_on, kind, seq)
);
CREATE INDEX reminders_unit ON reminders(unit_id, created_at);

CREATE TABLE notifications (
    id {ID},
    reminder_id BIGINT NOT NULL REFERENCES reminders(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    read_at TEXT,
    UNIQUE (reminder_id, person_id)
);
CREATE INDEX notifications_person ON notifications(person_id, read_at);

CREATE TABLE outbox (
    id {ID},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- webhook | email
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    sent_at TEXT,
    last_error TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

CREATE TABLE scheduled_jobs (
    name TEXT PRIMARY KEY,
    last_started TEXT NOT NULL,
    last_finished TEXT,
    last_error TEXT NOT NULL,
    runs BIGINT NOT NULL
);
