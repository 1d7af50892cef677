import { test } from './fixtures';
import { invoiceMoney, linkPaysInvoice, taxSettings } from './desk-flow';

test('payments, mark paid and the customer credits tab as plain HTML forms', async ({ page, request }) => {
  await invoiceMoney(page, request, 'Money (JS off) GmbH', false);
});

test('the tax table is saved as a plain HTML form', async ({ page }) => {
  await taxSettings(page, 'FR', '20', false);
});

test('a note that covers the invoice pays it and is used (JavaScript off)', async ({ page, request }) => {
  await linkPaysInvoice(page, request, 'Paid by credit (JS off) SA', false);
});
