import { test, expect, waitForHydration, signIn, figure } from './fixtures';

test('links a credit note in the hydrated dialog and previews the new outstanding amount', async ({ page }) => {
  await signIn(page, 'credit.manager@creditdesk.example');
  await expect(page).toHaveURL(/\/invoices$/);
  await page.getByRole('link', { name: 'INV-2026-00001' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-2026-00001' })).toBeVisible();
  await waitForHydration(page);
  await expect(figure(page, 'Outstanding')).toHaveText('€1,200.00');

  // A marker on window survives only if the dialog opens without a page load.
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByRole('button', { name: 'Link credit notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await expect(dialog).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // The other-currency note is listed but cannot be picked, and says why.
  const usdRow = dialog.getByRole('row', { name: /CN-2026-00003/ });
  await expect(usdRow.getByRole('checkbox')).toBeDisabled();
  await expect(usdRow).toContainText('Different currency: the credit note is in USD, the invoice in EUR');
  // The draft note is not offered at all.
  await expect(dialog.getByRole('row', { name: /Draft/ })).toHaveCount(0);

  // The preview runs the same rules as the server, live.
  await dialog.getByRole('checkbox', { name: 'Select CN-2026-00001' }).check();
  await expect(dialog.getByRole('status', { name: 'New outstanding amount' })).toHaveText('€900.00');
  await dialog.getByRole('checkbox', { name: 'Select CN-2026-00002' }).check();
  await expect(dialog.getByRole('status', { name: 'New outstanding amount' })).toHaveText('€840.00');
  await dialog.getByRole('textbox', { name: 'Amount for CN-2026-00002' }).fill('70.00');
  await expect(dialog).toContainText('Only 60.00 EUR remain on this credit note');
  await dialog.getByRole('textbox', { name: 'Amount for CN-2026-00002' }).fill('10.00');
  await expect(dialog.getByRole('status', { name: 'New outstanding amount' })).toHaveText('€890.00');

  await dialog.getByRole('button', { name: 'Link selected' }).click();
  await expect(dialog).toBeHidden();
  await expect(figure(page, 'Outstanding')).toHaveText('€890.00');
  await expect(figure(page, 'Credited')).toHaveText('€310.00');
  const linked = page.getByRole('table', { name: 'Linked credit notes' });
  await expect(linked.getByRole('row', { name: /CN-2026-00001/ })).toContainText('€300.00');
  await expect(linked.getByRole('row', { name: /CN-2026-00002/ })).toContainText('€10.00');
  await expect(page.getByRole('list', { name: 'Invoice timeline' })).toContainText(
    'Credit note CN-2026-00001 linked: €300.00',
  );
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // The fully used note is no longer offered; the partly used one shows what remains.
  await page.getByRole('button', { name: 'Link credit notes' }).click();
  await expect(dialog.getByRole('row', { name: /CN-2026-00001/ })).toHaveCount(0);
  await expect(dialog.getByRole('row', { name: /CN-2026-00002/ })).toContainText('€50.00');

  // Unlinking in the hydrated page, again without a reload.
  await page.getByRole('link', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Unlink CN-2026-00002' }).click();
  await expect(figure(page, 'Outstanding')).toHaveText('€900.00');
  await expect(linked.getByRole('row', { name: /CN-2026-00002/ })).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});
