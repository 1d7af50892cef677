-- Context a credit carries from the invoice it credits: each line's ship date (an invoice
-- line's, copied onto the credit-note line that credits it) and the project.
ALTER TABLE invoice_lines ADD COLUMN ship_date DATE;
ALTER TABLE credit_note_lines ADD COLUMN ship_date DATE;
ALTER TABLE credit_notes ADD COLUMN project TEXT;
