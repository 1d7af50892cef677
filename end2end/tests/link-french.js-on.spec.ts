import { test, expect, waitForHydration } from './fixtures';
import { linkInFrench } from './link-french-flow';

test('the hydrated dialog reads a French decimal comma and previews in French', async ({ page, request }) => {
  await linkInFrench(page, request, 'Dupont (JS on) SARL', async (page, invoiceId) => {
    await page.goto(`/invoices/${invoiceId}`);
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Lier des avoirs' }).click();
    // The preview reads what a French user types, before anything is posted.
    const dialog = page.getByRole('dialog', { name: 'Lier des avoirs' });
    await dialog.getByRole('checkbox').first().check();
    await expect(dialog.getByRole('status', { name: 'Nouveau reste dû' })).toHaveText(/^490,00\s€$/);
    const amount = dialog.getByRole('textbox').first();
    await amount.fill('2,50');
    await expect(dialog.getByRole('status', { name: 'Nouveau reste dû' })).toHaveText(/^497,50\s€$/);
    await amount.fill('0,00');
    await expect(dialog.getByText('Le montant doit être supérieur à zéro')).toBeVisible();
    await amount.fill('');
    await dialog.getByRole('checkbox').first().uncheck();
  });
});
