import { test } from './fixtures';
import { creditNoteLife } from './credit-note-flow';

test('a credit note goes from draft to refunded in the browser app', async ({ page, request }) => {
  await creditNoteLife(page, request, 'Credit life (JS on) GmbH', true);
});
