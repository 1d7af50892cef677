-- What printed documents need beyond the ledger: the customer's VAT id, the seller's own
-- details (one row), and PDF templates saved in Settings (they override the built-in ones).
ALTER TABLE customers ADD COLUMN vat_id TEXT;

CREATE TABLE seller_profile (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '{}',
    vat_id          TEXT,
    iban            TEXT,
    email           TEXT,
    logo            BYTEA,
    logo_media_type TEXT CHECK (logo_media_type IN ('image/png', 'image/jpeg')),
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((logo IS NULL) = (logo_media_type IS NULL))
);

CREATE TABLE document_templates (
    kind       TEXT PRIMARY KEY CHECK (kind IN ('credit_note', 'invoice')),
    source     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);
