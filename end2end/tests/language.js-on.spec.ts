import { test, expect, waitForHydration, signIn, apiAs, DEMO_PASSWORD } from './fixtures';

test('the top bar switches the screens to German, the hydrated app speaks it, and the account keeps it', async ({ page, request }) => {
  // A user of this test's own: the choice is kept with the account.
  const email = `sprache.${Date.now()}@creditdesk.example`;
  const post = await apiAs(request, 'admin@creditdesk.example');
  await post('/users', { email, password: DEMO_PASSWORD, role: 'credit_manager' });
  await signIn(page, email);
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

  // Another browser, English until the user signs in: then German, as the account says.
  const other = await page.context().browser()!.newContext({ locale: 'en-US', baseURL: new URL(page.url()).origin });
  const second = await other.newPage();
  await second.goto('/login');
  await expect(second.locator('html')).toHaveAttribute('lang', 'en');
  await waitForHydration(second);
  await second.getByLabel('Email').fill(email);
  await second.getByLabel('Password').fill(DEMO_PASSWORD);
  await second.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.locator('html')).toHaveAttribute('lang', 'de');
  await expect(second.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Rechnungen' })).toBeVisible();
  await other.close();
});
