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
echo "Sign in at http://127.0.0.1:3000/login, e.g. credit.manager@creditdesk.example / creditdesk-demo"
echo "API docs: http://127.0.0.1:3000/api/v1/docs/"
exec "$ROOT/target/release/creditdesk" serve
