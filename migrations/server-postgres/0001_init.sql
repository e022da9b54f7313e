-- The sync server's storage (PostgreSQL, for hosted operation: several
-- server instances share it and wake each other with LISTEN/NOTIFY).
-- Every document belongs to one household: (household_id, doc_id) is the
-- key, so a household never sees another's documents, whatever ids it knows.

CREATE TABLE households (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- Device tokens are stored only as SHA-256 hashes.
CREATE TABLE devices (
    id            TEXT    PRIMARY KEY,
    household_id  TEXT    NOT NULL REFERENCES households (id),
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('parent', 'child')),
    token_hash    BYTEA   NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX devices_household ON devices (household_id);

-- Invite codes: hashed, single use, short-lived, carrying the role.
CREATE TABLE invites (
    code_hash     BYTEA   PRIMARY KEY,
    household_id  TEXT    NOT NULL REFERENCES households (id),
    role          TEXT    NOT NULL CHECK (role IN ('parent', 'child')),
    created_by    TEXT    NOT NULL,
    expires_at    BIGINT  NOT NULL,
    used_at       BIGINT,
    used_by       TEXT
);

-- Each document is a snapshot plus change chunks, content-addressed.
-- Writers of one document serialize on an advisory lock, so a document's
-- chunks commit in seq order and "after seq N" reads miss nothing.
-- Compaction inserts the new snapshot before deleting what it replaces.
CREATE TABLE chunks (
    seq           BIGSERIAL PRIMARY KEY,
    household_id  TEXT    NOT NULL REFERENCES households (id),
    doc_id        TEXT    NOT NULL,
    hash          BYTEA   NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('snapshot', 'incremental')),
    data          BYTEA   NOT NULL,
    UNIQUE (household_id, doc_id, hash)
);
CREATE INDEX chunks_doc ON chunks (household_id, doc_id, seq);
