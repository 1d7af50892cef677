-- The daily upload quota sums each user's files of the last day.
CREATE INDEX attachments_uploader ON attachments (uploaded_by, uploaded_at);
