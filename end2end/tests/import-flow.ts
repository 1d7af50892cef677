import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, apiAs, newCustomer, waitForHydration } from './fixtures';

/// Importing invoices in the browser: a CSV uploaded, its preview (nothing written yet), the
/// import, and the invoice it created; a file with a bad row shows the row and writes nothing.
/// Then a credit note for that invoice, imported final under the file's number (the other
/// system issued it: it takes none of this desk's series).
export async function importFlow(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const post = await apiAs(request, 'admin@creditdesk.example');
  // Names are how a file refers to customers: one of its own per run.
  name = `${name} ${Date.now()}`;
  await newCustomer(post, name);
  // Numbers of their own, so the run can repeat against the same server.
  const number = `IMP-${js ? 'ON' : 'OFF'}-${Date.now()}`;
  const header = 'number,customer,currency,issue_date,due_date,description,quantity,unit_price,discount_percent,tax_rate\n';
  const csv = (quantity: string) =>
    `${header}${number},${name},EUR,2026-03-01,2026-03-31,Chairs,${quantity},100.00,,20\n`;
  const upload = async (content: string, kind = 'Invoices', file = 'invoices.csv') => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await expect(page.getByRole('heading', { name: 'Import invoices' })).toBeVisible();
    await ready();
    const form = page.getByRole('form', { name: 'Import file' });
    await form.getByLabel('The file holds').selectOption({ label: kind });
    await form.getByLabel('CSV file').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await form.getByRole('button', { name: 'Preview import' }).click();
    await expect(page.getByRole('heading', { name: `Import ${file}` })).toBeVisible();
    await ready();
  };

  await signIn(page, 'credit.manager@creditdesk.example');
  await upload(csv('one'));
  await expect(page.getByRole('table', { name: 'Errors in the file' })).toContainText('quantity');
  await expect(page.getByRole('button', { name: /^Import: create/ })).toHaveCount(0);

  await upload(csv('2'));
  const preview = page.getByRole('table', { name: /to create/ });
  await expect(preview).toContainText(number);
  await expect(preview).toContainText('240.00');
  await page.getByRole('button', { name: 'Import: create 1, update 0' }).click();
  await expect(page.getByRole('table', { name: /1 unchanged/ })).toBeVisible();
  await expect(page.getByText(/^Imported [A-Z][a-z]{2} \d/)).toBeVisible();

  await page.goto(`/invoices?number=${number}`);
  await expect(page.getByRole('link', { name: number })).toBeVisible();

  // A credit note from the system the invoices came from: final at once, under its number.
  const reference = `AV-${number}`;
  const notes = 'number,customer,currency,date,invoice,reason_category,reason,description,quantity,unit_price,discount_percent,tax_rate\n' +
    `${reference},${name},EUR,2026-03-10,${number},return,One chair came back,Chairs,1,100.00,,20\n`;
  await upload(notes, 'Credit notes', 'credits.csv');
  const credits = page.getByRole('table', { name: /to create/ });
  await expect(credits).toContainText(reference);
  await expect(credits).toContainText('New');
  await expect(credits).toContainText('120.00');
  await page.getByRole('button', { name: 'Import: create 1, update 0' }).click();
  await expect(page.getByRole('table', { name: /1 unchanged/ })).toBeVisible();
  await page.getByRole('table', { name: /1 unchanged/ }).getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { name: new RegExp(reference) })).toBeVisible();
  await expect(page.getByText('Imported as')).toBeVisible();
  await expect(page.getByText('Another system, under its own number (imported)')).toBeVisible();
}
