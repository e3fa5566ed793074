// #region readme-testing
import { expect, test } from 'flowtrace/testing';

test('adding a note reaches the database', async ({ page, traces }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('status')).toHaveText(/Note \d+ added/);
  const trace = await traces.rootedAt('note.add'); // flushes both sides, waits until complete
  expect(trace).toHaveSpanTree(`
    browser: note.add
      browser: POST [client]
        server: POST /api/notes
          db: INSERT flowtrace_example_notes`);
});
// #endregion readme-testing
