import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, figure, apiAs, waitForHydration, customerWithInvoice, line, chooseCustomer, today } from './fixtures';

/// A customer of its own with an invoice of 100.00 EUR and a draft credit note of 40.00 EUR
/// related to it, made through the API.
export async function draftNoteFor(request: APIRequestContext, name: string) {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { customer, invoice } = await customerWithInvoice(post, name, '100.00');
  const note = await post('/credit-notes', {
    customer_id: customer.id,
    currency: 'EUR',
    date: today(),
    related_invoice_id: invoice.id,
    lines: line('40.00'),
  });
  return { customer, invoice, note };
}

/// Signs in as someone else in the same browser.
export async function switchUser(page: Page, email: string) {
  await page.context().clearCookies();
  await signIn(page, email);
}

/// The whole life of a credit note in the browser: found in the list, submitted by sales,
/// rejected, corrected in the editor and finalized by a credit manager, refunded (and over-refunded), commented.
/// With `js`, each step first waits for the client app to take over the page.
export async function creditNoteLife(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const { customer, invoice, note } = await draftNoteFor(request, name);

  await signIn(page, 'sales@creditdesk.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credit notes' }).click();
  await expect(page.getByRole('heading', { name: 'Credit notes' })).toBeVisible();
  await ready();
  // Drafts are not available: the default list leaves them out until the filter asks.
  const list = page.getByRole('table', { name: 'Credit notes' });
  await expect(page.getByRole('link', { name: `Draft #${note.id}` })).toHaveCount(0);
  await page.getByLabel('Status').selectOption('draft');
  await chooseCustomer(page, name, js);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`customer_id=${customer.id}`));
  await expect(list.getByRole('row')).toHaveCount(2);
  await list.getByRole('link', { name: `Draft #${note.id}` }).click();

  await expect(page.getByRole('heading', { name: `Credit note Draft #${note.id}` })).toBeVisible();
  await ready();
  await expect(figure(page, 'Total')).toHaveText('€40.00');
  await expect(figure(page, 'Related invoice')).toHaveText(invoice.number);
  // Sales submit; only approvers finalize or reject.
  await expect(page.getByRole('button', { name: 'Approve & finalize' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(figure(page, 'Status')).toHaveText('Pending approval');
  await expect(page.getByRole('button', { name: 'Reject' })).toHaveCount(0);

  await switchUser(page, 'credit.manager@creditdesk.example');
  await page.goto(`/credit-notes/${note.id}`);
  await ready();
  await page.getByLabel('Reason for rejecting').fill('Quantity was one, not two');
  await page.getByRole('button', { name: 'Reject' }).click();
  await expect(figure(page, 'Status')).toHaveText('Draft');
  await expect(page.getByRole('list', { name: 'Credit note timeline' })).toContainText(
    'Sent back to draft: Quantity was one, not two',
  );

  // The draft is corrected in the editor, filled with what it says.
  await ready();
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { name: `Edit credit note Draft #${note.id}` })).toBeVisible();
  await ready();
  await expect(page.getByLabel('Description of line 1')).toHaveValue('Item');
  await page.getByLabel('Unit price of line 1').fill('35.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: `Credit note Draft #${note.id}` })).toBeVisible();
  await expect(figure(page, 'Total')).toHaveText('€35.00');

  await ready();
  await page.getByLabel(/I confirm/).check();
  await page.getByRole('button', { name: 'Approve & finalize' }).click();
  await expect(figure(page, 'Status')).toHaveText('Available');
  const heading = page.getByRole('heading', { name: /^Credit note CN-\d{4}-\d{5}$/ });
  await expect(heading).toBeVisible();
  const number = (await heading.textContent())!.replace('Credit note ', '').trim();
  // Finalized notes are locked: no submit, no delete.
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await ready();
  await page.getByLabel('Refund amount').fill('10.00');
  await page.getByLabel('Method').fill('bank transfer');
  await page.getByRole('button', { name: 'Record refund' }).click();
  await expect(figure(page, 'Refunded')).toHaveText('€10.00');
  await expect(figure(page, 'Remaining')).toHaveText('€25.00');

  // More than what remains is refused, said on the page, and nothing changes.
  await ready();
  await page.getByLabel('Refund amount').fill('26.00');
  await page.getByRole('button', { name: 'Record refund' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(figure(page, 'Remaining')).toHaveText('€25.00');

  await ready();
  await page.getByLabel('New comment').fill('Customer called about the chair');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await expect(page.getByRole('list', { name: 'Comments' })).toContainText('Customer called about the chair');

  // The list finds it by the start of its number, and the URL holds the filter.
  await page.goto(`/credit-notes?number=${encodeURIComponent(number.toLowerCase())}`);
  await ready();
  const found = page.getByRole('table', { name: 'Credit notes' });
  await expect(found.getByRole('link', { name: number })).toBeVisible();
  await expect(found.getByRole('row')).toHaveCount(2);
}
