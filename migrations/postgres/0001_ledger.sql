-- Decimal quantities and rates are kept as exact decimal text, as on SQLite, so both backends share one set of queries.
-- Customers, invoices, credit notes, their lines, allocations and timelines.
-- Money columns are integer minor units (cents); the application converts with the currency.

CREATE TABLE customers (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(name) > 0),
    email            TEXT,
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    tax_region       TEXT NOT NULL,
    billing_address  TEXT NOT NULL DEFAULT '{}',
    shipping_address TEXT NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE invoices (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    customer_id        BIGINT NOT NULL REFERENCES customers (id),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    issue_date         DATE NOT NULL,
    due_date           DATE,
    kind               TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'advance', 'correction')),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'paid', 'cancelled')),
    related_invoice_id BIGINT REFERENCES invoices (id),
    project            TEXT,
    subtotal_minor     BIGINT NOT NULL,
    tax_total_minor    BIGINT NOT NULL,
    total_minor        BIGINT NOT NULL,
    paid_minor         BIGINT NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    credited_minor     BIGINT NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    -- Second line of defence: never more paid and credited than the invoice is worth.
    CHECK (kind = 'correction' OR paid_minor + credited_minor <= total_minor)
);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE invoice_lines (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id       BIGINT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    description      TEXT NOT NULL,
    quantity         TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate         TEXT NOT NULL,
    net_minor        BIGINT NOT NULL,
    tax_minor        BIGINT NOT NULL,
    total_minor      BIGINT NOT NULL,
    UNIQUE (invoice_id, position)
);

CREATE TABLE credit_notes (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             TEXT UNIQUE,
    customer_id        BIGINT NOT NULL REFERENCES customers (id),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    date               DATE NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'pending_approval', 'available', 'used', 'cancelled')),
    reason             TEXT,
    related_invoice_id BIGINT REFERENCES invoices (id),
    charge_code        TEXT,
    charge_description TEXT,
    subtotal_minor     BIGINT NOT NULL,
    tax_total_minor    BIGINT NOT NULL,
    total_minor        BIGINT NOT NULL CHECK (total_minor >= 0),
    allocated_minor    BIGINT NOT NULL DEFAULT 0 CHECK (allocated_minor >= 0),
    refunded_minor     BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    created_at         TIMESTAMPTZ NOT NULL,
    finalized_at       TIMESTAMPTZ,
    -- Second line of defence: a note never gives away more than it is worth.
    CHECK (allocated_minor + refunded_minor <= total_minor),
    CHECK ((number IS NULL) = (status IN ('draft', 'pending_approval')))
);
CREATE INDEX credit_notes_customer ON credit_notes (customer_id, status);

CREATE TABLE credit_note_lines (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_note_id   BIGINT NOT NULL REFERENCES credit_notes (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    description      TEXT NOT NULL,
    quantity         TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_rate         TEXT NOT NULL,
    net_minor        BIGINT NOT NULL,
    tax_minor        BIGINT NOT NULL,
    total_minor      BIGINT NOT NULL,
    UNIQUE (credit_note_id, position)
);

-- The last credit-note number given out per year; read and bumped inside the finalizing
-- transaction, so numbers are gapless.
CREATE TABLE credit_note_counters (
    year        INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL CHECK (last_number > 0)
);

CREATE TABLE allocations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_note_id BIGINT NOT NULL REFERENCES credit_notes (id),
    invoice_id     BIGINT NOT NULL REFERENCES invoices (id),
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_credit_note ON allocations (credit_note_id);

CREATE TABLE timeline_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id     BIGINT REFERENCES invoices (id) ON DELETE CASCADE,
    credit_note_id BIGINT REFERENCES credit_notes (id) ON DELETE CASCADE,
    at             TIMESTAMPTZ NOT NULL,
    actor          TEXT,
    kind           TEXT NOT NULL,
    data           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_events_invoice ON timeline_events (invoice_id, id);
CREATE INDEX timeline_events_credit_note ON timeline_events (credit_note_id, id);
