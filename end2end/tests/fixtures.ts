import { test as base, expect, APIRequestContext, Page } from '@playwright/test';

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
        // The resource's address, so a failed load says what was missing.
        const where = message.location().url;
        if (!refusedServerFunction) problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
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

/// Chooses a customer in a customer field: typed into its search box (the list follows as
/// one types; without JavaScript Enter submits the search and the page comes back with the
/// matches), then picked by its label, `Name (EUR)` unless told.
export async function chooseCustomer(page: Page, name: string, js: boolean, label = `${name} (EUR)`) {
  const search = page.getByLabel('Search by name, currency or region');
  await search.fill(name);
  if (!js) await search.press('Enter');
  const field = page.getByLabel('Customer');
  await expect(field.locator('option', { hasText: label })).toHaveCount(1);
  await field.selectOption({ label });
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

/// Posts to the REST API as a demo user: test data of a test's own, and changes made "by
/// someone else" while a page is open. Fails the test on any refusal.
export async function apiAs(request: APIRequestContext, email: string) {
  const signIn = await request.post('/api/v1/auth/token', { data: { email, password: DEMO_PASSWORD } });
  expect(signIn.status(), await signIn.text()).toBe(201);
  const { token } = await signIn.json();
  return async (path: string, data: unknown = {}) => {
    const response = await request.post(`/api/v1${path}`, {
      data,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.ok(), `POST ${path}: ${await response.text()}`).toBe(true);
    return response.json();
  };
}

/// One untaxed line of `price`.
/// Today (UTC), as the server dates documents: an invoice issued with a date of its own may not
/// precede one the series already holds (the browser tests issue drafts today).
export const today = () => new Date().toISOString().slice(0, 10);

export const line = (price: string) => [{ description: 'Item', quantity: '1', unit_price: price, tax_rate: '0' }];

/// A new EUR customer in Berlin: data no other test touches.
export async function newCustomer(post: Awaited<ReturnType<typeof apiAs>>, name: string) {
  return post('/customers', {
    name,
    currency: 'EUR',
    tax_region: 'DE',
    billing_address: { line1: '1 Main St', city: 'Berlin', postal_code: '10115', country: 'DE' },
  });
}

/// A new EUR customer with a pending invoice of `invoiceTotal`: data no other test touches.
export async function customerWithInvoice(
  post: Awaited<ReturnType<typeof apiAs>>,
  name: string,
  invoiceTotal: string,
) {
  const customer = await newCustomer(post, name);
  const invoice = await post('/invoices', {
    customer_id: customer.id,
    currency: 'EUR',
    issue_date: today(),
    lines: line(invoiceTotal),
  });
  return { customer, invoice };
}

/// A new EUR customer with a pending invoice of `invoiceTotal` and finalized credit notes of
/// `noteTotals` (untaxed): data no other test touches.
export async function customerWithNotes(
  post: Awaited<ReturnType<typeof apiAs>>,
  name: string,
  invoiceTotal: string,
  noteTotals: string[],
) {
  const { customer, invoice } = await customerWithInvoice(post, name, invoiceTotal);
  const notes = [];
  for (const total of noteTotals) {
    const draft = await post('/credit-notes', {
      customer_id: customer.id,
      currency: 'EUR',
      date: today(),
      lines: line(total),
    });
    notes.push(await post(`/credit-notes/${draft.id}/finalize`));
  }
  return { customer, invoice, notes };
}
