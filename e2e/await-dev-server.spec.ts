import { awaitCases } from './await-cases.ts';
import { concurrentFlowChildren, expectThreeFetchesUnderFlow, openHarness } from './await-checks.ts';
import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => openHarness(page));

awaitCases('await under the Vite dev server');

test('await under the Vite dev server: every fetch after a native await is a child of its flow', async ({ page, traces }) => {
  await expectThreeFetchesUnderFlow(page, traces, 'await.dev_server');
});

test('await under the Vite dev server: two concurrent flows each keep exactly their own fetches', async ({ page, traces }) => {
  expect(await concurrentFlowChildren(page, traces)).toEqual({
    'flow.one': ['flow.one-1', 'flow.one-2'],
    'flow.two': ['flow.two-1', 'flow.two-2'],
  });
});

test('the dev server build is development mode: test hooks answer without being enabled', async ({ page }) => {
  // openHarness enabled them explicitly; a second page shows the development default.
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready', { timeout: 30_000 });
  const settles = await page.evaluate(() => {
    globalThis.flowtraceSdk.createClientTracing({ exportDelayMs: 0 });
    return typeof globalThis.__FLOWTRACE_TEST__?.settle;
  });
  expect(settles).toBe('function');
});
