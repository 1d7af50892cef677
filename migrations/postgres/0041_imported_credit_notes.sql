-- A credit note imported from another system is that system's document: it keeps the
-- source's number as its own and takes none of the CN series (one credit, one avoir number),
-- it is not sealed here, and the gapless-series check passes over it. Notes imported before
-- were finalized here under a CN number: they stay notes of this desk.
ALTER TABLE credit_notes ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;
