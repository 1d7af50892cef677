import { test, expect, signIn, figure, apiAs, newCustomer, chooseCustomer } from './fixtures';

test('a standalone credit with a charge is created with a plain form post', async ({ page, request }) => {
  const customer = await newCustomer(await apiAs(request, 'admin@creditdesk.example'), 'New charge (JS off) GmbH');
  await signIn(page, 'sales.manager@creditdesk.example');
  await page.goto('/credit-notes/new');
  await page.getByRole('link', { name: 'Standalone charge' }).click();
  await chooseCustomer(page, customer.name, false);
  await expect(page).toHaveURL(/kind=charge/);
  await page.getByLabel('Charge code').fill('GOODWILL');
  await page.getByLabel('Charge description').fill('Late delivery');
  await page.getByLabel('Charge amount').fill('fifteen');
  await page.getByRole('button', { name: 'Create draft' }).click();
  // Refused on its field; without JavaScript the form comes back empty, to be filled again.
  await expect(page.getByRole('alert')).toContainText('not a number: use digits');
  await page.getByLabel('Customer').selectOption({ label: `${customer.name} (EUR)` });
  await page.getByLabel('Charge code').fill('GOODWILL');
  await page.getByLabel('Charge description').fill('Late delivery');
  await page.getByLabel('Charge amount').fill('15.00');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { name: /^Credit note Draft #\d+$/ })).toBeVisible();
  await expect(figure(page, 'Total')).toHaveText('€15.00');
  await expect(page.getByText('Standalone credit: GOODWILL')).toBeVisible();
});
