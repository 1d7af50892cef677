-- VAT on services is due when they are paid unless the seller opted for debits (CGI art.
-- 269-2-c). What of a document's VAT waits for payment, per rate, is fixed when the document
-- is issued (a later change of the option does not move it): each settlement then makes its
-- share due.
CREATE TABLE vat_on_payment (
    invoice_id     INTEGER REFERENCES invoices (id),
    credit_note_id INTEGER REFERENCES credit_notes (id),
    rate           TEXT NOT NULL,
    tax_minor      INTEGER NOT NULL CHECK (tax_minor > 0),
    CHECK ((invoice_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE UNIQUE INDEX vat_on_payment_invoice ON vat_on_payment (invoice_id, rate)
    WHERE invoice_id IS NOT NULL;
CREATE UNIQUE INDEX vat_on_payment_credit_note ON vat_on_payment (credit_note_id, rate)
    WHERE credit_note_id IS NOT NULL;

-- The chart gains the account that VAT waits on (44574). SQLite cannot change a CHECK in place.
CREATE TABLE chart_of_accounts_new (
    role  TEXT PRIMARY KEY CHECK (
        role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
                 'vat_payable', 'vat_pending', 'bank', 'write_off')
        OR role LIKE 'vat_rate:%'),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
INSERT INTO chart_of_accounts_new (role, code, label) SELECT role, code, label FROM chart_of_accounts;
DROP TABLE chart_of_accounts;
ALTER TABLE chart_of_accounts_new RENAME TO chart_of_accounts;
