-- The language a customer's documents, e-mails and reminders are written in, whoever sends
-- them; existing customers take their tax region's (fr, de) or English.
ALTER TABLE customers ADD COLUMN document_language TEXT NOT NULL DEFAULT 'en'
    CHECK (document_language IN ('en', 'fr', 'de'));
UPDATE customers SET document_language = 'fr' WHERE upper(tax_region) IN ('FR', 'BE', 'LU', 'MC');
UPDATE customers SET document_language = 'de' WHERE upper(tax_region) IN ('DE', 'AT', 'LI');
-- The language a user reads the screens in; NULL: the browser's (Accept-Language).
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('en', 'fr', 'de'));
