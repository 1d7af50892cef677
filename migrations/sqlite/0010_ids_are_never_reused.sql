-- An id that was given out is never given again. Without AUTOINCREMENT SQLite hands out the
-- largest id + 1, so unlinking the newest allocation and linking again reused its id: an
-- integrator's allocation id, and the timeline's, then named another link. Allocations and
-- payments are the rows that get deleted (unlink, mark pending); both are rebuilt with
-- AUTOINCREMENT (SQLite cannot add it in place). Nothing refers to either table.

CREATE TABLE allocations_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    created_at     TEXT NOT NULL
);
INSERT INTO allocations_new SELECT id, credit_note_id, invoice_id, amount_minor, created_at FROM allocations;
DROP TABLE allocations;
ALTER TABLE allocations_new RENAME TO allocations;
CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_credit_note ON allocations (credit_note_id);

CREATE TABLE payments_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
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
