-- A tax category may have its revenue account of its own (PCG art. 944-70: 706 and 707 are
-- subdivided as the business needs, exports apart say). A line takes it from the tax rule
-- that priced it, and keeps it: its sale, its credits and its returns book to that account.
ALTER TABLE tax_rules ADD COLUMN revenue_account TEXT;
ALTER TABLE tax_rules ADD COLUMN revenue_account_label TEXT;
ALTER TABLE invoice_lines ADD COLUMN revenue_account TEXT;
ALTER TABLE invoice_lines ADD COLUMN revenue_account_label TEXT;
ALTER TABLE credit_note_lines ADD COLUMN revenue_account TEXT;
ALTER TABLE credit_note_lines ADD COLUMN revenue_account_label TEXT;
