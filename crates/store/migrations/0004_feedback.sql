-- The public-feedback register (舆情与诉求处置台账): entries about the
-- unit's own work, typed or imported by staff. No personal data of the
-- people who posted is kept beyond the public link.

CREATE TABLE feedback (
    id {ID},
    -- The Party group the entry belongs to: entries follow its access rule.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- JSON taizhang_core::feedback::Feedback: source, summary, category,
    -- level, owner and every step with its time and person.
    data TEXT NOT NULL,
    -- Derived from `data` on every write, so lists and weeks can filter
    -- without parsing JSON.
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_id BIGINT REFERENCES people(id),
    discovered_at TEXT NOT NULL,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX feedback_unit_discovered ON feedback(unit_id, discovered_at);
