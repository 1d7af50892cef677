-- Users, API tokens (stored as SHA-256 hashes) and the per-email login throttle.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) > 2),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'credit_manager', 'sales_manager', 'sales', 'viewer', 'customer')),
    customer_id   INTEGER REFERENCES customers (id),
    created_at    TEXT NOT NULL,
    -- A customer user belongs to exactly one customer; staff to none.
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Failed logins per email, whether or not the account exists, so throttling says nothing
-- about which emails are registered.
CREATE TABLE login_throttle (
    email           TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    first_failed_at TEXT NOT NULL,
    locked_until    TEXT
);
