import { test } from './fixtures';
import { documentsFlow } from './documents-flow';

test('a finalized note is exported, sent, documented and tasked in the browser app', async ({ page, request }) => {
  await documentsFlow(page, request, 'Documents (JS on) GmbH', true);
});
