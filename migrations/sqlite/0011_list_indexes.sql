-- Indexes for the credit-note and invoice list filters, chosen on a million notes (see
-- BENCHMARKS.md, "Scale", for the plans). SQLite's LIKE ignores ASCII case, so only a NOCASE
-- index serves a number prefix (`LIKE 'CN-2025-01%'`). A date range needs an index on date.
-- The customer index (customer_id, status) already ends in the rowid, the list's order.
CREATE INDEX credit_notes_number_prefix ON credit_notes (number COLLATE NOCASE);
CREATE INDEX invoices_number_prefix ON invoices (number COLLATE NOCASE);
CREATE INDEX credit_notes_date ON credit_notes (date);
