-- Invoices state their payment terms (Code de commerce art. L441-9): the late-payment penalty
-- rate and the early-payment discount are the seller's to set; blank means the legal default.
ALTER TABLE seller_profile ADD COLUMN late_payment_penalty TEXT;
ALTER TABLE seller_profile ADD COLUMN early_payment_discount TEXT;
