-- What remains of a finalized note can be voided (written off, with a reason) instead of
-- cancelled once part of it was linked or refunded: the amount written off and why. A note's
-- links, refunds and write-off never exceed its total.
ALTER TABLE credit_notes ADD COLUMN voided_minor BIGINT NOT NULL DEFAULT 0 CHECK (voided_minor >= 0);
ALTER TABLE credit_notes ADD COLUMN void_reason TEXT;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_settled_within_total
    CHECK (allocated_minor + refunded_minor + voided_minor <= total_minor);

-- The chart of accounts gains the account voided credit is written off to.
ALTER TABLE chart_of_accounts DROP CONSTRAINT chart_of_accounts_role_check;
ALTER TABLE chart_of_accounts ADD CONSTRAINT chart_of_accounts_role_check
    CHECK (role IN ('receivable', 'customer_credit', 'revenue', 'vat_payable', 'bank', 'write_off'));
