import { test } from './fixtures';
import { importFlow } from './import-flow';

test('invoices are imported from a CSV file after a preview', async ({ page, request }) => {
  await importFlow(page, request, 'Import (JS on) GmbH', true);
});
