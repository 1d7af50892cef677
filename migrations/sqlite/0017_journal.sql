-- The accounting journal: balanced entries (debits equal credits, checked before a write and
-- by `creditdesk audit`), append-only (triggers refuse any change or removal; a correction is
-- a new entry), each sealed in a SHA-256 chain per journal like the credit notes.
CREATE TABLE journal_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    journal        TEXT NOT NULL CHECK (journal IN ('VT', 'BQ', 'OD')),
    entry_date     TEXT NOT NULL,
    reference      TEXT NOT NULL,
    label          TEXT NOT NULL,
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    source         TEXT NOT NULL,
    -- No foreign key: an issued invoice without money may still be deleted (its entry is then
    -- reversed), and the entries keep naming it.
    invoice_id     INTEGER,
    credit_note_id INTEGER REFERENCES credit_notes (id),
    created_at     TEXT NOT NULL,
    seal           TEXT NOT NULL CHECK (length(seal) = 64)
);
CREATE INDEX journal_entries_date ON journal_entries (entry_date, id);

CREATE TABLE journal_lines (
    entry_id      INTEGER NOT NULL REFERENCES journal_entries (id),
    position      INTEGER NOT NULL,
    account       TEXT NOT NULL,
    account_label TEXT NOT NULL,
    label         TEXT NOT NULL,
    debit_minor   INTEGER NOT NULL CHECK (debit_minor >= 0),
    credit_minor  INTEGER NOT NULL CHECK (credit_minor >= 0),
    CHECK (debit_minor = 0 OR credit_minor = 0),
    PRIMARY KEY (entry_id, position)
);

-- The last seal of each journal, taken by the writer: entries of a journal chain one by one.
CREATE TABLE journal_heads (
    journal TEXT PRIMARY KEY CHECK (journal IN ('VT', 'BQ', 'OD')),
    seal    TEXT NOT NULL CHECK (length(seal) = 64)
);
INSERT INTO journal_heads (journal, seal) VALUES
    ('VT', '0000000000000000000000000000000000000000000000000000000000000000'),
    ('BQ', '0000000000000000000000000000000000000000000000000000000000000000'),
    ('OD', '0000000000000000000000000000000000000000000000000000000000000000');

-- The accounts entries are written to (Settings); a French PCG chart until saved.
CREATE TABLE chart_of_accounts (
    role  TEXT PRIMARY KEY CHECK (role IN ('receivable', 'customer_credit', 'revenue', 'vat_payable', 'bank')),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);

CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
