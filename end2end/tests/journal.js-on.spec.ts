import { test } from './fixtures';
import { journalFlow } from './journal-flow';

test('a finalized note is found in the journal and the FEC is downloaded in the browser app', async ({ page, request }) => {
  await journalFlow(page, request, 'Journal (JS on) SARL', true);
});
