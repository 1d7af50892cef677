-- A date range with a status (`?status=used&date_from=…&date_to=…`) read every row of the
-- range from the table to test its status: with the status in the date index (which ends in
-- the rowid, the list's order), the page's ids come from the index alone.
DROP INDEX credit_notes_date;
CREATE INDEX credit_notes_date ON credit_notes (date, status);
