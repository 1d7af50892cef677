-- A credit note carries its own billing and shipping addresses (copied from the customer when
-- the note is made, editable while it is a draft) and a reason category for reporting.
ALTER TABLE credit_notes ADD COLUMN reason_category TEXT
    CHECK (reason_category IN ('return', 'invoicing_error', 'goodwill', 'other'));
ALTER TABLE credit_notes ADD COLUMN billing_address TEXT NOT NULL DEFAULT '{}';
ALTER TABLE credit_notes ADD COLUMN shipping_address TEXT NOT NULL DEFAULT '{}';

-- Notes made before: the customer's addresses as they are now, the best record there is.
UPDATE credit_notes SET
    billing_address = (SELECT c.billing_address FROM customers c WHERE c.id = credit_notes.customer_id),
    shipping_address = (SELECT c.shipping_address FROM customers c WHERE c.id = credit_notes.customer_id);
