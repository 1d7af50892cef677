-- Users change their own password; an administrator's reset makes the user choose a new one at
-- the next sign-in. Sessions signed in before a change end with it.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMPTZ;
