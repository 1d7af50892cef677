import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, figure, apiAs, waitForHydration, line, newCustomer, today } from './fixtures';

/// An invoice of 4 chairs at 25.00 and a desk at 200.00 (300.00 EUR), already credited
/// 260.00 by a finalized note: a credit of two chairs takes it above the invoice total.
async function creditedInvoice(request: APIRequestContext, name: string) {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const customer = await newCustomer(post, name);
  const invoice = await post('/invoices', {
    customer_id: customer.id,
    currency: 'EUR',
    issue_date: today(),
    lines: [
      { description: 'Chair', quantity: '4', unit_price: '25.00', tax_rate: '0' },
      { description: 'Desk', quantity: '1', unit_price: '200.00', tax_rate: '0' },
    ],
  });
  const draft = await post('/credit-notes', {
    customer_id: customer.id,
    currency: 'EUR',
    date: today(),
    related_invoice_id: invoice.id,
    lines: line('260.00'),
  });
  const earlier = await post(`/credit-notes/${draft.id}/finalize`);
  return { invoice, earlier };
}

/// Sales credit two of the four chairs of an invoice from its page; a quantity beyond the
/// invoice is refused on its line; crediting above the invoice total warns but is allowed.
export async function creditFromInvoice(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const { invoice, earlier } = await creditedInvoice(request, name);
  await signIn(page, 'sales@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}`);
  await ready();
  await page.getByRole('link', { name: 'Credit this invoice' }).click();
  await expect(page.getByRole('heading', { name: `Credit invoice ${invoice.number}` })).toBeVisible();
  await ready();
  const before = page.getByRole('table', { name: 'Earlier credit notes of this invoice' });
  await expect(before.getByRole('row', { name: new RegExp(earlier.number) })).toContainText('€260.00');

  const lines = page.getByRole('table', { name: 'Lines to credit' });
  await page.getByRole('checkbox', { name: 'Credit Desk' }).uncheck();
  await page.getByRole('textbox', { name: 'Quantity of Chair' }).fill('5');
  await page.getByRole('button', { name: 'Create draft credit note' }).click();
  await expect(lines.getByRole('row', { name: /Chair/ })).toContainText('Credit between 0 and 4 of this line');

  await ready();
  await page.getByRole('checkbox', { name: 'Credit Desk' }).uncheck();
  await page.getByRole('textbox', { name: 'Quantity of Chair' }).fill('2');
  if (js) {
    // The shared domain previews the total and the warning before anything is sent.
    await expect(page.getByText(/exceeds the invoice total \(€300\.00\)/)).toBeVisible();
    await expect(page.getByLabel('Credit note total')).toHaveText('€50.00');
  }
  await page.getByRole('button', { name: 'Create draft credit note' }).click();
  await expect(page.getByRole('heading', { name: /^Credit note Draft #\d+$/ })).toBeVisible();
  await expect(figure(page, 'Total')).toHaveText('€50.00');
  await expect(figure(page, 'Related invoice')).toHaveText(invoice.number);
  await expect(figure(page, 'Status')).toHaveText('Draft');
}
