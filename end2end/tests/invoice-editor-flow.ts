import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, figure, apiAs, waitForHydration, newCustomer, chooseCustomer } from './fixtures';

/// An invoice's life in the editor: a draft with a live total, edited, issued with the next
/// number, then corrected by a correction invoice that starts as the invoice negated.
export async function invoiceEditor(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const post = await apiAs(request, 'admin@creditdesk.example');
  await newCustomer(post, name);

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto('/invoices');
  await ready();
  await page.getByRole('link', { name: 'New invoice' }).click();
  await expect(page.getByRole('heading', { name: 'New invoice' })).toBeVisible();
  await ready();
  // The customer is found by the server from what is typed.
  await chooseCustomer(page, name, js);
  await page.getByLabel('Description of line 1').fill('Desk');
  await page.getByLabel('Quantity of line 1').fill('2');
  await page.getByLabel('Unit price of line 1').fill('100.00');
  await page.getByLabel('Tax % of line 1').fill('20');
  if (js) await expect(page.getByLabel('Invoice total')).toHaveText('€240.00');
  await page.getByRole('radio', { name: /^Draft/ }).check();
  await page.getByRole('button', { name: 'Save invoice' }).click();
  await expect(figure(page, 'Status')).toHaveText('Draft');
  await expect(figure(page, 'Total')).toHaveText('€240.00');

  await ready();
  await page.getByRole('link', { name: 'Edit invoice' }).click();
  await expect(page.getByRole('heading', { name: /^Edit invoice/ })).toBeVisible();
  await ready();
  await page.getByLabel('Quantity of line 1').fill('3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(figure(page, 'Total')).toHaveText('€360.00');

  await ready();
  await page.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(figure(page, 'Status')).toHaveText('Pending');
  await expect(page.getByRole('heading', { name: /^Invoice INV-\d{4}-\d{5}$/ })).toBeVisible();
  const number = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').replace('Invoice ', '');

  await ready();
  await page.getByRole('link', { name: 'Correction invoice' }).click();
  await expect(page.getByRole('heading', { name: `Correction invoice for ${number}` })).toBeVisible();
  await expect(page.getByLabel('Quantity of line 1')).toHaveValue('-3');
  await ready();
  await page.getByRole('button', { name: 'Save invoice' }).click();
  await expect(figure(page, 'Total')).toHaveText('-€360.00');
  await expect(figure(page, 'Status')).toHaveText('Pending');
}
