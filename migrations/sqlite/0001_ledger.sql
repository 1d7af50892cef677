-- Customers, invoices, credit notes, their lines, allocations and timelines.
-- Money columns are integer minor units (cents); the application converts with the currency.

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(name) > 0),
    email            TEXT,
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    tax_region       TEXT NOT NULL,
    billing_address  TEXT NOT NULL DEFAULT '{}',
    shipping_address TEXT NOT NULL DEFAULT '{}',
    created_at       TEXT NOT NULL
);

CREATE TABLE invoices (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    issue_date         TEXT NOT NULL,
    due_date           TEXT,
    kind               TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'advance', 'correction')),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'paid', 'cancelled')),
    related_invoice_id INTEGER REFERENCES invoices (id),
    project            TEXT,
    subtotal_minor     INTEGER NOT NULL,
    tax_total_minor    INTEGER NOT NULL,
    total_minor        INTEGER NOT NULL,
    paid_minor         INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    credited_minor     INTEGER NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Second line of defence: never more paid and credited than the invoice is worth.
    CHECK (kind = 'correction' OR paid_minor + credited_minor <= total_minor)
);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE invoice_lines (
    id               INTEGER PRIMARY KEY,
    invoice_id       INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    quantity         TEXT NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate         TEXT NOT NULL,
    net_minor        INTEGER NOT NULL,
    tax_minor        INTEGER NOT NULL,
    total_minor      INTEGER NOT NULL,
    UNIQUE (invoice_id, position)
);

CREATE TABLE credit_notes (
    id                 INTEGER PRIMARY KEY,
    number             TEXT UNIQUE,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    date               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'pending_approval', 'available', 'used', 'cancelled')),
    reason             TEXT,
    related_invoice_id INTEGER REFERENCES invoices (id),
    charge_code        TEXT,
    charge_description TEXT,
    subtotal_minor     INTEGER NOT NULL,
    tax_total_minor    INTEGER NOT NULL,
    total_minor        INTEGER NOT NULL CHECK (total_minor >= 0),
    allocated_minor    INTEGER NOT NULL DEFAULT 0 CHECK (allocated_minor >= 0),
    refunded_minor     INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    created_at         TEXT NOT NULL,
    finalized_at       TEXT,
    -- Second line of defence: a note never gives away more than it is worth.
    CHECK (allocated_minor + refunded_minor <= total_minor),
    CHECK ((number IS NULL) = (status IN ('draft', 'pending_approval')))
);
CREATE INDEX credit_notes_customer ON credit_notes (customer_id, status);

CREATE TABLE credit_note_lines (
    id               INTEGER PRIMARY KEY,
    credit_note_id   INTEGER NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    quantity         TEXT NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate         TEXT NOT NULL,
    net_minor        INTEGER NOT NULL,
    tax_minor        INTEGER NOT NULL,
    total_minor      INTEGER NOT NULL,
    UNIQUE (credit_note_id, position)
);

-- The last credit-note number given out per year; read and bumped inside the finalizing
-- transaction, so numbers are gapless.
CREATE TABLE credit_note_counters (
    year        INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number > 0)
);

CREATE TABLE allocations (
    id             INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    created_at     TEXT NOT NULL
);
CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_credit_note ON allocations (credit_note_id);

CREATE TABLE timeline_events (
    id             INTEGER PRIMARY KEY,
    invoice_id     INTEGER REFERENCES invoices (id) ON DELETE CASCADE,
    credit_note_id INTEGER REFERENCES credit_notes (id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    actor          TEXT,
    kind           TEXT NOT NULL,
    data           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_events_invoice ON timeline_events (invoice_id, id);
CREATE INDEX timeline_events_credit_note ON timeline_events (credit_note_id, id);
