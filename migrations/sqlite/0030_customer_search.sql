-- Editors and filters find customers by what is typed, on the server, a page at a time. The
-- key is the name, currency and tax region in lower case, written by the application (SQLite's
-- lower() folds ASCII only); customers created before it get theirs once, at the next start.
ALTER TABLE customers ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
INSERT INTO pending_backfills (name) VALUES ('customer_search_keys');
