import { type Page, type APIRequestContext } from '@playwright/test';
import { expect, signIn, figure, apiAs, customerWithNotes } from './fixtures';

/// A French user links part of a note typed with a decimal comma ("12,50") and sees amounts as
/// French writes them ("487,50 €"); an amount with too many decimals is refused in French on
/// its row. `open` opens the dialog (a button with JavaScript, the URL without).
export async function linkInFrench(
  page: Page,
  request: APIRequestContext,
  name: string,
  open: (page: Page, invoiceId: number) => Promise<void>,
) {
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { invoice, notes } = await customerWithNotes(post, name, '500.00', ['10.00', '30.00']);
  const [, second] = notes;

  await signIn(page, 'credit.manager@creditdesk.example');
  const url = new URL(page.url());
  await page.context().addCookies([{ name: 'lang', value: 'fr', url: url.origin }]);
  await open(page, invoice.id);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const dialog = page.getByRole('dialog', { name: 'Lier des avoirs' });
  await expect(dialog).toBeVisible();

  // Too many decimals for euros: refused on the note's own row, in French.
  await dialog.getByRole('checkbox', { name: `Sélectionner ${second.number}` }).check();
  await dialog.getByRole('textbox', { name: `Montant pour ${second.number}` }).fill('12,505');
  await dialog.getByRole('button', { name: 'Lier la sélection' }).click();
  await expect(dialog.getByRole('row', { name: new RegExp(second.number) })).toContainText('2 décimales au plus');
  await expect(figure(page, 'Reste dû')).toHaveText(/^500,00\s€$/);

  // With a decimal comma, as French writes it.
  await dialog.getByRole('checkbox', { name: `Sélectionner ${second.number}` }).check();
  await dialog.getByRole('textbox', { name: `Montant pour ${second.number}` }).fill('12,50');
  await dialog.getByRole('button', { name: 'Lier la sélection' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(figure(page, 'Reste dû')).toHaveText(/^487,50\s€$/);
  await expect(page.getByRole('table', { name: 'Avoirs liés' })).toContainText(second.number);
}
