import { test } from './fixtures';
import { journalFlow } from './journal-flow';

test('a finalized note is found in the journal and the FEC is downloaded with plain pages', async ({ page, request }) => {
  await journalFlow(page, request, 'Journal (JS off) SARL', false);
});
