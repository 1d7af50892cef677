import { defineConfig } from '@playwright/test';
import { launchOptions } from './playwright.config';

// The link dialog's timings in Chromium (scripts/proof.sh chromium): the release build with the
// demo data and 30,000 scale notes, whose first customer has 5,000 available notes.
const port = process.env.E2E_PERF_PORT ?? '3200';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './perf',
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 300_000,
  use: { baseURL, launchOptions, trace: 'off', javaScriptEnabled: true },
  projects: [{ name: 'chromium-perf', testMatch: /.*\.perf\.ts/ }],
  webServer: {
    command: 'bash ../scripts/e2e-server.sh',
    url: `${baseURL}/invoices`,
    env: {
      E2E_ADDR: `127.0.0.1:${port}`,
      E2E_SCALE: process.env.E2E_SCALE ?? '30000',
      RUST_LOG: 'warn',
      E2E_POSTGRES_URL: process.env.E2E_POSTGRES_URL ?? '',
    },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
