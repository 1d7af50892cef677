import { test, expect, waitForHydration, signIn } from './fixtures';

test('the top bar switches the screens to German, and the hydrated app speaks it too', async ({ page }) => {
  await signIn(page, 'credit.manager@creditdesk.example');
  await waitForHydration(page);
  await page.getByLabel('Language').selectOption('de');
  await page.getByRole('button', { name: 'Apply' }).click();
  // A new page in German, which hydrates from the German texts it carries.
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await waitForHydration(page);
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  await expect(nav.getByRole('link', { name: 'Rechnungen' })).toBeVisible();
  // Moving on inside the app (no new page), the bar is still rendered in German.
  await nav.getByRole('link', { name: 'Gutschriften' }).click();
  await expect(page).toHaveURL(/\/credit-notes/);
  await expect(nav.getByRole('link', { name: 'Kunden' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
});
