import { test, expect, waitForHydration, signIn } from './fixtures';

test('pages send visitors without a session to sign in, and back', async ({ page }) => {
  await page.goto('/credit-notes?status=all');
  await expect(page).toHaveURL(/\/login\?next=%2Fcredit-notes%3Fstatus%3Dall$/);
  // The hydrated form keeps the email after a refusal; a plain post would reload the page.
  await waitForHydration(page);
  await page.getByLabel('Email').fill('viewer@creditdesk.example');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Sign in with a valid email and password');
  await page.getByLabel('Password').fill('creditdesk-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/credit-notes\?status=all$/);
  await expect(page.getByRole('heading', { name: 'Credit notes' })).toBeVisible();
});

test('a viewer reads invoices but is not offered linking', async ({ page }) => {
  await signIn(page, 'viewer@creditdesk.example');
  await page.getByRole('link', { name: 'INV-2026-00002' }).click();
  await expect(page.getByRole('heading', { name: 'Invoice INV-2026-00002' })).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByRole('button', { name: 'Link credit notes' })).toHaveCount(0);
  // Even the dialog's address shows nothing to a viewer.
  await page.goto('/invoices/2?link=open');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('the portal shows a customer only its own finalized documents', async ({ page }) => {
  await signIn(page, 'portal@acme.example');
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('heading', { name: 'Acme Retail GmbH' })).toBeVisible();
  const notes = page.getByRole('table', { name: 'Your credit notes' });
  await expect(notes).toContainText('CN-2026-00001');
  await expect(notes).not.toContainText('Draft');
  await expect(notes).not.toContainText('CN-2026-00004'); // Globex's note
  const invoices = page.getByRole('table', { name: 'Your invoices' });
  await expect(invoices).toContainText('INV-2026-00001');
  await expect(invoices).not.toContainText('INV-2026-00003'); // Globex's invoice
  // Its credit notes download as PDF with the browser session.
  const pdfLink = notes.getByRole('link', { name: 'PDF of CN-2026-00001' });
  const pdf = await page.request.get((await pdfLink.getAttribute('href'))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  // Another customer's invoice is not found, so ids cannot be probed.
  const response = await page.request.get('/invoices/3');
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain('The invoice was not found');
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'sales@creditdesk.example');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/invoices');
  await expect(page).toHaveURL(/\/login\?next=%2Finvoices$/);
});
