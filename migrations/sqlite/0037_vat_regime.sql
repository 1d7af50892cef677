-- The seller's VAT regime as its documents state it (décret n° 2022-1299, the 2026 e-invoicing
-- reform): whether its operations are goods, services or both, and whether it opted to pay VAT
-- on debits. One JSON object.
ALTER TABLE seller_profile ADD COLUMN vat_regime TEXT;
