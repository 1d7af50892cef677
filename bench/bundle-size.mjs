// What the first page of each screen loads, in brotli bytes of wasm + js.
//
// Serves the release build (`cargo leptos build --release --split`) on a fresh SQLite database
// with demo data, opens each screen in Debian's Chromium as its user would (signed in), waits
// until the page has hydrated, and records every wasm and js file the browser fetched from
// /pkg/ for that page: the shell, the split loader and the page's chunks. Each file is
// compressed with brotli at quality 11 (as a server or CDN would serve it); the sum is printed
// next to the whole client (every chunk), the baseline the split is measured against.
//
//   node bench/bundle-size.mjs            # prints the table
//   node bench/bundle-size.mjs --write    # and rewrites it in BENCHMARKS.md
//
// Playwright comes from end2end/ (npm ci there first).

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'end2end', 'package.json'));
const { chromium } = require('playwright');

const site = join(root, 'target', 'site');
const binary = join(root, 'target', 'release', 'creditdesk');
const password = 'creditdesk-demo';
const staff = 'credit.manager@creditdesk.example';
const admin = 'admin@creditdesk.example';
const customer = 'portal@acme.example';

const screens = [
  ['Sign-in', null, '/login'],
  ['Invoices list', staff, '/invoices'],
  ['Invoice page (link dialog)', staff, '/invoices/1'],
  ['Credit this invoice', staff, '/invoices/1/credit'],
  ['Credit notes list', staff, '/credit-notes'],
  ['Credit note page', staff, '/credit-notes/1'],
  ['New credit note', staff, '/credit-notes/new'],
  ['Customers', staff, '/customers'],
  ['Customer page', staff, '/customers/1'],
  ['Settings', admin, '/settings'],
  ['Customer portal', customer, '/portal'],
];

const BEGIN = '<!-- bundle-sizes:begin -->';
const END = '<!-- bundle-sizes:end -->';

const brotliSizes = new Map();
function brotliSize(name) {
  if (!brotliSizes.has(name)) {
    const bytes = readFileSync(join(site, 'pkg', name));
    const compressed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    brotliSizes.set(name, compressed.length);
  }
  return brotliSizes.get(name);
}

const isCode = (name) => name.endsWith('.wasm') || name.endsWith('.js');

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(base) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/login`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function measure(base) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const rows = [];
  try {
    for (const [screen, email, path] of screens) {
      // A fresh context per screen: nothing cached from the screen before.
      const context = await browser.newContext({ baseURL: base });
      if (email) await context.addCookies(await signInCookies(base, email));
      const fresh = await context.newPage();
      const fetched = new Set();
      fresh.on('response', (response) => {
        const url = new URL(response.url());
        const name = url.pathname.startsWith('/pkg/') ? url.pathname.slice(5) : null;
        if (name && isCode(name)) fetched.add(name);
      });
      await fresh.goto(path);
      await fresh.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
      await fresh.waitForLoadState('networkidle');
      const files = [...fetched].sort();
      rows.push({ screen, path, files, size: files.reduce((sum, name) => sum + brotliSize(name), 0) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const everything = readdirSync(join(site, 'pkg')).filter(isCode);
  const whole = everything.reduce((sum, name) => sum + brotliSize(name), 0);
  return { rows, whole, count: everything.length };
}

/// A session cookie from the login server function, so the measured page is the first one the
/// browser opens in its context.
async function signInCookies(base, email) {
  const response = await fetch(`${base}/rpc/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'application/json' },
    body: new URLSearchParams({ email, password }),
  });
  const url = new URL(base);
  return response.headers.getSetCookie().map((header) => {
    const [pair] = header.split(';');
    const [name, ...value] = pair.split('=');
    return { name, value: value.join('='), domain: url.hostname, path: '/' };
  });
}

function table({ rows, whole, count }) {
  const kb = (n) => n.toLocaleString('en-US');
  const lines = [
    '| screen | path | files | wasm + js, brotli -q 11 | × whole client |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.screen} | \`${r.path}\` | ${r.files.length} | ${kb(r.size)} B | ${(r.size / whole).toFixed(2)} |`,
    ),
    `| whole client (baseline) | every chunk | ${count} | ${kb(whole)} B | 1 |`,
  ];
  return lines.join('\n');
}

async function main() {
  const write = process.argv.includes('--write');
  const state = mkdtempSync(join(tmpdir(), 'creditdesk-bundle-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(state, 'bundle.db')}`,
    CREDITDESK_SIGN_IN_BURST: '100',
    LEPTOS_SITE_ROOT: site,
  };
  execFileSync(binary, ['demo'], { env, stdio: 'ignore' });
  const server = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  let result;
  try {
    await waitUntilUp(base);
    result = await measure(base);
  } finally {
    server.kill();
    rmSync(state, { recursive: true, force: true });
  }
  const text = table(result);
  console.log(text);
  if (write) {
    const path = join(root, 'BENCHMARKS.md');
    const doc = readFileSync(path, 'utf8');
    const start = doc.indexOf(BEGIN) + BEGIN.length;
    const end = doc.indexOf(END);
    if (start < BEGIN.length || end < 0) throw new Error(`BENCHMARKS.md has no ${BEGIN} … ${END} section`);
    writeFileSync(path, `${doc.slice(0, start)}\n${text}\n${doc.slice(end)}`);
    console.log('BENCHMARKS.md updated');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
