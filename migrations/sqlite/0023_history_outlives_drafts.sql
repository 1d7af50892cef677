-- No timeline event is removed by a cascade: deleting a draft leaves its events, detached
-- (their document id set to NULL; the deletion's own event names the draft in its data).
-- Issued documents are never deleted at all. SQLite cannot change a foreign key in place, so
-- the table is rebuilt; nothing refers to it.
CREATE TABLE timeline_events_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id     INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
    credit_note_id INTEGER REFERENCES credit_notes (id) ON DELETE SET NULL,
    at             TEXT NOT NULL,
    actor          TEXT,
    kind           TEXT NOT NULL,
    data           TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO timeline_events_new (id, invoice_id, credit_note_id, at, actor, kind, data)
    SELECT id, invoice_id, credit_note_id, at, actor, kind, data FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_new RENAME TO timeline_events;
CREATE INDEX timeline_events_invoice ON timeline_events (invoice_id, at, id);
CREATE INDEX timeline_events_credit_note ON timeline_events (credit_note_id, at, id);
