-- Nothing that records money is removed by a cascade: payments and refunds now block the
-- deletion of their document (services refuse it first with a 409).

ALTER TABLE payments DROP CONSTRAINT payments_invoice_id_fkey,
    ADD CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE RESTRICT;
ALTER TABLE refunds DROP CONSTRAINT refunds_credit_note_id_fkey,
    ADD CONSTRAINT refunds_credit_note_id_fkey FOREIGN KEY (credit_note_id) REFERENCES credit_notes (id) ON DELETE RESTRICT;

-- Timelines read oldest first by event time, then id.
DROP INDEX timeline_events_invoice;
DROP INDEX timeline_events_credit_note;
CREATE INDEX timeline_events_invoice ON timeline_events (invoice_id, at, id);
CREATE INDEX timeline_events_credit_note ON timeline_events (credit_note_id, at, id);
