-- Which content a credit note's seal covers. Version 1 seals (everything before this) cover
-- number, date, customer, currency, addresses, reason, lines, charge, totals and finalization;
-- version 2 also the project, the external reference and each line's ship date: everything
-- the note prints or exports. A seal is recomputed with the version it was made with.
ALTER TABLE credit_notes ADD COLUMN seal_version INTEGER NOT NULL DEFAULT 1 CHECK (seal_version IN (1, 2));
