-- A VAT rate may book its sales on a revenue account of its own (SKR03: 19 % on 8400, 7 % on
-- 8300), saved under `revenue_rate:<rate>`.
ALTER TABLE chart_of_accounts DROP CONSTRAINT chart_of_accounts_role_check;
ALTER TABLE chart_of_accounts ADD CONSTRAINT chart_of_accounts_role_check CHECK (
    role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
             'vat_payable', 'vat_pending', 'bank', 'write_off', 'exchange_loss',
             'exchange_gain')
    OR role LIKE 'vat_rate:%'
    OR role LIKE 'revenue_rate:%');
-- SKR03 charts saved before, goods and services on 8400 as shipped: their 7 % sales go to
-- 8300, their 19 % sales stay on 8400.
INSERT INTO chart_of_accounts (role, code, label)
SELECT 'revenue_rate:' || rate, code, label
FROM (VALUES ('19', '8400', 'Erlöse 19 % USt'), ('7', '8300', 'Erlöse 7 % USt')) AS skr03 (rate, code, label)
WHERE EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'receivable' AND code = '1400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'revenue' AND code = '8400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'revenue_goods' AND code = '8400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'vat_rate:' || skr03.rate);
