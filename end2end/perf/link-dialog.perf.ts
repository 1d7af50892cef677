import { Page } from '@playwright/test';
import { test, expect, waitForHydration, signIn, DEMO_PASSWORD } from '../tests/fixtures';

// The link dialog of an invoice whose customer has 5,000 available credit notes, timed in the
// page with performance.now(), next to the same steps on a demo invoice with three notes (the
// baseline, measured in the same run). Prints the figures; never fails on timing.

const MANAGER = 'credit.manager@creditdesk.example';
const ROUNDS = 20;

type Figures = { rows: number; serverRender: number; hydrated: number; open: number; preview: number[] };

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/// The invoice page rendered with the dialog open (what a browser without JavaScript gets),
/// then hydration, then the dialog opened in the hydrated page, then ticks of one note after
/// another until the preview shows the new outstanding amount.
async function measure(page: Page, invoiceId: number): Promise<Figures> {
  await page.goto(`/invoices/${invoiceId}?link=open`);
  const rows = await page.locator('[role=dialog] tbody tr').count();
  const serverRender = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return nav.responseEnd - nav.requestStart;
  });
  await waitForHydration(page);
  const hydrated = await page.evaluate(() => performance.now());

  await page.goto(`/invoices/${invoiceId}`);
  await waitForHydration(page);
  const open = await page.evaluate(async () => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Link credit notes');
    if (!button) throw new Error('no "Link credit notes" button');
    const started = performance.now();
    button.click();
    while (!document.querySelector('[role=dialog] tbody tr')) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return performance.now() - started;
  });
  await expect(page.getByRole('dialog', { name: 'Link credit notes' })).toBeVisible();

  const preview = await page.evaluate(async (rounds) => {
    const boxes = [...document.querySelectorAll<HTMLInputElement>('[role=dialog] tbody input[type=checkbox]')].filter(
      (box) => !box.disabled,
    );
    // Tick a note, then untick it: each click changes the preview (an amount, or nothing).
    const shown = () => document.querySelector('[role=dialog] output')?.textContent ?? 'nothing selected';
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const box = boxes[Math.floor(i / 2) % boxes.length];
      const before = shown();
      const started = performance.now();
      box.click();
      while (shown() === before) {
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      times.push(performance.now() - started);
    }
    return times;
  }, ROUNDS);
  return { rows, serverRender, hydrated, open, preview };
}

test('the link dialog with 5,000 available notes, against three', async ({ page, request }) => {
  const token = (await (await request.post('/api/v1/auth/token', { data: { email: MANAGER, password: DEMO_PASSWORD } })).json()).token;
  const get = async (path: string) => (await request.get(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  // The first two scale invoices belong to the big customer; every third invoice is paid, so
  // the second is open.
  const big = (await get('/invoices?number=SCALE-&limit=2')).items[1];
  const small = (await get('/invoices?number=INV-2026-0001')).items[0];
  expect(big.status).toBe('pending');

  await signIn(page, MANAGER);
  const baseline = await measure(page, small.id);
  const large = await measure(page, big.id);
  expect(large.rows).toBeGreaterThanOrEqual(5000);
  expect(large.preview.length).toBe(ROUNDS);

  const row = (what: string, unit: string, a: number, b: number) =>
    `| ${what} | ${b.toFixed(1)} ${unit} | ${a.toFixed(1)} ${unit} | ${(b / Math.max(a, 0.1)).toFixed(1)} |`;
  console.log(
    [
      `| step | ${large.rows} notes | ${baseline.rows} notes (baseline) | ratio |`,
      '|---|---:|---:|---:|',
      row('page with the dialog open, server answer (request → last byte)', 'ms', baseline.serverRender, large.serverRender),
      row('that page hydrated (navigation start → hydrated)', 'ms', baseline.hydrated, large.hydrated),
      row('dialog opened in the hydrated page (click → rows rendered)', 'ms', baseline.open, large.open),
      row(`preview after a tick, median of ${ROUNDS}`, 'ms', median(baseline.preview), median(large.preview)),
      row(`preview after a tick, slowest of ${ROUNDS}`, 'ms', Math.max(...baseline.preview), Math.max(...large.preview)),
    ].join('\n'),
  );
});
