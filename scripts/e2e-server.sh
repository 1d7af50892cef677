#!/usr/bin/env bash
# Serves the release build with demo data (and scale data when E2E_SCALE is set), for Playwright: on a fresh SQLite database, or on
# the PostgreSQL database E2E_POSTGRES_URL names (created empty by the caller).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="$ROOT/end2end/.state"
mkdir -p "$STATE"
if [ -n "${E2E_POSTGRES_URL:-}" ]; then
  export DATABASE_URL="$E2E_POSTGRES_URL"
else
  rm -f "$STATE"/e2e.db*
  export DATABASE_URL="sqlite:$STATE/e2e.db"
fi
# Every browser test signs in from this one address: allow them all at once.
export CREDITDESK_SIGN_IN_BURST=1000
# E2E_SCALE adds that many synthetic credit notes (the link dialog's 5,000-note customer).
if [ -n "${E2E_SCALE:-}" ]; then
  "$ROOT/target/release/creditdesk" demo --scale "$E2E_SCALE"
else
  "$ROOT/target/release/creditdesk" demo
fi
exec "$ROOT/target/release/creditdesk" serve --addr "${E2E_ADDR:-127.0.0.1:3100}"
