-- Books are kept in euros (Code de commerce art. L123-22; PCG art. 420-5). A document in
-- another currency is booked at the rate in force on its date, fixed when it is issued or
-- finalized; its lines keep their own amounts beside their value in euros (the FEC's
-- Montantdevise), and settlements at another rate book realised differences (666 / 766).

-- Reference rates as the ECB publishes them: units of the currency for one euro.
CREATE TABLE exchange_rates (
    currency   TEXT NOT NULL CHECK (length(currency) = 3 AND currency <> 'EUR'),
    rate_date  DATE NOT NULL,
    rate       TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('manual', 'ecb')),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (currency, rate_date)
);

-- The rate a foreign document was booked at (none: in euros, or booked before this).
ALTER TABLE invoices ADD COLUMN exchange_rate TEXT;
ALTER TABLE credit_notes ADD COLUMN exchange_rate TEXT;

-- What a foreign payment was worth in euros on its day, so taking it back reverses that.
ALTER TABLE payments ADD COLUMN book_amount_minor BIGINT CHECK (book_amount_minor >= 0);

-- A foreign entry's lines in euros.
ALTER TABLE journal_lines ADD COLUMN book_debit_minor BIGINT CHECK (book_debit_minor >= 0);
ALTER TABLE journal_lines ADD COLUMN book_credit_minor BIGINT CHECK (book_credit_minor >= 0);

-- The chart gains the exchange accounts.
ALTER TABLE chart_of_accounts DROP CONSTRAINT chart_of_accounts_role_check;
ALTER TABLE chart_of_accounts ADD CONSTRAINT chart_of_accounts_role_check CHECK (
    role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
             'vat_payable', 'vat_pending', 'bank', 'write_off', 'exchange_loss',
             'exchange_gain')
    OR role LIKE 'vat_rate:%');
