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
// Playwright comes from end2end/ (npm ci there first); the server from end2end/demo-server.mjs.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

import { root, site, launchChromium, withDemoServer, signInCookies } from '../end2end/demo-server.mjs';

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
  ['New invoice', staff, '/invoices/new'],
  ['Customers', staff, '/customers'],
  ['Customer page', staff, '/customers/1'],
  ['Settings', admin, '/settings'],
  ['Customer portal', customer, '/portal'],
];

const BEGIN = '<!-- bundle-sizes:begin -->';
const END = '<!-- bundle-sizes:end -->';

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const code = (name) => readFileSync(join(site, 'pkg', name));

const brotliSizes = new Map();
function brotliSize(name) {
  if (!brotliSizes.has(name)) brotliSizes.set(name, brotli(code(name)));
  return brotliSizes.get(name);
}

// The same files as one brotli stream: what the page would cost without the split's many small
// files, each compressed on its own (a diagnostic, not something the browser can fetch).
const oneStream = (files) => brotli(Buffer.concat(files.map(code)));

const isCode = (name) => name.endsWith('.wasm') || name.endsWith('.js');

async function measure(base) {
  const browser = await launchChromium();
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
      rows.push({
        screen,
        path,
        files,
        size: files.reduce((sum, name) => sum + brotliSize(name), 0),
        oneStream: oneStream(files),
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  // The shell: what every screen fetched (the main wasm, its js, the split loader and the
  // chunks every page needs).
  const shellFiles = rows.map((r) => r.files).reduce((common, files) => common.filter((f) => files.includes(f)));
  const shell = { files: shellFiles, size: shellFiles.reduce((sum, name) => sum + brotliSize(name), 0) };
  const everything = readdirSync(join(site, 'pkg')).filter(isCode);
  const whole = everything.reduce((sum, name) => sum + brotliSize(name), 0);
  return { rows, shell, whole, count: everything.length };
}

function table({ rows, shell, whole, count }) {
  const kb = (n) => n.toLocaleString('en-US');
  const lines = [
    '| screen | path | files | wasm + js, brotli -q 11 | × whole client | as one brotli stream |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.screen} | \`${r.path}\` | ${r.files.length} | ${kb(r.size)} B | ${(r.size / whole).toFixed(2)} | ${kb(r.oneStream)} B |`,
    ),
    `| shell (every screen loads it) | ${shell.files.map((f) => `\`${f.replace(/_{4,}/, '…')}\``).join(', ')} | ${shell.files.length} | ${kb(shell.size)} B | ${(shell.size / whole).toFixed(2)} | |`,
    `| whole client (baseline) | every chunk | ${count} | ${kb(whole)} B | 1 | |`,
  ];
  return lines.join('\n');
}

async function main() {
  const write = process.argv.includes('--write');
  const result = await withDemoServer(measure);
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
