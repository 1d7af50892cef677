-- The customer's SIREN, which invoices to a French business state from the 2026 e-invoicing
-- reform (CGI art. 242 nonies A as amended; EN 16931 BT-47). Customers with a French VAT
-- number carry it there and need none stored.
ALTER TABLE customers ADD COLUMN siren TEXT CHECK (siren IS NULL OR length(siren) = 9);
