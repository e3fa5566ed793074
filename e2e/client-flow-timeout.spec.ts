/**
 * The flow cap: a flow whose request never answers ends at its cap with outcome `timeout` and
 * the reason, instead of staying open forever. The cap is configured small here (the default is
 * 30 s); the request is held by the test and released once the flow has been seen ending.
 */
import type { Route } from '@playwright/test';
import type { SpanRecord } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
});

test('a click flow whose request hangs ends at its cap as timeout, with the reason; the request stays its child', async ({ page, traces }) => {
  const held: Route[] = [];
  await page.route('**/api/rooms?from=click', (route) => void held.push(route));
  await page.evaluate(() => void globalThis.flowtraceInitForTest({ flowTimeoutMs: 300 }));
  await page.getByRole('button', { name: 'Load rooms' }).click();

  let flow: SpanRecord | undefined;
  await expect
    .poll(async () => (flow = (await traces.current()).flatMap((trace) => trace.spans).find((span) => span.name === 'harness.load_rooms')))
    .toBeDefined();
  expect(held).toHaveLength(1);
  expect(flow!.status).toEqual({ code: 'error', message: expect.stringContaining('still open after 300 ms') });
  expect(flow!.attributes).toMatchObject({ 'flowtrace.flow.outcome': 'timeout', 'flowtrace.flow.reason': expect.stringContaining('never finished') });
  expect(flow!.endTime - flow!.startTime).toBeGreaterThanOrEqual(300);

  // Released, the request ends (late) under the flow it belonged to.
  await held[0]!.fulfill({ status: 200, json: { rooms: [] } });
  await expect(page.locator('#out')).toHaveText('rooms 200');
  // The flow ended long before its request did: the late request span is waited for by condition,
  // as the flow no longer holds the page's flush open for it.
  await expect
    .poll(async () => (await traces.current()).flatMap((trace) => trace.spans).some((span) => span.kind === 'client'))
    .toBe(true);
  expect(await traces.rootedAt('harness.load_rooms')).toHaveSpanTree({
    name: 'harness.load_rooms',
    attributes: { 'flowtrace.flow.outcome': 'timeout' },
    children: [{ kind: 'client' }],
  });
});

test("a flow's own timeoutMs wins over the default cap; startFlow, ended by its caller, has no cap unless asked", async ({ page, traces }) => {
  const held: Route[] = [];
  await page.route('**/api/rooms?hang=*', (route) => void held.push(route));
  await page.evaluate(() => {
    globalThis.flowtraceInitForTest({ flowTimeoutMs: 200 });
    const sdk = globalThis.flowtraceSdk;
    void sdk.runFlow('later.flow', () => fetch('/api/rooms?hang=1'), { timeoutMs: 400 });
    void sdk.runFlow('uncapped.flow', () => fetch('/api/rooms?hang=2'), { timeoutMs: 0 });
    const manual = sdk.startFlow('manual.flow');
    void manual.run(() => fetch('/api/rooms?hang=3')).then(() => manual.end());
  });
  let spans: SpanRecord[] = [];
  await expect.poll(async () => (spans = (await traces.current()).flatMap((trace) => trace.spans)).some((span) => span.name === 'later.flow')).toBe(true);
  const later = spans.find((span) => span.name === 'later.flow')!;
  expect(later.attributes['flowtrace.flow.outcome']).toBe('timeout');
  expect(later.endTime - later.startTime).toBeGreaterThanOrEqual(400);
  // Past the default cap of 200 ms, the flows without one are still open.
  expect(spans.filter((span) => span.name === 'uncapped.flow' || span.name === 'manual.flow')).toEqual([]);
  await expect.poll(() => held.length).toBe(3);
  for (const route of held) await route.fulfill({ status: 200, json: { rooms: [] } });
  for (const name of ['uncapped.flow', 'manual.flow']) {
    const trace = await traces.rootedAt(name);
    expect(trace.find((span) => span.name === name)!.attributes['flowtrace.flow.outcome']).toBe('ok');
  }
});
