-- Nothing that records money is removed by a cascade: payments and refunds now block the
-- deletion of their document (services refuse it first with a 409). SQLite cannot change a
-- foreign key in place, so both tables are rebuilt; nothing refers to them.

CREATE TABLE payments_new (
    id             INTEGER PRIMARY KEY,
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    date           TEXT NOT NULL,
    method         TEXT,
    reference      TEXT,
    -- Payments added by "mark paid" are taken back by "mark pending".
    from_mark_paid BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL
);
INSERT INTO payments_new SELECT id, invoice_id, amount_minor, date, method, reference, from_mark_paid, created_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE refunds_new (
    id             INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id) ON DELETE RESTRICT,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    date           TEXT NOT NULL,
    method         TEXT,
    created_at     TEXT NOT NULL
);
INSERT INTO refunds_new SELECT id, credit_note_id, amount_minor, date, method, created_at FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_new RENAME TO refunds;
CREATE INDEX refunds_credit_note ON refunds (credit_note_id);

-- Timelines read oldest first by event time, then id.
DROP INDEX timeline_events_invoice;
DROP INDEX timeline_events_credit_note;
CREATE INDEX timeline_events_invoice ON timeline_events (invoice_id, at, id);
CREATE INDEX timeline_events_credit_note ON timeline_events (credit_note_id, at, id);
