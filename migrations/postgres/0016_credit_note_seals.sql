-- Tamper evidence: each finalized credit note stores a SHA-256 seal over what it says, chained
-- to the seal of the note numbered before it in the same year (`creditdesk verify` walks the
-- chains). Notes finalized before this migration are sealed once, at the next start.
ALTER TABLE credit_notes ADD COLUMN seal TEXT CHECK (seal IS NULL OR length(seal) = 64);

-- One-off data steps the server runs at start-up, then deletes.
CREATE TABLE pending_backfills (
    name TEXT PRIMARY KEY
);
INSERT INTO pending_backfills (name) VALUES ('credit_note_seals');
