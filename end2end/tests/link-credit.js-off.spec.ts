import { test, expect, signIn, figure } from './fixtures';

test('the link dialog works as plain HTML forms without JavaScript', async ({ page }) => {
  await signIn(page, 'admin@creditdesk.example');
  await page.goto('/invoices/4');
  await expect(page.getByRole('heading', { name: 'Invoice INV-2026-00004' })).toBeVisible();
  await expect(figure(page, 'Outstanding')).toHaveText('€2,160.00');

  await page.getByRole('button', { name: 'Link credit notes' }).click();
  await expect(page).toHaveURL(/\/invoices\/4\?link=open$/);
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await expect(dialog).toBeVisible();

  // A bad amount comes back from the server as a message next to the field; nothing is linked.
  await dialog.getByRole('checkbox', { name: 'Select CN-2026-00005' }).check();
  await dialog.getByRole('textbox', { name: 'Amount for CN-2026-00005' }).fill('12.345');
  await dialog.getByRole('button', { name: 'Link selected' }).click();
  await expect(page.getByRole('alert')).toContainText('at most 2 decimal places');
  await expect(figure(page, 'Outstanding')).toHaveText('€2,160.00');

  await dialog.getByRole('checkbox', { name: 'Select CN-2026-00005' }).check();
  await dialog.getByRole('textbox', { name: 'Amount for CN-2026-00005' }).fill('');
  await dialog.getByRole('button', { name: 'Link selected' }).click();
  await expect(page).toHaveURL(/\/invoices\/4$/);
  await expect(figure(page, 'Outstanding')).toHaveText('€1,440.00');
  await expect(page.getByRole('table', { name: 'Linked credit notes' })).toContainText('CN-2026-00005');
  await expect(page.getByRole('list', { name: 'Invoice timeline' })).toContainText(
    'Credit note CN-2026-00005 linked: €720.00',
  );

  // Unlinking is a plain form post too, and gives the amount back.
  await page.getByRole('button', { name: 'Unlink CN-2026-00005' }).click();
  await expect(figure(page, 'Outstanding')).toHaveText('€2,160.00');
  await expect(page.getByRole('list', { name: 'Invoice timeline' })).toContainText(
    'Credit note CN-2026-00005 unlinked: €720.00',
  );
});
