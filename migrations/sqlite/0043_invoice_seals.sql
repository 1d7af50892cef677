-- Invoices issued here are sealed like credit notes (Code de commerce art. L123-22): a chain
-- per year of the invoice series, each seal over the one before and what the invoice says and
-- prints. Those issued before are sealed once, at the next start, in number order.
ALTER TABLE invoices ADD COLUMN seal TEXT CHECK (seal IS NULL OR length(seal) = 64);
ALTER TABLE invoices ADD COLUMN seal_version INTEGER NOT NULL DEFAULT 1 CHECK (seal_version IN (1));
INSERT INTO pending_backfills (name) VALUES ('invoice_seals');
