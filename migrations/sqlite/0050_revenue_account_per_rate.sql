-- A VAT rate may book its sales on a revenue account of its own (SKR03: 19 % on 8400, 7 % on
-- 8300), saved under `revenue_rate:<rate>`. SQLite cannot change a CHECK in place.
CREATE TABLE chart_of_accounts_new (
    role  TEXT PRIMARY KEY CHECK (
        role IN ('receivable', 'customer_credit', 'revenue', 'revenue_goods', 'discounts',
                 'vat_payable', 'vat_pending', 'bank', 'write_off', 'exchange_loss',
                 'exchange_gain')
        OR role LIKE 'vat_rate:%'
        OR role LIKE 'revenue_rate:%'),
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
INSERT INTO chart_of_accounts_new (role, code, label) SELECT role, code, label FROM chart_of_accounts;
DROP TABLE chart_of_accounts;
ALTER TABLE chart_of_accounts_new RENAME TO chart_of_accounts;
-- SKR03 charts saved before, goods and services on 8400 as shipped: their 7 % sales go to
-- 8300, their 19 % sales stay on 8400.
INSERT INTO chart_of_accounts (role, code, label)
SELECT 'revenue_rate:' || rate, code, label
FROM (SELECT '19' AS rate, '8400' AS code, 'Erlöse 19 % USt' AS label
      UNION ALL SELECT '7', '8300', 'Erlöse 7 % USt') AS skr03
WHERE EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'receivable' AND code = '1400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'revenue' AND code = '8400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'revenue_goods' AND code = '8400')
  AND EXISTS (SELECT 1 FROM chart_of_accounts WHERE role = 'vat_rate:' || skr03.rate);
