import { test } from './fixtures';
import { linkInFrench } from './link-french-flow';

test('without JavaScript the server reads a French decimal comma and answers in French', async ({ page, request }) => {
  await linkInFrench(page, request, 'Dupont (JS off) SARL', async (page, invoiceId) => {
    await page.goto(`/invoices/${invoiceId}?link=open`);
  });
});
