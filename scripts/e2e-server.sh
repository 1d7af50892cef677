#!/usr/bin/env bash
# Serves creditdesk with demo data (and scale data when E2E_SCALE is set), for Playwright: on a
# fresh SQLite database, or on the PostgreSQL database E2E_POSTGRES_URL names (created empty by
# the caller). The server is CREDITDESK_BINARY, by default the release build; the test command
# passes the debug server its Rust tests built. Either serves the site in target/site.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="$ROOT/end2end/.state"
BINARY="${CREDITDESK_BINARY:-$ROOT/target/release/creditdesk}"
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
  "$BINARY" demo --scale "$E2E_SCALE"
else
  "$BINARY" demo
fi
exec "$BINARY" serve --addr "${E2E_ADDR:-127.0.0.1:3100}"
