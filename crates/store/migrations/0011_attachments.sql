-- Evidence files (佐证材料). An attachment row says which record (or other
-- owner) a file belongs to, what it is and who attached it; it is audited,
-- so its SHA-256 is sealed in the chain. Voiding keeps the row with who,
-- when and why. The content is addressed by its SHA-256: in blob_chunks
-- (the default: in the same database and transaction) or, with
-- --files-dir, in a directory; blobs says where.
CREATE TABLE attachments (
    id {ID},
    owner TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    file_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    person_id BIGINT REFERENCES people(id),
    person_name TEXT NOT NULL,
    void_at TEXT,
    void_by_name TEXT,
    void_reason TEXT
);
CREATE INDEX attachments_owner ON attachments (owner, owner_id);
CREATE INDEX attachments_unit ON attachments (unit_id);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    location TEXT NOT NULL
);
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,
    seq BIGINT NOT NULL,
    data {BLOB} NOT NULL,
    PRIMARY KEY (sha256, seq)
);
-- Small PNG previews of image files, made once by the server; not
-- evidence, so not audited (they can always be made again).
CREATE TABLE thumbnails (
    sha256 TEXT PRIMARY KEY,
    data {BLOB} NOT NULL
);
