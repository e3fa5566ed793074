import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test('a click that navigates away still delivers every span, its open flow ended as unloaded', async ({ page, traces }) => {
  await signUp(page.context(), 'Leaver'); // "Save and leave" creates a room, which needs an account
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  // A long export delay: only the pagehide flush can deliver the spans before the page is gone.
  await page.evaluate(() => void globalThis.flowtraceInitForTest({ exportDelayMs: 60_000 }));
  await page.getByRole('button', { name: 'Save and leave' }).click();
  await page.waitForURL(/left=1/);
  await expect(page.locator('#ready')).toHaveText('ready');

  const trace = await traces.rootedAt('harness.leave');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'harness.leave',
    attributes: { 'flowtrace.flow.outcome': 'unloaded' },
    children: [
      {
        kind: 'client',
        attributes: { 'http.request.method': 'POST' },
        children: [
          { role: 'server', name: 'POST /api/rooms', children: [{ name: 'room.create', children: [{ role: 'db', name: 'INSERT rooms' }] }] },
        ],
      },
    ],
  });
});
