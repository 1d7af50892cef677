import { test, expect, signIn, figure, apiAs, customerWithNotes, today } from './fixtures';

test('a note the server refuses shows why in its own row without JavaScript', async ({ page, request }) => {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { customer, invoice, notes } = await customerWithNotes(post, 'Refusals (JS off) Ltd', '500.00', [
    '10.00',
    '20.00',
    '30.00',
  ]);
  const [first, , third] = notes;

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}?link=open`);
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('checkbox', { name: `Select ${first.number}` }).check();
  await dialog.getByRole('checkbox', { name: `Select ${third.number}` }).check();
  await dialog.getByRole('textbox', { name: `Amount for ${third.number}` }).fill('30.00');

  // Meanwhile another request links 25.00 of the third note to another invoice.
  const other = await post('/invoices', {
    customer_id: customer.id,
    currency: 'EUR',
    issue_date: today(),
    lines: [{ description: 'Other', quantity: '1', unit_price: '100.00', tax_rate: '0' }],
  });
  await post(`/invoices/${other.id}/allocations`, { allocations: [{ credit_note_id: third.id, amount: '25.00' }] });
  await dialog.getByRole('button', { name: 'Link selected' }).click();

  const message = 'Only 5.00 EUR remain on this credit note';
  await expect(page.getByRole('alert')).toContainText(message);
  await expect(dialog.getByRole('row', { name: new RegExp(third.number) })).toContainText(message);
  await expect(dialog.getByRole('row', { name: new RegExp(first.number) })).not.toContainText(message);
  await expect(figure(page, 'Outstanding')).toHaveText('€500.00');
});
