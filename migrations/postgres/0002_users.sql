-- Users, API tokens (stored as SHA-256 hashes) and the per-email login throttle.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) > 2),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'credit_manager', 'sales_manager', 'sales', 'viewer', 'customer')),
    customer_id   BIGINT REFERENCES customers (id),
    created_at    TIMESTAMPTZ NOT NULL,
    -- A customer user belongs to exactly one customer; staff to none.
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Failed logins per email, whether or not the account exists, so throttling says nothing
-- about which emails are registered.
CREATE TABLE login_throttle (
    email           TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    first_failed_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ
);
