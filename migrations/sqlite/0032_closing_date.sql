-- The books are closed through a date (Code de commerce art. L123-22, PCG art. 911-4: entries
-- of a closed period are never changed): nothing is posted on or before it. One row, moved
-- forward only, by administrators.
CREATE TABLE books_closing (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    closed_through TEXT NOT NULL,
    closed_at      TEXT NOT NULL,
    closed_by      INTEGER REFERENCES users (id)
);
