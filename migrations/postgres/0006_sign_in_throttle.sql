-- Sign-in attempts counted per key: an email from one client address (`pair:`), and an email
-- from everywhere (`email:`, a slower ceiling). Replaces the per-email table, whose lock
-- anybody could trigger for anybody. Counts are short-lived: nothing is lost by dropping them.

DROP TABLE login_throttle;

CREATE TABLE sign_in_throttle (
    key               TEXT PRIMARY KEY,
    attempts          BIGINT NOT NULL CHECK (attempts >= 0),
    window_started_at TIMESTAMPTZ NOT NULL,
    locked_until      TIMESTAMPTZ
);
