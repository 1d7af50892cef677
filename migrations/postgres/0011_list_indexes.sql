-- Indexes for the credit-note and invoice list filters, chosen on a million notes (see
-- BENCHMARKS.md, "Scale", for the plans). A number prefix (`LIKE 'CN-2025-01%'`) can use a
-- B-tree only in byte order, which the default index gives under the "C" collation alone:
-- text_pattern_ops works under any collation. A date range reads the ids of its page from
-- (date, id) alone (an index-only scan). A customer with thousands of notes pages through
-- one status in id order straight from the index.
CREATE INDEX credit_notes_number_prefix ON credit_notes (number text_pattern_ops);
CREATE INDEX invoices_number_prefix ON invoices (number text_pattern_ops);
CREATE INDEX credit_notes_date ON credit_notes (date, id);
DROP INDEX credit_notes_customer;
CREATE INDEX credit_notes_customer ON credit_notes (customer_id, status, id);
