import { test } from './fixtures';
import { creditFromInvoice } from './credit-from-invoice-flow';

test('part of an invoice is credited with plain form posts', async ({ page, request }) => {
  await creditFromInvoice(page, request, 'Partial credit (JS off) GmbH', false);
});
