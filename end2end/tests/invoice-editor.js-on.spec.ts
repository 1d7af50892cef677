import { test, expect, signIn, waitForHydration, figure } from './fixtures';
import { invoiceEditor } from './invoice-editor-flow';

test('an invoice is drafted, edited, issued and corrected in the editor', async ({ page, request }) => {
  await invoiceEditor(page, request, 'Editor (JS on) AG', true);
});

test("a credit note's addresses come from the customer and copy both ways", async ({ page }) => {
  await signIn(page, 'sales@creditdesk.example');
  await page.goto('/credit-notes/new');
  await waitForHydration(page);
  const billing = page.getByRole('group', { name: 'Billing address' });
  const shipping = page.getByRole('group', { name: 'Shipping address' });
  const customer = page.getByLabel('Customer');
  await customer.selectOption({ index: 1 });
  await expect(billing.getByLabel('Street', { exact: true })).not.toHaveValue('');
  await shipping.getByLabel('Street', { exact: true }).fill('Dock 4');
  await shipping.getByLabel('City').fill('Hamburg');
  await page.getByRole('button', { name: 'Copy shipping → billing' }).click();
  await expect(billing.getByLabel('Street', { exact: true })).toHaveValue('Dock 4');
  await expect(billing.getByLabel('City')).toHaveValue('Hamburg');
  await page.getByLabel('Reason category').selectOption({ label: 'Goodwill' });
  await page.getByLabel('Description of line 1').fill('Gesture');
  await page.getByLabel('Unit price of line 1').fill('5.00');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(figure(page, 'Billing address')).toContainText('Dock 4');
  await expect(figure(page, 'Reason category')).toHaveText('Goodwill');
});
