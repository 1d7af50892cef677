import { test, expect, signIn, figure, waitForHydration, apiAs, customerWithNotes } from './fixtures';

test('the link dialog works from the keyboard alone', async ({ page, request }) => {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { invoice, notes } = await customerWithNotes(post, 'Keyboard Ltd', '300.00', ['20.00', '30.00']);
  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/invoices/${invoice.id}`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Link credit notes' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Link credit notes' });
  await expect(dialog).toBeVisible();

  // Focus moves into the dialog, onto the first note.
  const first = dialog.getByRole('checkbox', { name: `Select ${notes[0].number}` });
  await expect(first).toBeFocused();
  // Tab never leaves the dialog, forwards or backwards.
  const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await inDialog()).toBe(true);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inDialog()).toBe(true);
  }

  // Escape closes it.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/invoices/${invoice.id}$`));

  // Space ticks a note, Enter links it.
  await page.goto(`/invoices/${invoice.id}?link=open`);
  await waitForHydration(page);
  await expect(first).toBeFocused();
  await page.keyboard.press('Space');
  await expect(first).toBeChecked();
  await expect(page.getByLabel('New outstanding amount')).toHaveText('€280.00');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(figure(page, 'Outstanding')).toHaveText('€280.00');
});
