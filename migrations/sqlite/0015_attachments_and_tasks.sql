-- Supporting files of a credit note (PDF, PNG, JPEG, recognised by content), kept in the
-- database so that every server on one PostgreSQL serves them; and tasks on a credit note.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    file_name      TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    media_type     TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size_bytes     INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    content        BLOB NOT NULL,
    uploaded_by    TEXT,
    uploaded_at    TEXT NOT NULL
);
CREATE INDEX attachments_credit_note ON attachments (credit_note_id);

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    due_date       TEXT,
    assignee_id    INTEGER REFERENCES users (id),
    done_at        TEXT,
    created_by     TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX tasks_credit_note ON tasks (credit_note_id);
