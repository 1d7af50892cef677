import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, figure, apiAs, waitForHydration, customerWithNotes } from './fixtures';

/// An invoice's money in the browser: a payment, "mark paid" and "mark pending", and the
/// customer's Credits tab with what its notes have left after a link.
export async function invoiceMoney(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { customer, invoice, notes } = await customerWithNotes(post, name, '100.00', ['30.00']);
  await post(`/invoices/${invoice.id}/allocations`, { allocations: [{ credit_note_id: notes[0].id, amount: '10.00' }] });

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}`);
  await ready();
  await expect(figure(page, 'Outstanding')).toHaveText('€90.00');
  // Too much is refused on the amount's field; nothing changes.
  await page.getByLabel('Payment amount').fill('95.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByRole('alert')).toContainText(/outstanding/i);
  await expect(figure(page, 'Paid')).toHaveText('€0.00');
  await ready();
  await page.getByLabel('Payment amount').fill('40.00');
  await page.getByLabel('Reference').fill('TX-77');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(figure(page, 'Paid')).toHaveText('€40.00');
  await expect(figure(page, 'Outstanding')).toHaveText('€50.00');
  // Cancel is for administrators; mark pending is blocked while a note is linked, and says why.
  await expect(page.getByRole('button', { name: 'Cancel invoice' })).toHaveCount(0);
  await ready();
  await page.getByRole('button', { name: 'Mark paid' }).click();
  await expect(figure(page, 'Status')).toHaveText('Paid');
  await expect(figure(page, 'Outstanding')).toHaveText('€0.00');
  await expect(page.getByRole('button', { name: 'Mark pending' })).toBeDisabled();
  await expect(page.getByText('unlink them first')).toBeVisible();

  // The customer's Credits tab: 20.00 of the note remains.
  await ready();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(figure(page, 'Credit remaining')).toHaveText('€20.00');
  await expect(page.getByRole('table', { name: 'Credit notes' })).toContainText(notes[0].number);
  await ready();
  await page.getByRole('navigation', { name: 'Customer' }).getByRole('link', { name: 'Invoices' }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${customer.id}\\?tab=invoices`));
  await expect(page.getByRole('table', { name: 'Invoices' })).toContainText(invoice.number);
}

/// Administrators: a tax rate changed in Settings is the rate the credit-note editor proposes.
export async function taxSettings(page: Page, region: string, rate: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  await signIn(page, 'admin@creditdesk.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Tax table' })).toBeVisible();
  await ready();
  // A rate above 100 % is refused on its row.
  const row = page.getByRole('row').filter({ has: page.locator(`input[value="${region}"]`) }).filter({
    has: page.locator('input[value="standard"]'),
  });
  await row.getByRole('textbox', { name: /^Rate/ }).fill('120');
  await page.getByRole('button', { name: 'Save tax table' }).click();
  await expect(page.getByText('A tax rate is a percentage between 0 and 100')).toBeVisible();
  await ready();
  await row.getByRole('textbox', { name: /^Rate/ }).fill(rate);
  await page.getByRole('button', { name: 'Save tax table' }).click();
  await expect(row.getByRole('textbox', { name: /^Rate/ })).toHaveValue(rate);
  await expect(page.getByText('A tax rate is a percentage between 0 and 100')).toHaveCount(0);
}

/// A note that covers the whole invoice: linked through the dialog, the invoice is paid and
/// the note used, on both pages.
export async function linkPaysInvoice(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { invoice, notes } = await customerWithNotes(post, name, '50.00', ['50.00']);
  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}`);
  await ready();
  await page.getByRole('button', { name: 'Link credit notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await dialog.getByRole('checkbox', { name: `Select ${notes[0].number}` }).check();
  await dialog.getByRole('button', { name: 'Link selected' }).click();
  await expect(figure(page, 'Status')).toHaveText('Paid');
  await expect(figure(page, 'Outstanding')).toHaveText('€0.00');
  await ready();
  await page.goto(`/credit-notes/${notes[0].id}`);
  await expect(figure(page, 'Status')).toHaveText('Used');
  await expect(figure(page, 'Remaining')).toHaveText('€0.00');
}
