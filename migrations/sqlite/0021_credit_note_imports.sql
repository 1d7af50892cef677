-- Credit notes imported from another system keep that system's number as their external
-- reference: a file imported again finds them by it. Unique, so two notes never claim one
-- source document (NULLs, the notes made here, do not collide).
ALTER TABLE credit_notes ADD COLUMN external_reference TEXT;
CREATE UNIQUE INDEX credit_notes_external_reference ON credit_notes (external_reference);

-- What an uploaded file holds.
ALTER TABLE import_uploads ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoices'
    CHECK (kind IN ('invoices', 'credit_notes'));
