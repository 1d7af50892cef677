#!/usr/bin/env bash
# Runs every test: formatting, lints (clippy, inside the builds), Rust tests on SQLite and
# PostgreSQL, schemathesis, the release build of the browser bundle, a generated Python client
# of the API, the e-invoicing schematrons, and Playwright in Debian's Chromium against that
# bundle served by the server binary the Rust tests built (target/debug/creditdesk).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$SECONDS

ensure_rust_tools
ensure_node_tools
ensure_chromium
ensure_postgres
ensure_schemathesis
ensure_openapi_tools
ensure_einvoice_rules
ensure_test_tools

say "cargo fmt --check"
cargo fmt --all -- --check

# The browser bundle builds in target/front, apart from the server's target/: it runs beside
# the Rust tests, whose last steps (and the bundle's link-time optimisation) use one core each
# for minutes. Both builds apply clippy's lints as they compile (`with_clippy`): the bundle's
# for the browser's code (hydrate), the tests' for the server's, the tests' and the benchmarks'.
# It runs at the lowest priority: the Rust build is the longer road (the tests, schemathesis and
# Playwright wait on its server), so the bundle takes the cycles that build leaves idle while it
# compiles one crate at a time, and is ready long before Playwright needs it.
say "release build of the browser bundle with clippy's lints, in the background at low priority (log: target/frontend-build.log)"
mkdir -p target
(renice -n 19 "$BASHPID" >/dev/null; with_clippy build_release_frontend) > target/frontend-build.log 2>&1 &
frontend_pid=$!
trap 'kill "$frontend_pid" 2>/dev/null || true' EXIT

rust_tests=(cargo test -p app -p server -p creditdesk-bench --all-targets --features app/ssr)
say "Rust build: the server, its tests and the benchmarks, compiled with clippy's lints"
with_clippy "${rust_tests[@]}" --no-run

# The server the Rust tests built: what schemathesis and Playwright talk to.
export CREDITDESK_BINARY="$ROOT/target/debug/creditdesk"
[ -x "$CREDITDESK_BINARY" ] || { echo "no $CREDITDESK_BINARY: cargo test should have built it"; exit 1; }

# The URL may hold the test role's password: show it without.
say "Rust tests on SQLite and PostgreSQL ($(printf '%s' "$TEST_POSTGRES_URL" | sed -E 's#(//[^:/@]+):[^@]*@#\1@#'))"
with_clippy "${rust_tests[@]}"

# schemathesis and Playwright each talk to servers of their own (other ports, other databases):
# they run side by side, schemathesis in the background with its report kept for the end.
say "hostile API input: schemathesis on SQLite and PostgreSQL, every role, in the background (log: target/api-fuzz.log)"
BINARY="$CREDITDESK_BINARY" bash scripts/api-fuzz.sh > target/api-fuzz.log 2>&1 &
fuzz_pid=$!
trap 'kill "$frontend_pid" "$fuzz_pid" 2>/dev/null || true' EXIT

say "the API document with integrators' tools: openapi-spec-validator, a generated Python client's flow"
BINARY="$CREDITDESK_BINARY" bash scripts/api-client.sh

say "e-invoices against the EN 16931 and French BR-FR schematrons"
BINARY="$CREDITDESK_BINARY" bash scripts/einvoice-rules.sh

say "waiting for the browser bundle"
if ! wait "$frontend_pid"; then
  cat target/frontend-build.log
  echo "the browser bundle did not build"
  exit 1
fi
tail -n 3 target/frontend-build.log

say "Playwright (JavaScript on and off)"
(cd end2end && npx playwright test)

# The link flows again, against the server on PostgreSQL: an empty database of their own.
say "Playwright link flows on PostgreSQL"
e2e_db="creditdesk_e2e"
psql "$TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" -c "CREATE DATABASE $e2e_db"
(cd end2end && E2E_POSTGRES_URL="${TEST_POSTGRES_URL%/*}/$e2e_db" E2E_PORT=3101 npx playwright test tests/link-)
psql "$TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)"

say "schemathesis's report"
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
cat target/api-fuzz.log
[ "$fuzz_status" -eq 0 ] || { echo "schemathesis failed"; exit 1; }

say "all tests passed in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
