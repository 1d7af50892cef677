-- Scale data for PostgreSQL, in set-based statements. {NAME} placeholders are integers the
-- server computes (see scale.rs); ids start above the bases, so existing rows stay untouched.
CREATE TEMP TABLE scale_notes ON COMMIT DROP AS
SELECT k,
       k / 4 AS g,
       CASE WHEN k < {BIG} THEN 0 ELSE 1 + ((k / 4 - {BIG} / 4) % ({CUSTOMERS} - 1)) END AS c,
       k % 20 AS s,
       -- The big customer's every tenth invoice and its notes are in USD: the link dialog
       -- shows them disabled.
       CASE WHEN k < {BIG} THEN CASE WHEN (k / 4) % 10 = 9 THEN 'USD' ELSE 'EUR' END
            WHEN (1 + ((k / 4 - {BIG} / 4) % ({CUSTOMERS} - 1))) % 10 = 9 THEN 'USD'
            ELSE 'EUR' END AS cur,
       1000 + (k % 97) * 100 AS sub,
       DATE '{FIRST_YEAR}-01-01' + (k * {DAYS} / {NOTES})::int AS d
FROM generate_series(0::bigint, {NOTES} - 1) AS k;

INSERT INTO customers (id, name, email, currency, tax_region, billing_address, shipping_address,
                       created_at, portal_enabled, search_key, siren)
OVERRIDING SYSTEM VALUE
SELECT {CUSTOMER_BASE} + c + 1,
       'Scale customer ' || lpad((c + 1)::text, 6, '0'),
       'ap' || (c + 1) || '@scale.example',
       CASE WHEN c % 10 = 9 THEN 'USD' ELSE 'EUR' END,
       'FR',
       '{"line1":"1 rue de la Paix","line2":null,"city":"Paris","postal_code":"75002","country":"FR"}',
       '{}',
       TIMESTAMPTZ '{FIRST_YEAR}-01-01 00:00:00+00',
       FALSE,
       -- The key the application would write (see app::domain::search).
       'scale customer ' || lpad((c + 1)::text, 6, '0') || CASE WHEN c % 10 = 9 THEN ' usd' ELSE ' eur' END || ' fr',
       -- Businesses in France: named by a SIREN (one valid number serves them all).
       '303265045'
FROM generate_series(0::bigint, {CUSTOMERS} - 1) AS c;

INSERT INTO invoices (id, number, customer_id, currency, issue_date, due_date, kind, status,
                      subtotal_minor, tax_total_minor, total_minor, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT {INVOICE_BASE} + g + 1,
       'SCALE-' || lpad(({INVOICE_BASE} + g + 1)::text, 7, '0'),
       {CUSTOMER_BASE} + c + 1,
       cur,
       d, d + 30, 'standard', 'pending',
       60000 + (g % 50) * 100, (60000 + (g % 50) * 100) / 5, (60000 + (g % 50) * 100) * 6 / 5,
       (d + TIME '08:00') AT TIME ZONE 'UTC', (d + TIME '08:00') AT TIME ZONE 'UTC'
FROM scale_notes WHERE k % 4 = 0;

INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price_minor,
                           discount_percent, tax_rate, net_minor, tax_minor, total_minor)
SELECT id, 0, 'Goods', '1', subtotal_minor, '0', '20', subtotal_minor, tax_total_minor, total_minor
FROM invoices WHERE id > {INVOICE_BASE};

INSERT INTO credit_notes (id, number, customer_id, currency, date, status, reason, reason_category,
                          related_invoice_id, subtotal_minor, tax_total_minor, total_minor,
                          allocated_minor, created_at, finalized_at, billing_address)
OVERRIDING SYSTEM VALUE
SELECT {NOTE_BASE} + k + 1,
       CASE WHEN s >= 3 THEN 'CN-' || extract(year FROM d)::int || '-' || lpad((
           COALESCE(counter.last_number, 0)
           + ROW_NUMBER() OVER (PARTITION BY s >= 3, extract(year FROM d) ORDER BY k))::text, 5, '0')
       END,
       {CUSTOMER_BASE} + c + 1,
       cur,
       d,
       CASE WHEN s < 2 THEN 'draft' WHEN s = 2 THEN 'pending_approval' WHEN s = 3 THEN 'cancelled'
            WHEN s < 12 THEN 'available' ELSE 'used' END,
       'Returned goods', 'return',
       {INVOICE_BASE} + g + 1,
       sub, sub / 5, sub * 6 / 5,
       CASE WHEN s >= 12 THEN sub * 6 / 5 WHEN s BETWEEN 4 AND 7 THEN sub * 3 / 5 ELSE 0 END,
       (d + TIME '09:00') AT TIME ZONE 'UTC',
       CASE WHEN s >= 3 THEN (d + TIME '12:00') AT TIME ZONE 'UTC' END,
       '{"line1":"1 rue de la Paix","line2":null,"city":"Paris","postal_code":"75002","country":"FR"}'
FROM scale_notes
LEFT JOIN credit_note_counters AS counter ON counter.year = extract(year FROM d)::int;

INSERT INTO credit_note_lines (credit_note_id, position, description, quantity, unit_price_minor,
                               discount_percent, tax_rate, net_minor, tax_minor, total_minor)
SELECT {NOTE_BASE} + k + 1, 0, 'Returned goods', '1', sub, '0', '20', sub, sub / 5, sub * 6 / 5
FROM scale_notes;

INSERT INTO allocations (id, credit_note_id, invoice_id, amount_minor, created_at)
OVERRIDING SYSTEM VALUE
SELECT {ALLOCATION_BASE} + k + 1, {NOTE_BASE} + k + 1, {INVOICE_BASE} + g + 1,
       CASE WHEN s >= 12 THEN sub * 6 / 5 ELSE sub * 3 / 5 END,
       (d + TIME '13:00') AT TIME ZONE 'UTC'
FROM scale_notes WHERE s >= 12 OR s BETWEEN 4 AND 7;

UPDATE invoices SET credited_minor = linked.amount
FROM (SELECT invoice_id, SUM(amount_minor) AS amount FROM allocations
      WHERE invoice_id > {INVOICE_BASE} GROUP BY invoice_id) AS linked
WHERE invoices.id = linked.invoice_id;

-- Every third invoice is paid in full by a transfer.
INSERT INTO payments (id, invoice_id, amount_minor, date, method, reference, created_at)
OVERRIDING SYSTEM VALUE
SELECT {PAYMENT_BASE} + (id - {INVOICE_BASE}), id, total_minor - credited_minor, issue_date + 20,
       'bank_transfer', 'SCALE-' || id, (issue_date + 20 + TIME '10:00') AT TIME ZONE 'UTC'
FROM invoices WHERE id > {INVOICE_BASE} AND (id - {INVOICE_BASE} - 1) % 3 = 0;

UPDATE invoices SET paid_minor = total_minor - credited_minor, status = 'paid'
WHERE id > {INVOICE_BASE} AND (id - {INVOICE_BASE} - 1) % 3 = 0;

INSERT INTO credit_note_counters (year, last_number)
SELECT extract(year FROM date)::int, COUNT(*) FROM credit_notes
WHERE id > {NOTE_BASE} AND number IS NOT NULL GROUP BY 1
ON CONFLICT (year) DO UPDATE SET last_number = credit_note_counters.last_number + excluded.last_number;

SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT MAX(id) FROM customers));
SELECT setval(pg_get_serial_sequence('invoices', 'id'), (SELECT MAX(id) FROM invoices));
SELECT setval(pg_get_serial_sequence('credit_notes', 'id'), (SELECT MAX(id) FROM credit_notes));
SELECT setval(pg_get_serial_sequence('allocations', 'id'), (SELECT MAX(id) FROM allocations));
SELECT setval(pg_get_serial_sequence('payments', 'id'), (SELECT MAX(id) FROM payments));
