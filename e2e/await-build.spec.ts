import { awaitCases } from './await-cases.ts';
import { concurrentFlowChildren, expectThreeFetchesUnderFlow, openHarness } from './await-checks.ts';
import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => openHarness(page));

awaitCases('await in a production build');

test('await in a production build: every fetch after a native await is a child of its flow', async ({ page, traces }) => {
  await expectThreeFetchesUnderFlow(page, traces, 'await.build');
});

test('await in a production build: two concurrent flows each keep exactly their own fetches', async ({ page, traces }) => {
  expect(await concurrentFlowChildren(page, traces)).toEqual({
    'flow.one': ['flow.one-1', 'flow.one-2'],
    'flow.two': ['flow.two-1', 'flow.two-2'],
  });
});

test('await in a production build: a nested flow is a child of its outer flow, with its own fetch', async ({ page, traces }) => {
  await page.evaluate(() => globalThis.flowtraceScenarios.nestedFlows());
  const trace = await traces.rootedAt('outer.flow');
  expect(trace).toHaveSpanTree({
    name: 'outer.flow',
    attributes: { 'flowtrace.flow.outcome': 'ok' },
    children: [
      { kind: 'client', attributes: { 'url.full': /step=outer/ } },
      { name: 'inner.flow', attributes: { 'flowtrace.flow.outcome': 'ok' }, children: [{ kind: 'client', attributes: { 'url.full': /step=inner/ } }] },
    ],
  });
});

test('the default build loads no zone.js; asyncContext: zone loads it on demand, and flows still work', async ({ page, traces }) => {
  // openHarness initialised the default mode (the await transform).
  expect(await page.evaluate(() => 'Zone' in globalThis)).toBe(false);
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  expect(await page.evaluate(() => 'Zone' in globalThis)).toBe(false);
  const loaded = await page.evaluate(async () => {
    await globalThis.flowtraceInitForTest({ asyncContext: 'zone' }).ready;
    return typeof (globalThis as { Zone?: unknown }).Zone;
  });
  expect(loaded).toBe('function');
  await page.evaluate(() => globalThis.flowtraceSdk.runFlow('zone.flow', () => fetch('/api/rooms?step=zone')));
  expect(await traces.rootedAt('zone.flow')).toHaveSpanTree({ name: 'zone.flow', children: [{ kind: 'client', attributes: { 'url.full': /step=zone/ } }] });
});
