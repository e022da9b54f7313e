-- Sync with a Hearth server: one Automerge sync state per document (what
-- the server is known to have), so a reconnect does not start from nothing.
-- The server's address and this device's token live in `meta`.
CREATE TABLE sync_state (
    doc_id  TEXT PRIMARY KEY,
    state   BLOB NOT NULL
);
