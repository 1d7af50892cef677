#!/usr/bin/env bash
# The proof harness's long runs against the release server, on SQLite and PostgreSQL:
#   scripts/proof.sh links     link throughput against the raw sqlx baseline
#   scripts/proof.sh stress    32 clients × 500 random operations, then the audit
#   scripts/proof.sh crash     the same while the server is SIGKILLed 10 times
#   scripts/proof.sh fuzz      schemathesis with 100 examples per operation, random seed
#   scripts/proof.sh documents credit-note and invoice PDFs through the API, against JSON
#   scripts/proof.sh scale     a million credit notes: list pages, invoice page, link dialog
#   scripts/proof.sh chromium  the link dialog with 5,000 notes in Chromium (SQLite)
#   scripts/proof.sh all       each of them
# With --write, the figures replace their tables in BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

what="${1:-all}"
write=false
[ "${2:-}" = "--write" ] || [ "${1:-}" = "--write" ] && write=true
[ "$what" = "--write" ] && what=all

ensure_postgres
# PROOF_NO_BUILD=1 runs the binaries already in target/release.
if [ -z "${PROOF_NO_BUILD:-}" ]; then
  say "building the release server and the proof driver"
  cargo build --release -p server --bin creditdesk -p creditdesk-bench --bin proof
fi

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(date -u +%Y-%m-%d)"

# Runs one part, shows its output and, with --write, puts it between its markers.
part() {
  local name="$1"; shift
  say "$name"
  local output
  output="$("$@" | tee /dev/stderr)"
  if $write; then
    MARK="$name" BODY="$(printf 'Measured on %s.\n\n%s' "$machine" "$output")" python3 - <<'PY'
import os, re
path = "BENCHMARKS.md"
text = open(path).read()
mark = os.environ["MARK"]
begin, end = f"<!-- proof-{mark}:begin -->", f"<!-- proof-{mark}:end -->"
if begin not in text:
    raise SystemExit(f"{path} has no {begin} marker")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
body = re.sub(r"\n{3,}", "\n\n", os.environ["BODY"].strip())
open(path, "w").write(f"{head}{begin}\n{body}\n{end}{tail}")
PY
  fi
}

proof=target/release/proof
case "$what" in
  links|all) part links "$proof" links ;;&
  stress|all)
    part stress "$proof" stress
    part stress-two-servers "$proof" --databases postgres stress --servers 2 ;;&
  crash|all) part crash "$proof" crash ;;&
  fuzz|all) part fuzz env EXAMPLES=100 SEED=random BINARY=target/release/creditdesk bash scripts/api-fuzz.sh ;;&
  documents|all) part documents "$proof" documents ;;&
  scale|all) part scale "$proof" scale ;;&
  chromium|all)
    ensure_node_tools
    ensure_chromium
    [ -n "${PROOF_NO_BUILD:-}" ] || build_release >&2
    # Only the table the spec prints goes into BENCHMARKS.md.
    part chromium bash -c 'cd end2end && npx playwright test -c playwright.perf.config.ts | sed -n "/^| step/,/^| preview after a tick, slowest/p"' ;;&
  links|stress|crash|fuzz|documents|scale|chromium|all) ;;
  *) echo "usage: scripts/proof.sh links|stress|crash|fuzz|documents|scale|chromium|all [--write]"; exit 2 ;;
esac
