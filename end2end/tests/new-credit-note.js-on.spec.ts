import { test, expect, signIn, figure, apiAs, waitForHydration, newCustomer, chooseCustomer } from './fixtures';

test('a credit note with lines shows its total live and is created as a draft', async ({ page, request }) => {
  const customer = await newCustomer(await apiAs(request, 'admin@creditdesk.example'), 'New lines (JS on) GmbH');
  await signIn(page, 'sales@creditdesk.example');
  await page.goto('/credit-notes');
  await page.getByRole('link', { name: 'New credit note' }).click();
  await expect(page.getByRole('heading', { name: 'New credit note' })).toBeVisible();
  await waitForHydration(page);
  await chooseCustomer(page, customer.name, true);
  await page.getByLabel('Description of line 1').fill('Chair');
  await page.getByLabel('Quantity of line 1').fill('2');
  await page.getByLabel('Unit price of line 1').fill('25.00');
  await page.getByLabel('Tax % of line 1').fill('20');
  await expect(page.getByLabel('Credit note total')).toHaveText('€60.00');
  // A price with too many decimals is refused on its line, and nothing is created.
  await page.getByLabel('Unit price of line 2').fill('1.001');
  await page.getByLabel('Description of line 2').fill('Screws');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('row').filter({ has: page.getByLabel('Tax % of line 2') })).toContainText('decimal');
  await page.getByLabel('Unit price of line 2').fill('');
  await page.getByLabel('Description of line 2').fill('');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { name: /^Credit note Draft #\d+$/ })).toBeVisible();
  await expect(figure(page, 'Total')).toHaveText('€60.00');
  await expect(figure(page, 'Customer')).toHaveText(customer.name);
});
