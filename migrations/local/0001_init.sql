-- Hearth's local store. Documents are the source of truth; every other table
-- is a projection or a cache that can be rebuilt from them.

-- This device: its Automerge actor and the identity of the database file the
-- actor was minted for (a copied database gets a new actor).
CREATE TABLE device (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    actor       BLOB    NOT NULL,
    device_id   TEXT    NOT NULL,
    file_id     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Small settings: which household this data dir holds, the acting member...
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per Automerge document.
CREATE TABLE docs (
    doc_id  TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('household', 'ledger')),
    period  TEXT
);

-- Each document is a snapshot plus incremental change chunks, loaded in seq
-- order. Chunks are content-addressed: inserting one twice is a no-op.
-- Compaction inserts the new snapshot before deleting what it replaces.
CREATE TABLE chunks (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id  TEXT    NOT NULL REFERENCES docs (doc_id),
    hash    BLOB    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('snapshot', 'incremental')),
    data    BLOB    NOT NULL,
    UNIQUE (doc_id, hash)
);

-- Projections, rewritten in the same transaction as the chunks they come from.
CREATE TABLE proj_balance (
    member_id TEXT PRIMARY KEY,
    spendable INTEGER NOT NULL,
    earned    INTEGER NOT NULL,
    spent     INTEGER NOT NULL,
    deducted  INTEGER NOT NULL
);

-- One row per ledger entry (completion, redemption, adjustment, penalty),
-- with its derived status and the points it moved.
CREATE TABLE proj_entry (
    kind      TEXT    NOT NULL,
    entry     TEXT    NOT NULL,
    member_id TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    status    TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    detail    TEXT    NOT NULL,
    PRIMARY KEY (kind, entry)
);
CREATE INDEX proj_entry_member_at ON proj_entry (member_id, at);
CREATE INDEX proj_entry_at ON proj_entry (at);

-- Points earned per member per ISO week (stats).
CREATE TABLE proj_week (
    week      TEXT    NOT NULL,
    member_id TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    PRIMARY KEY (week, member_id)
);

-- Today's occurrences as of the last materialization.
CREATE TABLE proj_today (
    key    TEXT PRIMARY KEY,
    date   TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- The derivation's state after each closed ledger period, keyed by a hash of
-- everything it depends on; opening a household resumes from here.
CREATE TABLE period_cache (
    period TEXT PRIMARY KEY,
    key    TEXT NOT NULL,
    state  TEXT NOT NULL
);
