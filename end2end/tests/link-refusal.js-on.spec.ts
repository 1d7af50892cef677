import { test, expect, waitForHydration, signIn, figure, apiAs, customerWithNotes } from './fixtures';

test('a note the server refuses shows why in its own row of the hydrated dialog', async ({ page, request }) => {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { invoice, notes } = await customerWithNotes(post, 'Refusals (JS on) Ltd', '500.00', ['10.00', '20.00', '30.00']);
  const [first, , third] = notes;

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Link credit notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await expect(dialog).toBeVisible();

  // The first and the third of three notes; the third for all of its 30.00.
  await dialog.getByRole('checkbox', { name: `Select ${first.number}` }).check();
  await dialog.getByRole('checkbox', { name: `Select ${third.number}` }).check();
  await dialog.getByRole('textbox', { name: `Amount for ${third.number}` }).fill('30.00');
  await expect(dialog.getByRole('status', { name: 'New outstanding amount' })).toHaveText('€460.00');

  // Meanwhile someone refunds 10.00 of the third note: the server refuses the second request.
  await post(`/credit-notes/${third.id}/refunds`, { amount: '10.00', date: '2026-11-06' });
  await dialog.getByRole('button', { name: 'Link selected' }).click();

  const message = 'Only 20.00 EUR remain on this credit note';
  await expect(dialog.getByRole('row', { name: new RegExp(third.number) })).toContainText(message);
  await expect(dialog.getByRole('row', { name: new RegExp(first.number) })).not.toContainText(message);
  await expect(figure(page, 'Outstanding')).toHaveText('€500.00');
});
