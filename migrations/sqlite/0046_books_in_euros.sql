-- Books are kept in euros (Code de commerce art. L123-22; PCG art. 420-5). A document in
-- another currency is booked at the rate in force on its date, fixed when it is issued or
-- finalized; its lines keep their own amounts beside their value in euros (the FEC's
-- Montantdevise), and settlements at another rate book realised differences (666 / 766).

-- Reference rates as the ECB publishes them: units of the currency for one euro.
CREATE TABLE exchange_rates (
    currency   TEXT NOT NULL CHECK (length(currency) = 3 AND currency <> 'EUR'),
    rate_date  TEXT NOT NULL,
    rate       TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('manual', 'ecb')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (currency, rate_date)
);

-- The rate a foreign document was booked at (none: in euros, or booked before this).
ALTER TABLE invoices ADD COLUMN exchange_rate TEXT;
ALTER TABLE credit_notes ADD COLUMN exchange_rate TEXT;

-- What a foreign payment was worth in euros on its day, so taking it back reverses that.
ALTER TABLE payments ADD COLUMN book_amount_minor INTEGER CHECK (book_amount_minor >= 0);

-- A foreign entry's lines in euros.
ALTER TABLE journal_lines ADD COLUMN book_debit_minor INTEGER CHECK (book_debit_minor >= 0);
ALTER TABLE journal_lines ADD COLUMN book_credit_minor INTEGER CHECK (book_credit_minor >= 0);

-- The chart gains the exchange accounts. SQLite cannot change a CHECK in place.
CREATE TABLE chart_of_accounts_new (
    role  TEXT PRIMARY KEY CHECK (
        role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
                 'vat_payable', 'vat_pending', 'bank', 'write_off', 'exchange_loss',
                 'exchange_gain')
        OR role LIKE 'vat_rate:%'),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
INSERT INTO chart_of_accounts_new (role, code, label) SELECT role, code, label FROM chart_of_accounts;
DROP TABLE chart_of_accounts;
ALTER TABLE chart_of_accounts_new RENAME TO chart_of_accounts;
