-- What each line sells (goods or services): it chooses the revenue account (PCG 707 or 706)
-- and, for services, when the VAT is due (CGI art. 269-2-c). Lines written before were booked
-- to the services account: they are services.
ALTER TABLE invoice_lines ADD COLUMN nature TEXT NOT NULL DEFAULT 'services'
    CHECK (nature IN ('goods', 'services'));
ALTER TABLE credit_note_lines ADD COLUMN nature TEXT NOT NULL DEFAULT 'services'
    CHECK (nature IN ('goods', 'services'));

-- The chart gains goods revenue (707), discounts granted (709) and one VAT account per rate
-- (`vat_rate:20`). SQLite cannot change a CHECK in place.
CREATE TABLE chart_of_accounts_new (
    role  TEXT PRIMARY KEY CHECK (
        role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
                 'vat_payable', 'bank', 'write_off')
        OR role LIKE 'vat_rate:%'),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
INSERT INTO chart_of_accounts_new (role, code, label) SELECT role, code, label FROM chart_of_accounts;
DROP TABLE chart_of_accounts;
ALTER TABLE chart_of_accounts_new RENAME TO chart_of_accounts;

-- Customer credits now go to 4197 by default; books that already hold entries keep the
-- account their credits were written to, so the ledger stays in one place.
INSERT INTO chart_of_accounts (role, code, label)
SELECT 'customer_credit', '419000', 'Clients créditeurs'
WHERE EXISTS (SELECT 1 FROM journal_entries)
  AND NOT EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'customer_credit');
