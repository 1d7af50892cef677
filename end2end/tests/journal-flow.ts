import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, apiAs, line, newCustomer, waitForHydration } from './fixtures';

/// The books from the browser: a finalized credit note's entry in the journal, found by its
/// date, its reference leading to the note, and the year's FEC file downloaded.
export async function journalFlow(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  // A day of its own, so the filter shows this test's entry whatever else the server holds.
  const day = js ? '2026-02-14' : '2026-02-15';
  const post = await apiAs(request, 'admin@creditdesk.example');
  const customer = await newCustomer(post, name);
  const draft = await post('/credit-notes', { customer_id: customer.id, currency: 'EUR', date: day, lines: line('42.00') });
  const note = await post(`/credit-notes/${draft.id}/finalize`);

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
  await expect(entries).toContainText(`Avoir ${note.number} ${name}`);
  await expect(entries.getByRole('row').filter({ hasText: '419000' })).toContainText('42.00');
  await expect(entries.getByRole('row').filter({ hasText: '706000' })).toContainText('42.00');

  await ready();
  const fec = page.getByRole('link', { name: /^FEC 20/ }).first();
  const download = await page.request.get((await fec.getAttribute('href'))!);
  expect(download.headers()['content-type']).toContain('text/tab-separated-values');
  expect((await download.text()).split('\n')[0].split('\t')).toHaveLength(18);

  await entries.getByRole('link', { name: note.number }).click();
  await expect(page.getByRole('heading', { name: `Credit note ${note.number}` })).toBeVisible();
}
