-- Pre-publication review (三审三校): who may sign each stage of a
-- channel's drafts, and the drafts with their review state.

-- JSON taizhang_core::review::Reviewers: person ids per stage. A table of
-- its own rather than a column on `channels`, so existing channel rows keep
-- the hashes the audit chain recorded for them.
CREATE TABLE channel_reviewers (
    id {ID},
    channel_id BIGINT NOT NULL UNIQUE REFERENCES channels(id),
    reviewers TEXT NOT NULL
);

CREATE TABLE drafts (
    id {ID},
    -- The channel's unit (a Party group): drafts follow its access rule.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    channel_id BIGINT NOT NULL REFERENCES channels(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- JSON taizhang_core::review::Review: version, sign-offs, history.
    review TEXT NOT NULL,
    -- drafting | reviewing | approved | published, derived from `review`
    -- on every write so lists can filter without parsing JSON.
    status TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX drafts_unit_created ON drafts(unit_id, created_at);
