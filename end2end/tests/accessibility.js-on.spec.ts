import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { test, expect, signIn, waitForHydration, apiAs, customerWithNotes } from './fixtures';

/// No serious or critical WCAG 2 A/AA violation on the page as it stands.
async function expectAccessible(page: Page, screen: string) {
  await waitForHydration(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, `${screen} has accessibility violations`).toEqual([]);
}

test('every staff screen passes axe without serious or critical violations', async ({ page, request }) => {
  // Sixteen screens, each loaded, hydrated and analysed: more than one page's default budget.
  test.setTimeout(120_000);
  const post = await apiAs(request, 'admin@creditdesk.example');
  const { customer, invoice, notes } = await customerWithNotes(post, 'Accessible Ltd', '300.00', ['20.00']);
  await page.goto('/login');
  await expectAccessible(page, 'sign-in');
  await signIn(page, 'credit.manager@creditdesk.example');
  const screens: [string, string][] = [
    ['invoices', '/invoices'],
    ['invoice page with the link dialog', `/invoices/${invoice.id}?link=open`],
    ['credit this invoice', `/invoices/${invoice.id}/credit`],
    ['credit notes', '/credit-notes?status=all'],
    ['credit notes by invoice', '/credit-notes?status=all&view=by-invoice'],
    ['credit note page', `/credit-notes/${notes[0].id}`],
    ['new credit note', '/credit-notes/new'],
    ['new standalone credit', '/credit-notes/new?kind=charge'],
    ['new invoice', '/invoices/new'],
    ['correction invoice', `/invoices/new?corrects=${invoice.id}`],
    ['customers', '/customers'],
    ['customer credits', `/customers/${customer.id}`],
    ['customer invoices', `/customers/${customer.id}?tab=invoices`],
    ['journal', '/journal'],
    ['import', '/imports'],
  ];
  for (const [screen, path] of screens) {
    await page.goto(path);
    await expectAccessible(page, screen);
  }
});

test('the settings screen passes axe without serious or critical violations', async ({ page }) => {
  await signIn(page, 'admin@creditdesk.example');
  await page.goto('/settings');
  await expectAccessible(page, 'settings');
});

test('the portal passes axe without serious or critical violations', async ({ page }) => {
  await signIn(page, 'portal@acme.example');
  await expectAccessible(page, 'portal');
});
