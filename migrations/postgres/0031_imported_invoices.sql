-- Invoices that come from another system by import mirror that system: creditdesk is not their
-- issuer, and only an import changes them. Invoices issued here are never changed in place.
-- Earlier imports left no mark: their invoices count as issued here.
ALTER TABLE invoices ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;
