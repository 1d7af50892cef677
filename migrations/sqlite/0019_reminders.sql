-- Payment reminders. A customer's schedule: NULL is off, else a reminder goes out that many days
-- after an invoice's due date, and again every as many days while it stays unpaid. An invoice
-- keeps when its last reminder was queued, so a schedule never sends two in one period.
ALTER TABLE customers ADD COLUMN reminder_days INTEGER CHECK (reminder_days BETWEEN 1 AND 365);
ALTER TABLE invoices ADD COLUMN last_reminded_at TEXT;

-- A message of the outbox is about a credit note (sending it) or an invoice (a reminder), never
-- both. SQLite cannot drop NOT NULL in place: the table is rebuilt, every row kept. A deleted
-- invoice takes its unsent reminders with it.
CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_note_id   INTEGER REFERENCES credit_notes (id),
    invoice_id       INTEGER REFERENCES invoices (id) ON DELETE CASCADE,
    sender           TEXT NOT NULL,
    recipients       TEXT NOT NULL,  -- JSON: {"to": [...], "cc": [...]}
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    attachment_name  TEXT NOT NULL,
    attachment       BLOB NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_ms  INTEGER NOT NULL,
    claimed_until_ms INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    created_by       TEXT,
    sent_at          TEXT,
    CHECK ((credit_note_id IS NULL) <> (invoice_id IS NULL))
);
INSERT INTO outbox_new (id, credit_note_id, sender, recipients, subject, body, attachment_name,
    attachment, status, attempts, next_attempt_ms, claimed_until_ms, last_error, created_at,
    created_by, sent_at)
SELECT id, credit_note_id, sender, recipients, subject, body, attachment_name, attachment,
    status, attempts, next_attempt_ms, claimed_until_ms, last_error, created_at, created_by,
    sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_ms);
CREATE INDEX outbox_credit_note ON outbox (credit_note_id);
CREATE INDEX outbox_invoice ON outbox (invoice_id);
