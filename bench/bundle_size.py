#!/usr/bin/env python3
"""What the first page of each screen loads, in brotli bytes of wasm + js.

Serves the release build (`cargo leptos build --release --split`) on a fresh SQLite database
with demo data, opens each screen as its user would (signed in), and reads from the
server-rendered HTML every file under /pkg/ the page loads before it hydrates: the shell's
wasm and js, the split loader, and the chunks the page preloads. Each file is compressed with
brotli at quality 11, as a server or CDN would serve it, and the sum is printed next to the
whole client (every chunk), the baseline the split is measured against.

    python3 bench/bundle_size.py            # prints the table
    python3 bench/bundle_size.py --write    # and rewrites it in BENCHMARKS.md
"""

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

try:
    import brotli
except ImportError:
    sys.exit("brotli is missing: python3 -m pip install brotli")

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "target" / "site"
BINARY = ROOT / "target" / "release" / "creditdesk"
PASSWORD = "creditdesk-demo"
STAFF = "credit.manager@creditdesk.example"
CUSTOMER = "portal@acme.example"

# (screen, who signs in, path)
SCREENS = [
    ("Sign-in", None, "/login"),
    ("Invoices list", STAFF, "/invoices"),
    ("Invoice page (link dialog)", STAFF, "/invoices/1"),
    ("Credit this invoice", STAFF, "/invoices/1/credit"),
    ("Credit notes list", STAFF, "/credit-notes"),
    ("Credit note page", STAFF, "/credit-notes/1"),
    ("New credit note", STAFF, "/credit-notes/new"),
    ("Customer portal", CUSTOMER, "/portal"),
]

BEGIN, END = "<!-- bundle-sizes:begin -->", "<!-- bundle-sizes:end -->"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def brotli_size(path, cache={}):
    if path not in cache:
        cache[path] = len(brotli.compress(path.read_bytes(), quality=11))
    return cache[path]


def browser(base, email):
    """An opener that keeps cookies, signed in as `email` through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if email:
        form = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
        request = urllib.request.Request(
            base + "/rpc/login", data=form, headers={"Origin": base, "Accept": "application/json"}
        )
        opener.open(request).read()
    return opener


def loaded_files(html):
    """Files under /pkg/ that the page's HTML loads (scripts, preloads, the hydration import)."""
    names = set(re.findall(r"/pkg/([A-Za-z0-9_.\-]+\.(?:wasm|js))", html))
    return sorted(SITE / "pkg" / name for name in names if (SITE / "pkg" / name).exists())


def measure(base):
    client = {"": None}
    rows = []
    for screen, email, path in SCREENS:
        key = email or ""
        if key not in client or client[key] is None:
            client[key] = browser(base, email)
        html = client[key].open(base + path).read().decode()
        files = loaded_files(html)
        if not any(f.suffix == ".wasm" for f in files):
            sys.exit(f"{path}: the page loads no wasm; is this a release build?")
        rows.append((screen, path, files, sum(brotli_size(f) for f in files)))
    everything = [p for p in (SITE / "pkg").iterdir() if p.suffix in (".wasm", ".js")]
    return rows, sum(brotli_size(f) for f in everything), len(everything)


def table(rows, whole, count):
    lines = [
        "| screen | path | files | wasm + js, brotli -q 11 | × whole client |",
        "|---|---|---|---|---|",
    ]
    for screen, path, files, size in rows:
        lines.append(
            f"| {screen} | `{path}` | {len(files)} | {size:,} B | {size / whole:.2f} |"
        )
    lines.append(f"| whole client (baseline) | every chunk | {count} | {whole:,} B | 1 |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table in BENCHMARKS.md")
    args = parser.parse_args()
    if not BINARY.exists() or not (SITE / "pkg").exists():
        sys.exit("build first: cargo leptos build --release --split")

    with tempfile.TemporaryDirectory() as state:
        env = dict(os.environ, DATABASE_URL=f"sqlite:{state}/bundle.db", CREDITDESK_SIGN_IN_BURST="100")
        env["LEPTOS_SITE_ROOT"] = str(SITE)
        subprocess.run([BINARY, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [BINARY, "serve", "--addr", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/login").read()
                    break
                except OSError:
                    time.sleep(0.1)
            rows, whole, count = measure(base)
        finally:
            server.terminate()
            server.wait()

    text = table(rows, whole, count)
    print(text)
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        doc = path.read_text()
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        path.write_text(doc[:start] + "\n" + text + "\n" + doc[end:])
        print("BENCHMARKS.md updated")


if __name__ == "__main__":
    main()
