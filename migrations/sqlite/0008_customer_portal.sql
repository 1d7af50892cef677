-- Whether a customer's users may use the customer portal. Off for new customers until an
-- administrator or credit manager turns it on (creating a portal user turns it on); on for
-- customers that already have portal users, so nobody loses access.
ALTER TABLE customers ADD COLUMN portal_enabled INTEGER NOT NULL DEFAULT 0 CHECK (portal_enabled IN (0, 1));
UPDATE customers SET portal_enabled = 1
    WHERE id IN (SELECT customer_id FROM users WHERE customer_id IS NOT NULL);
