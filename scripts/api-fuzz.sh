#!/usr/bin/env bash
# Hostile API input: schemathesis against the server's own OpenAPI document, with a token for
# each role, on SQLite and PostgreSQL, over the demo data. It fails on any 5xx, any answer that
# breaks its documented schema, and any status or content type the document does not name.
#
#   scripts/api-fuzz.sh                 the short run of the test command (fixed seed)
#   EXAMPLES=100 SEED=random scripts/api-fuzz.sh    the long run (scripts/proof.sh fuzz)
#
# BINARY picks the server (default: the release build, else the debug one).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

EXAMPLES="${EXAMPLES:-10}"
SEED="${SEED:-20261129}"
BINARY="$(server_binary)"

ensure_schemathesis
ensure_postgres

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # A run cut short still says what it saw.
  [ "${#pids[@]}" -eq 0 ] || cat "$work"/*.out 2>/dev/null || true
  psql "$TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS creditdesk_fuzz WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

token() {
  curl -sf -X POST "$1/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\": \"$2\", \"password\": \"creditdesk-demo\"}" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

seed_args=()
[ "$SEED" = "random" ] || seed_args=(--seed "$SEED")

# One database: the demo data, a server of its own, and a run per role. Its output goes to
# $work/<database>.out; it fails when any run finds a problem or the server panicked.
fuzz() {
  local database="$1" port="$2" url base server_pid="" failed=0
  if [ "$database" = sqlite ]; then
    url="sqlite:$work/fuzz.db"
  else
    psql "$TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS creditdesk_fuzz WITH (FORCE)" -c "CREATE DATABASE creditdesk_fuzz"
    url="${TEST_POSTGRES_URL%/*}/creditdesk_fuzz"
  fi
  "$BINARY" --database-url "$url" demo >/dev/null
  RUST_LOG=warn "$BINARY" --database-url "$url" --addr "127.0.0.1:$port" serve >"$work/server-$database.log" 2>&1 &
  server_pid=$!
  # However this run ends, its server ends with it.
  trap 'kill "$server_pid" 2>/dev/null || true' EXIT
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$base/api/v1/openapi.json" >/dev/null && break; sleep 0.1; done
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the $database server did not start:"; tail -20 "$work/server-$database.log"
    return 1
  fi

  # Every token before any run: the runs send failed sign-ins of their own, and the sign-in
  # throttle then refuses this address (429), as it should.
  local users=(admin@creditdesk.example credit.manager@creditdesk.example
               sales@creditdesk.example viewer@creditdesk.example portal@acme.example)
  local -A tokens=()
  local user
  for user in "${users[@]}"; do tokens[$user]="$(token "$base" "$user")"; done
  for user in "${users[@]}"; do
    say "schemathesis on $database as $user ($EXAMPLES examples per operation)"
    # Revoking the token would end the run's authentication: that operation is left out.
    if ! "$SCHEMATHESIS_VENV/bin/st" run "$base/api/v1/openapi.json" \
        -H "Authorization: Bearer ${tokens[$user]}" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --exclude-name "DELETE /auth/token" \
        --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" "${seed_args[@]}" \
        --no-color --workers 1 >"$work/st-$database.log" 2>&1; then
      # The failures (or errors) and the summary.
      sed -n '/FAILURES\|ERRORS/,$p' "$work/st-$database.log" | head -150
      grep -q "FAILURES\|ERRORS" "$work/st-$database.log" || tail -40 "$work/st-$database.log"
      failed=1
    fi
    grep -E "^  [0-9]+ generated" "$work/st-$database.log" || true
  done
  kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true
  if grep -q "panicked" "$work/server-$database.log"; then
    echo "the server panicked:"; grep -A3 "panicked" "$work/server-$database.log" | head -20
    failed=1
  fi
  return "$failed"
}

# The two databases at once, each with its own server: the runs mostly wait on each other's
# answers, so on two cores this halves the wall time. Their reports follow one another.
# A port each, told apart before either server binds one.
ports=("$(free_port)")
ports+=("$(free_port)")
while [ "${ports[1]}" = "${ports[0]}" ]; do ports[1]="$(free_port)"; done
index=0
for database in sqlite postgres; do
  fuzz "$database" "${ports[$index]}" >"$work/$database.out" 2>&1 &
  pids+=($!)
  index=$((index + 1))
done
failed=0
for index in 0 1; do
  wait "${pids[$index]}" || failed=1
done
pids=()
cat "$work/sqlite.out" "$work/postgres.out"

if [ "$failed" -ne 0 ]; then
  echo "schemathesis found problems"
  exit 1
fi
echo "schemathesis: no 5xx, no undocumented status, every answer matches its schema"
