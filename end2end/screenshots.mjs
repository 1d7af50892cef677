// The README's screenshots: the credit-note page, and the invoice page with the link-credit
// dialog open, from the release build with demo data in Debian's Chromium.
//
//   node end2end/screenshots.mjs      # rewrites end2end/screenshots/*.png

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { root, launchChromium, withDemoServer, signInCookies } from './demo-server.mjs';

// The file, the page, and whether to take the whole page (the dialog sits below the invoice).
const shots = [
  ['credit-note.png', '/credit-notes/1', false],
  ['invoice-link-dialog.png', '/invoices/1?link=open', true],
];

async function capture(base) {
  const folder = join(root, 'end2end', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 820 } });
    await context.addCookies(await signInCookies(base, 'credit.manager@creditdesk.example'));
    const page = await context.newPage();
    for (const [file, path, fullPage] of shots) {
      await page.goto(path);
      await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
      await page.screenshot({ path: join(folder, file), fullPage });
      console.log(`end2end/screenshots/${file}  ${path}`);
    }
  } finally {
    await browser.close();
  }
}

withDemoServer(capture).catch((error) => {
  console.error(error);
  process.exit(1);
});
