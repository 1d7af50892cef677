-- No timeline event is removed by a cascade: deleting a draft leaves its events, detached
-- (their document id set to NULL; the deletion's own event names the draft in its data).
-- Issued documents are never deleted at all.
ALTER TABLE timeline_events DROP CONSTRAINT timeline_events_invoice_id_fkey;
ALTER TABLE timeline_events DROP CONSTRAINT timeline_events_credit_note_id_fkey;
ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_invoice_id_fkey
    FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE SET NULL;
ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_credit_note_id_fkey
    FOREIGN KEY (credit_note_id) REFERENCES credit_notes (id) ON DELETE SET NULL;
