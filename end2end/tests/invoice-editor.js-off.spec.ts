import { test } from './fixtures';
import { invoiceEditor } from './invoice-editor-flow';

test('an invoice is drafted, edited, issued and corrected as plain HTML forms', async ({ page, request }) => {
  await invoiceEditor(page, request, 'Editor (JS off) AG', false);
});
