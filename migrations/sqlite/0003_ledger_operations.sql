-- Payments on invoices, refunds and comments on credit notes, invoice numbering, and stored
-- answers to idempotent API requests.

CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    date           TEXT NOT NULL,
    method         TEXT,
    reference      TEXT,
    -- Payments added by "mark paid" are taken back by "mark pending".
    from_mark_paid BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    date           TEXT NOT NULL,
    method         TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX refunds_credit_note ON refunds (credit_note_id);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    author         TEXT,
    text           TEXT NOT NULL CHECK (length(text) > 0),
    created_at     TEXT NOT NULL
);
CREATE INDEX comments_credit_note ON comments (credit_note_id);

CREATE TABLE invoice_counters (
    year        INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number > 0)
);

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
