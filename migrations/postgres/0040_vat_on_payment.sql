-- VAT on services is due when they are paid unless the seller opted for debits (CGI art.
-- 269-2-c). What of a document's VAT waits for payment, per rate, is fixed when the document
-- is issued (a later change of the option does not move it): each settlement then makes its
-- share due.
CREATE TABLE vat_on_payment (
    invoice_id     BIGINT REFERENCES invoices (id),
    credit_note_id BIGINT REFERENCES credit_notes (id),
    rate           TEXT NOT NULL,
    tax_minor      BIGINT NOT NULL CHECK (tax_minor > 0),
    CHECK ((invoice_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE UNIQUE INDEX vat_on_payment_invoice ON vat_on_payment (invoice_id, rate)
    WHERE invoice_id IS NOT NULL;
CREATE UNIQUE INDEX vat_on_payment_credit_note ON vat_on_payment (credit_note_id, rate)
    WHERE credit_note_id IS NOT NULL;

-- The chart gains the account that VAT waits on (44574).
ALTER TABLE chart_of_accounts DROP CONSTRAINT chart_of_accounts_role_check;
ALTER TABLE chart_of_accounts ADD CONSTRAINT chart_of_accounts_role_check CHECK (
    role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
             'vat_payable', 'vat_pending', 'bank', 'write_off')
    OR role LIKE 'vat_rate:%');
