-- E-mail waits here until a worker has handed it to the SMTP server. A message is written in
-- the same transaction as the request that sends it, so it is never lost and never blocks the
-- request. Times a worker compares are Unix milliseconds.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_note_id   INTEGER NOT NULL REFERENCES credit_notes (id),
    sender           TEXT NOT NULL,
    recipients       TEXT NOT NULL,  -- JSON: {"to": [...], "cc": [...]}
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    attachment_name  TEXT NOT NULL,
    attachment       BLOB NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_ms  INTEGER NOT NULL,
    -- A worker holds a message until then; another may take it over afterwards.
    claimed_until_ms INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    created_by       TEXT,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_ms);
CREATE INDEX outbox_credit_note ON outbox (credit_note_id);
