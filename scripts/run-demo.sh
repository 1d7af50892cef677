#!/usr/bin/env bash
# Builds creditdesk, loads demo data into a SQLite file and serves it at http://127.0.0.1:3000.
source "$(dirname "$0")/lib.sh"

ensure_rust_tools
ensure_node_tools
build_release

DATABASE_URL="${DATABASE_URL:-sqlite:$ROOT/creditdesk.db}"
export DATABASE_URL
say "loading demo data into $DATABASE_URL"
"$ROOT/target/release/creditdesk" demo
say "creditdesk is starting at http://127.0.0.1:3000 (Ctrl-C stops it)"
echo "No login is needed yet: open http://127.0.0.1:3000/invoices"
exec "$ROOT/target/release/creditdesk" serve
