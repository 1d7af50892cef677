-- Browsers a user signed in from before: the per-email ceiling on failed sign-ins never
-- refuses a correct password from one of them, so a stranger's guessing cannot lock the owner
-- out. Only a SHA-256 of the device cookie's random token is kept.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);
