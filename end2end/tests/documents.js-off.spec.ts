import { test } from './fixtures';
import { documentsFlow } from './documents-flow';

test('a finalized note is exported, sent, documented and tasked with plain form posts', async ({ page, request }) => {
  await documentsFlow(page, request, 'Documents (JS off) GmbH', false);
});
