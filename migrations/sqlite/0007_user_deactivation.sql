-- A user who leaves is deactivated, never deleted: the timelines keep naming them. A
-- deactivated user cannot sign in, and their sessions and API tokens stop working.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
