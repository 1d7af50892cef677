-- Receivable and customer-credit lines name their customer (FEC CompAuxNum/CompAuxLib): which
-- customer ledger, the customer's own account and its name when written. All three or none;
-- lines written before carry none.
ALTER TABLE journal_lines ADD COLUMN aux_ledger TEXT CHECK (aux_ledger IN ('receivable', 'customer_credit'));
ALTER TABLE journal_lines ADD COLUMN aux_account TEXT;
ALTER TABLE journal_lines ADD COLUMN aux_label TEXT;

-- Which documents an entry names: the audit and the backfill below look entries up by them.
CREATE INDEX journal_entries_invoice ON journal_entries (invoice_id);
CREATE INDEX journal_entries_credit_note ON journal_entries (credit_note_id);

-- Documents written before the journal existed get their entries once, at the next start.
INSERT INTO pending_backfills (name) VALUES ('journal_entries');
