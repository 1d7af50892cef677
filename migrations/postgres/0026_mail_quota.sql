-- The daily quota counts the messages each user queued today.
CREATE INDEX outbox_created_by ON outbox (created_by, created_at);
