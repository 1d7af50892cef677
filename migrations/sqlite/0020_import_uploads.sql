-- Files uploaded for import in the browser: kept so the preview and the import read the same
-- bytes (on whichever server), and as a record of what was imported, by whom and when.
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name   TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    applied_at  TEXT
);
