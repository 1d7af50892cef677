import { test as base, expect, Page } from '@playwright/test';

/// Every test fails on an uncaught page error or a console error: a wasm bundle can load and
/// still die during hydration, leaving a page that looks right and does nothing.
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // A server function that refuses (wrong password, a broken rule) answers with an error
        // status the page then shows; Chromium logs every such response. Those are expected.
        const refusedServerFunction =
          message.text().startsWith('Failed to load resource') && message.location().url.includes('/rpc/');
        if (!refusedServerFunction) problems.push(`console error: ${message.text()}`);
      });
      await use();
      expect(problems, 'the page reported errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/// Waits until the client app has hydrated the server-rendered page.
export async function waitForHydration(page: Page) {
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1, { timeout: 15_000 });
}

export const DEMO_PASSWORD = 'creditdesk-demo';

/// Signs in through the login page, as a person would.
export async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(email)).toBeVisible();
}

/// The value shown for a labelled figure of a page ("Outstanding", "Credited"): the
/// definition that follows its term.
export function figure(page: Page, label: string) {
  return page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
}
