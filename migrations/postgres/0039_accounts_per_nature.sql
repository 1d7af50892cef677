-- What each line sells (goods or services): it chooses the revenue account (PCG 707 or 706)
-- and, for services, when the VAT is due (CGI art. 269-2-c). Lines written before were booked
-- to the services account: they are services.
ALTER TABLE invoice_lines ADD COLUMN nature TEXT NOT NULL DEFAULT 'services'
    CHECK (nature IN ('goods', 'services'));
ALTER TABLE credit_note_lines ADD COLUMN nature TEXT NOT NULL DEFAULT 'services'
    CHECK (nature IN ('goods', 'services'));

-- The chart gains goods revenue (707), discounts granted (709) and one VAT account per rate
-- (`vat_rate:20`).
ALTER TABLE chart_of_accounts DROP CONSTRAINT chart_of_accounts_role_check;
ALTER TABLE chart_of_accounts ADD CONSTRAINT chart_of_accounts_role_check CHECK (
    role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
             'vat_payable', 'bank', 'write_off')
    OR role LIKE 'vat_rate:%');

-- Customer credits now go to 4197 by default; books that already hold entries keep the
-- account their credits were written to, so the ledger stays in one place.
INSERT INTO chart_of_accounts (role, code, label)
SELECT 'customer_credit', '419000', 'Clients créditeurs'
WHERE EXISTS (SELECT 1 FROM journal_entries)
  AND NOT EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'customer_credit');
