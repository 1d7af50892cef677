// The release build serving demo data on a fresh SQLite database of its own, for scripts that
// look at the app in Chromium (bundle sizes, README screenshots). Playwright comes from this
// folder's node_modules (npm ci here first).

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const site = join(root, 'target', 'site');
const binary = join(root, 'target', 'release', 'creditdesk');
const password = 'creditdesk-demo';

const require = createRequire(join(root, 'end2end', 'package.json'));
export const { chromium } = require('playwright');

/// Debian's Chromium, headless; never a downloaded browser.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

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

/// Runs `work(base)` against a freshly seeded server, then stops it and removes its database.
export async function withDemoServer(work) {
  const state = mkdtempSync(join(tmpdir(), 'creditdesk-demo-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(state, 'demo.db')}`,
    CREDITDESK_SIGN_IN_BURST: '100',
    LEPTOS_SITE_ROOT: site,
  };
  execFileSync(binary, ['demo'], { env, stdio: 'ignore' });
  const server = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  try {
    await waitUntilUp(base);
    return await work(base);
  } finally {
    server.kill();
    rmSync(state, { recursive: true, force: true });
  }
}

/// A session cookie from the login server function, so the first page a context opens is the
/// page itself, already signed in.
export async function signInCookies(base, email) {
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
