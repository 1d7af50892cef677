// The README's screenshots: the credit-note page, and the invoice page with the link-credit
// dialog open, in English and in French, from the release build with demo data in Debian's
// Chromium.
//
//   node end2end/screenshots.mjs      # rewrites end2end/screenshots/*.png

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { root, launchChromium, withDemoServer, signInCookies } from './demo-server.mjs';

// The file, the page, whether to take the whole page (the dialog sits below the invoice), and
// the language of the screens.
const shots = [
  ['credit-note.png', '/credit-notes/1', false, 'en'],
  ['invoice-link-dialog.png', '/invoices/1?link=open', true, 'en'],
  ['invoice-link-dialog-fr.png', '/invoices/1?link=open', true, 'fr'],
];

async function capture(base) {
  const folder = join(root, 'end2end', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 820 } });
    await context.addCookies(await signInCookies(base, 'credit.manager@creditdesk.example'));
    const page = await context.newPage();
    for (const [file, path, fullPage, language] of shots) {
      await context.addCookies([{ name: 'lang', value: language, url: base }]);
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
