-- Calendar feeds: one secret subscription address per person. Only the
-- token's SHA-256 is kept, like sessions; operational, not audited (the
-- feed shows what the person may see anyway).
CREATE TABLE calendar_feeds (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- People who sign in through the directory (LDAP) only: their local
-- password, if any, is not accepted. A table beside `people` (not a
-- column of it) so that the audited rows of `people` keep their hashes;
-- audited itself.
CREATE TABLE directory_only (
    id {ID},
    person_id BIGINT NOT NULL UNIQUE REFERENCES people(id),
    created_at TEXT NOT NULL
);
