import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';

test('one session.id joins every trace of a visit, on browser, server and database spans', async ({ page, traces }) => {
  await page.goto('/');
  await register(page, newAccount('Journey'));
  await page.getByLabel('Room name').fill(`Journey ${Date.now()}`);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(/created/);
  await page.getByRole('button', { name: /^Invite to Journey/ }).click();
  await expect(page.locator('#invite-status')).toHaveText(/ready/);

  const settled = await traces.settle({ minTraces: 5 });
  for (const flow of ['auth.register', 'room.create', 'invitation.create']) {
    expect(settled.some((trace) => trace.spans.some((span) => span.name === flow && span.side === 'browser'))).toBe(true);
  }
  const spans = settled.flatMap((trace) => trace.spans);
  const sessionIds = new Set(spans.map((span) => span.attributes['session.id']));
  expect([...sessionIds]).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
  expect(spans.some((span) => span.side === 'server' && 'db.system.name' in span.attributes)).toBe(true);
});
