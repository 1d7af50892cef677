import { test } from './fixtures';
import { creditNoteLife } from './credit-note-flow';

test('a credit note goes from draft to refunded with plain form posts', async ({ page, request }) => {
  await creditNoteLife(page, request, 'Credit life (JS off) GmbH', false);
});
