import { Page, APIRequestContext } from '@playwright/test';
import { expect, signIn, apiAs, figure, waitForHydration } from './fixtures';
import { draftNoteFor } from './credit-note-flow';

/// A minimal PDF: what the file starts with is what makes it one.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/// What leaves the building: a finalized note exported as PDF and sent by e-mail (queued in the
/// outbox: the test server has no mail server, so the timeline says queued), a supporting file
/// uploaded on the Documents tab, a task on the Activities tab, the related invoice's tab.
export async function documentsFlow(page: Page, request: APIRequestContext, name: string, js: boolean) {
  const ready = async () => {
    if (js) await waitForHydration(page);
  };
  const { invoice, note } = await draftNoteFor(request, name);
  const post = await apiAs(request, 'admin@creditdesk.example');
  const final = await post(`/credit-notes/${note.id}/finalize`);

  await signIn(page, 'credit.manager@creditdesk.example');
  await page.goto(`/credit-notes/${note.id}`);
  await ready();
  const pdf = page.getByRole('link', { name: 'Export PDF' });
  const href = await pdf.getAttribute('href');
  const download = await page.request.get(href!);
  expect(download.headers()['content-type']).toBe('application/pdf');
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

  const send = page.getByRole('form', { name: 'Send by e-mail' });
  await send.getByLabel('To').fill('ap.example.com');
  await send.getByRole('button', { name: 'Send by e-mail' }).click();
  await expect(page.getByText('ap.example.com is not an e-mail address')).toBeVisible();
  await ready();
  await page.getByRole('form', { name: 'Send by e-mail' }).getByLabel('To').fill('ap@example.com');
  await page.getByRole('form', { name: 'Send by e-mail' }).getByRole('button', { name: 'Send by e-mail' }).click();
  await expect(page.getByRole('list', { name: 'Credit note timeline' })).toContainText('E-mail to ap@example.com queued');

  await page.getByRole('navigation', { name: 'Credit note' }).getByRole('link', { name: 'Documents' }).click();
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await ready();
  await page.getByLabel(/Add a file/).setInputFiles({ name: 'delivery note.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('table', { name: 'Supporting files' })).toContainText('delivery note.pdf');
  // A finalized note keeps its files.
  await expect(page.getByRole('button', { name: 'Remove delivery note.pdf' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Credit note' }).getByRole('link', { name: 'Activities' }).click();
  await expect(page.getByRole('heading', { name: 'Activities' })).toBeVisible();
  await ready();
  const task = page.getByRole('form', { name: 'New task' });
  await task.getByLabel('Title').fill('Call the customer about the refund');
  await task.getByLabel('Assignee').selectOption({ label: 'credit.manager@creditdesk.example' });
  await task.getByRole('button', { name: 'Add task' }).click();
  const tasks = page.getByRole('table', { name: 'Tasks' });
  await expect(tasks).toContainText('Call the customer about the refund');
  await ready();
  await page.getByRole('button', { name: 'Mark done: Call the customer about the refund' }).click();
  await expect(tasks).toContainText('Done');

  await page.getByRole('navigation', { name: 'Credit note' }).getByRole('link', { name: 'Related invoice' }).click();
  await figure(page, 'Invoice').getByRole('link', { name: invoice.number }).click();
  await expect(page.getByRole('heading', { name: `Invoice ${invoice.number}` })).toBeVisible();
  expect(final.number).toMatch(/^CN-\d{4}-\d{5}$/);
}
