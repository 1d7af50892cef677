-- Whether a customer's users may use the customer portal. Off for new customers until an
-- administrator or credit manager turns it on (creating a portal user turns it on); on for
-- customers that already have portal users, so nobody loses access.
ALTER TABLE customers ADD COLUMN portal_enabled BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE customers SET portal_enabled = TRUE
    WHERE id IN (SELECT customer_id FROM users WHERE customer_id IS NOT NULL);
