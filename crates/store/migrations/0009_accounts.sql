-- Accounts an administrator reset: the person must choose a new password
-- at the next login. Kept beside `people` (not a column of it) so that the
-- audited rows of `people` keep their hashes; not audited itself (the
-- reset and the change are, as changes of people.password_hash).
CREATE TABLE password_resets (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    at TEXT NOT NULL
);
