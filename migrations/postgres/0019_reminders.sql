-- Payment reminders. A customer's schedule: NULL is off, else a reminder goes out that many days
-- after an invoice's due date, and again every as many days while it stays unpaid. An invoice
-- keeps when its last reminder was queued, so a schedule never sends two in one period (the
-- update that claims the period is conditional, so two servers cannot both send).
ALTER TABLE customers ADD COLUMN reminder_days INTEGER CHECK (reminder_days BETWEEN 1 AND 365);
ALTER TABLE invoices ADD COLUMN last_reminded_at TIMESTAMPTZ;

-- A message of the outbox is about a credit note (sending it) or an invoice (a reminder), never
-- both. A deleted invoice takes its unsent reminders with it.
ALTER TABLE outbox ALTER COLUMN credit_note_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN invoice_id BIGINT REFERENCES invoices (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD CONSTRAINT outbox_one_document
    CHECK ((credit_note_id IS NULL) <> (invoice_id IS NULL));
CREATE INDEX outbox_invoice ON outbox (invoice_id);
