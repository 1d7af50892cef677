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
UPDATE invoice_lines SET vat_category = 'zero_rated' WHERE tax_rate::numeric = 0;
UPDATE credit_note_lines SET vat_category = 'zero_rated' WHERE tax_rate::numeric = 0;

ALTER TABLE tax_rules ADD COLUMN vat_category TEXT
    CHECK (vat_category IN ('standard', 'zero_rated', 'exempt', 'reverse_charge', 'intra_community', 'export'));
ALTER TABLE tax_rules ADD COLUMN vat_exemption_reason TEXT;

-- Seal version 3 covers each line's VAT category and mention.
ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_seal_version_check;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_seal_version_check CHECK (seal_version IN (1, 2, 3));
