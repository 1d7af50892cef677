#!/usr/bin/env bash
# The OpenAPI document as an integrator meets it: openapi-spec-validator checks the served
# document, openapi-python-client generates a Python client from it (failing on any warning, so
# no operation is left out), and a flow runs with that client against the server over the demo
# data on SQLite (end2end/api-client/flow.py).
#
# BINARY picks the server (default: the release build, else the debug one).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BINARY="$(server_binary)"

ensure_openapi_tools

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
url="sqlite:$work/client.db"
"$BINARY" --database-url "$url" demo >/dev/null
RUST_LOG=warn "$BINARY" --database-url "$url" --addr "127.0.0.1:$port" serve >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/api/v1/openapi.json" -o "$work/openapi.json" && break; sleep 0.1; done
if ! kill -0 "$server_pid" 2>/dev/null || [ ! -s "$work/openapi.json" ]; then
  echo "the server did not start:"; tail -20 "$work/server.log"
  exit 1
fi

say "openapi-spec-validator on the served document"
"$OPENAPI_TOOLS_VENV/bin/openapi-spec-validator" "$work/openapi.json"

say "openapi-python-client: a Python client of the document"
"$OPENAPI_TOOLS_VENV/bin/openapi-python-client" generate --path "$work/openapi.json" \
  --config end2end/api-client/config.yaml --meta none --output-path "$work/client/creditdesk_client" \
  --fail-on-warning

say "the client's flow: sign in, an invoice, a credit note finalized and linked, its PDF and UBL, a CSV import"
PYTHONPATH="$work/client" "$OPENAPI_TOOLS_VENV/bin/python" end2end/api-client/flow.py "$base/api/v1"

if grep -q "panicked" "$work/server.log"; then
  echo "the server panicked:"; grep -A3 "panicked" "$work/server.log" | head -20
  exit 1
fi
echo "the API document validates, generates a complete Python client, and the client's flow passes"
