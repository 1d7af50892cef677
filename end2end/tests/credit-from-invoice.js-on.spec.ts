import { test } from './fixtures';
import { creditFromInvoice } from './credit-from-invoice-flow';

test('part of an invoice is credited with a live total and an over-credit warning', async ({ page, request }) => {
  await creditFromInvoice(page, request, 'Partial credit (JS on) GmbH', true);
});
