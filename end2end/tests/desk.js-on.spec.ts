import { test, expect, waitForHydration, chooseCustomer } from './fixtures';
import { invoiceMoney, linkPaysInvoice, taxSettings } from './desk-flow';

test('payments, mark paid and the customer credits tab in the browser app', async ({ page, request }) => {
  await invoiceMoney(page, request, 'Money (JS on) GmbH', true);
});

test('a tax rate saved in settings is the rate the editor proposes', async ({ page }) => {
  await taxSettings(page, 'US-NY', '8.5', true);
  await page.goto('/credit-notes/new');
  await waitForHydration(page);
  await chooseCustomer(page, 'Globex Corporation', true, 'Globex Corporation (USD)');
  await expect(page.getByLabel('Tax % of line 1')).toHaveAttribute('placeholder', /^8\.50* \(table\)$/);
});

test('a note that covers the invoice pays it and is used (JavaScript on)', async ({ page, request }) => {
  await linkPaysInvoice(page, request, 'Paid by credit (JS on) SA', true);
});
