-- A date range with a status (`?status=used&date_from=…&date_to=…`) read every row of the
-- range from the table to test its status: the date index now carries the status, so the page's
-- ids come from the index alone (an index-only scan, once vacuum has marked the pages visible).
DROP INDEX credit_notes_date;
CREATE INDEX credit_notes_date ON credit_notes (date, id) INCLUDE (status);
