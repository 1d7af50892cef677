-- What remains of a finalized note can be voided (written off, with a reason) instead of
-- cancelled once part of it was linked or refunded: the amount written off and why. A note's
-- links, refunds and write-off never exceed its total.
ALTER TABLE credit_notes ADD COLUMN voided_minor INTEGER NOT NULL DEFAULT 0
    CHECK (voided_minor >= 0 AND allocated_minor + refunded_minor + voided_minor <= total_minor);
ALTER TABLE credit_notes ADD COLUMN void_reason TEXT;

-- The chart of accounts gains the account voided credit is written off to.
CREATE TABLE chart_of_accounts_new (
    role  TEXT PRIMARY KEY CHECK (role IN ('receivable', 'customer_credit', 'revenue', 'vat_payable', 'bank', 'write_off')),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
INSERT INTO chart_of_accounts_new (role, code, label) SELECT role, code, label FROM chart_of_accounts;
DROP TABLE chart_of_accounts;
ALTER TABLE chart_of_accounts_new RENAME TO chart_of_accounts;
