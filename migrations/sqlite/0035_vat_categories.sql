-- Why each line is taxed as it is (EN 16931 BT-151, UNTDID 5305) and, for an untaxed line, the
-- mention it prints (BT-120; CGI annexe II art. 242 nonies A, I-12° and 13°). Lines written
-- before say it with their rate alone: standard above 0 %, zero rated at 0 %. The tax table
-- gives a rule's category and reason to the lines that take its rate.
ALTER TABLE invoice_lines ADD COLUMN vat_category TEXT NOT NULL DEFAULT 'standard'
    CHECK (vat_category IN ('standard', 'zero_rated', 'exempt', 'reverse_charge', 'intra_community', 'export'));
ALTER TABLE invoice_lines ADD COLUMN vat_exemption_reason TEXT;
ALTER TABLE credit_note_lines ADD COLUMN vat_category TEXT NOT NULL DEFAULT 'standard'
    CHECK (vat_category IN ('standard', 'zero_rated', 'exempt', 'reverse_charge', 'intra_community', 'export'));
ALTER TABLE credit_note_lines ADD COLUMN vat_exemption_reason TEXT;
UPDATE invoice_lines SET vat_category = 'zero_rated' WHERE CAST(tax_rate AS REAL) = 0;
UPDATE credit_note_lines SET vat_category = 'zero_rated' WHERE CAST(tax_rate AS REAL) = 0;

ALTER TABLE tax_rules ADD COLUMN vat_category TEXT
    CHECK (vat_category IN ('standard', 'zero_rated', 'exempt', 'reverse_charge', 'intra_community', 'export'));
ALTER TABLE tax_rules ADD COLUMN vat_exemption_reason TEXT;

-- Seal version 3 covers each line's VAT category and mention. SQLite cannot change a column's
-- CHECK in place: the column is replaced by one that allows 3, keeping every note's version.
ALTER TABLE credit_notes ADD COLUMN seal_version_3 INTEGER NOT NULL DEFAULT 1
    CHECK (seal_version_3 IN (1, 2, 3));
UPDATE credit_notes SET seal_version_3 = seal_version;
ALTER TABLE credit_notes DROP COLUMN seal_version;
ALTER TABLE credit_notes RENAME COLUMN seal_version_3 TO seal_version;
