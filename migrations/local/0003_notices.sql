-- Notifications this device has shown (or decided not to show), one row per
-- fact such as `completion/KEY/approved`, so that seeing the same change
-- twice, or again after a restart, never notifies twice.
CREATE TABLE notices (
    id  TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
);
