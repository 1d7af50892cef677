import { defineConfig } from '@playwright/test';

const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium; Playwright never downloads a browser here. The networking flags keep it
// from calling out to hosts this machine cannot reach.
export const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    { name: 'javascript-on', testMatch: /.*\.js-on\.spec\.ts/, use: { javaScriptEnabled: true } },
    { name: 'javascript-off', testMatch: /.*\.js-off\.spec\.ts/, use: { javaScriptEnabled: false } },
  ],
  // creditdesk (CREDITDESK_BINARY, see scripts/e2e-server.sh) with demo data, on a fresh SQLite
  // database or, when E2E_POSTGRES_URL names one, on an empty PostgreSQL database.
  webServer: {
    command: 'bash ../scripts/e2e-server.sh',
    url: `${baseURL}/invoices`,
    env: {
      E2E_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
      E2E_POSTGRES_URL: process.env.E2E_POSTGRES_URL ?? '',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
