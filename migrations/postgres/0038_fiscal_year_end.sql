-- The last day of the fiscal year, `MM-DD` (none: 31 December): the FEC covers the fiscal year
-- and is named with its closing date (LPF art. A47 A-1).
ALTER TABLE seller_profile ADD COLUMN fiscal_year_end TEXT;
