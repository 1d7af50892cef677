-- Each entry takes its number (the FEC's EcritureNum) when it is written: the next of its
-- journal in the fiscal year of its date, gapless (LPF art. A47 A-1). Entries written before
-- are numbered in the order they were written, which the stored numbers continue: a fiscal
-- year's counter starts after the entries its journal already holds in that year.
ALTER TABLE journal_entries ADD COLUMN entry_number BIGINT;
CREATE TABLE journal_numbers (
    journal     TEXT NOT NULL,
    -- The fiscal year, by its closing date.
    closes_on   DATE NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (journal, closes_on)
);
