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
start_demo_server "$work"
base="$DEMO_SERVER_URL"

say "openapi-spec-validator on the served document"
"$OPENAPI_TOOLS_VENV/bin/openapi-spec-validator" "$work/openapi.json"

say "openapi-python-client: a Python client of the document"
"$OPENAPI_TOOLS_VENV/bin/openapi-python-client" generate --path "$work/openapi.json" \
  --config end2end/api-client/config.yaml --meta none --output-path "$work/client/creditdesk_client" \
  --fail-on-warning

say "the client's flow: sign in, an invoice, a credit note finalized and linked, its PDF and UBL, a CSV import"
PYTHONPATH="$work/client" "$OPENAPI_TOOLS_VENV/bin/python" end2end/api-client/flow.py "$base/api/v1"

check_no_panic "$work"
echo "the API document validates, generates a complete Python client, and the client's flow passes"
