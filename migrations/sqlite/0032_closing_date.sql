-- The books are closed through a date (PCG art. 420-6: a closing procedure fixes the chronology
-- and keeps entries from changing): nothing is posted on or before it. One row, moved forward
-- only, by administrators.
CREATE TABLE books_closing (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    closed_through TEXT NOT NULL,
    closed_at      TEXT NOT NULL,
    closed_by      INTEGER REFERENCES users (id)
);
