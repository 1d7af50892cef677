import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, apiAs, line, newCustomer, waitForHydration } from './fixtures';

/// The books from the browser: a finalized credit note's entry in the journal, found by its
/// date, its reference leading to the note, and the year's FEC file downloaded.
export async function journalFlow(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const post = await apiAs(request, 'admin@creditdesk.example');
  const customer = await newCustomer(post, name);
  const draft = await post('/credit-notes', { customer_id: customer.id, currency: 'EUR', date: '2026-02-14', lines: line('42.00') });
  const note = await post(`/credit-notes/${draft.id}/finalize`);
  // A note is dated the day it is finalized: its entry is that day's.
  const day: string = note.date;

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByRole('heading', { name: 'Journal' })).toBeVisible();
  await ready();
  const filters = page.getByRole('form', { name: 'Filter the journal' });
  await filters.getByLabel('From').fill(day);
  await filters.getByLabel('To').fill(day);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
  const entries = page.getByRole('table', { name: 'Journal entries' });
  // The filtered entries are shown (the unfiltered page starts with the demo's older ones).
  // English writes the day as "Feb 14, 2026".
  const shown = new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  await expect(entries.locator('tbody').first()).toContainText(shown);
  // The day's entries may fill more than a page: follow the pages to this note's entry.
  const entry = entries.locator('tbody').filter({ hasText: `Avoir ${note.number} ${name}` });
  for (let pages = 0; pages < 50 && (await entry.count()) === 0; pages++) {
    const next = await page.getByRole('link', { name: 'Next page' }).getAttribute('href');
    await page.goto(next!);
    await ready();
  }
  await expect(entry).toBeVisible();
  await expect(entry.getByRole('row').filter({ hasText: '419700' })).toContainText('42.00');
  await expect(entry.getByRole('row').filter({ hasText: '706000' })).toContainText('42.00');

  await ready();
  const fec = page.getByRole('link', { name: /^FEC 20/ }).first();
  const download = await page.request.get((await fec.getAttribute('href'))!);
  expect(download.headers()['content-type']).toContain('text/tab-separated-values');
  expect((await download.text()).split('\n')[0].split('\t')).toHaveLength(18);

  await entry.getByRole('link', { name: note.number }).click();
  await expect(page.getByRole('heading', { name: `Credit note ${note.number}` })).toBeVisible();
}
