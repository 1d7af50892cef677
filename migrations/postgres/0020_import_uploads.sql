-- Files uploaded for import in the browser: kept so the preview and the import read the same
-- bytes (on whichever server), and as a record of what was imported, by whom and when.
CREATE TABLE import_uploads (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name   TEXT NOT NULL,
    content     BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    applied_at  TIMESTAMPTZ
);
