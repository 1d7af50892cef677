-- An issued invoice or a finalized credit note prints what it said when it was issued: the
-- renderer's inputs are frozen then (the document's data, the template and layout sources,
-- the logo), their SHA-256 goes into the credit note's seal, and the PDF made from them is
-- kept once rendered, with its own SHA-256. A reprint serves that file (CGI art. 289: the
-- document issued is the one kept); only drafts render live.

-- Template sources and logos, once each, by their SHA-256 (many documents share them).
CREATE TABLE print_assets (
    sha256  TEXT PRIMARY KEY,
    content BYTEA NOT NULL
);

CREATE TABLE issued_prints (
    id             BIGSERIAL PRIMARY KEY,
    invoice_id     BIGINT UNIQUE REFERENCES invoices (id),
    credit_note_id BIGINT UNIQUE REFERENCES credit_notes (id),
    -- The main file, and each source as [file name, SHA-256] (JSON).
    main           TEXT NOT NULL,
    sources        TEXT NOT NULL,
    -- The document as the template reads it (JSON).
    data           TEXT NOT NULL,
    logo_sha256    TEXT REFERENCES print_assets (sha256),
    -- Of all of the above: what the seal covers.
    sha256         TEXT NOT NULL,
    pdf            BYTEA,
    pdf_sha256     TEXT,
    rendered_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK ((invoice_id IS NULL) <> (credit_note_id IS NULL)),
    CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL))
);

-- Seal version 4 covers the frozen print's SHA-256.
ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_seal_version_check;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_seal_version_check CHECK (seal_version IN (1, 2, 3, 4));
