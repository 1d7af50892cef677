#!/usr/bin/env bash
# Serves the release build on a fresh SQLite database with demo data, for Playwright.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="$ROOT/end2end/.state"
mkdir -p "$STATE"
rm -f "$STATE"/e2e.db*
export DATABASE_URL="sqlite:$STATE/e2e.db"
# Every browser test signs in from this one address: allow them all at once.
export CREDITDESK_SIGN_IN_BURST=1000
"$ROOT/target/release/creditdesk" demo
exec "$ROOT/target/release/creditdesk" serve --addr "${E2E_ADDR:-127.0.0.1:3100}"
