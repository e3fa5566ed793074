import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
});

test('a flow can end as cancelled, with the reason, and an AbortError cancels it too', async ({ page, traces }) => {
  await page.evaluate(async () => {
    const sdk = globalThis.flowtraceSdk;
    globalThis.flowtraceInitForTest();
    await sdk.runFlow('room.rename', async (flow) => {
      await fetch('/api/rooms');
      flow.cancel('user closed the dialog');
    });
    const controller = new AbortController();
    const aborted = sdk.runFlow('room.search', () => {
      const pending = fetch('/api/rooms', { signal: controller.signal });
      controller.abort();
      return pending;
    });
    await aborted.catch(() => undefined);
    const handle = sdk.startFlow('room.import', { attributes: { 'simplycaster.import.files': 2 } });
    await handle.run(() => fetch('/api/rooms'));
    handle.fail('file 2 is not a room export');
    handle.end();
  });
  const spans = (await traces.settle({ minTraces: 3 })).flatMap((trace) => trace.spans);
  const flow = (name: string) => spans.find((span) => span.name === name)!;
  expect(flow('room.rename').attributes).toMatchObject({ 'flowtrace.flow.outcome': 'cancelled', 'flowtrace.flow.reason': 'user closed the dialog' });
  expect(flow('room.rename').status.code).toBe('unset');
  expect(flow('room.search').attributes['flowtrace.flow.outcome']).toBe('cancelled');
  expect(flow('room.import')).toMatchObject({
    status: { code: 'error', message: 'file 2 is not a room export' },
    attributes: { 'flowtrace.flow.outcome': 'error', 'simplycaster.import.files': 2 },
  });
});

test('clicking an element with data-flow starts a flow named by it, with the fetch it starts as child', async ({ page, traces }) => {
  await page.evaluate(() => void globalThis.flowtraceInitForTest());
  await page.getByRole('button', { name: 'Load rooms' }).click();
  await expect(page.locator('#out')).toHaveText('rooms 200');
  const trace = await traces.rootedAt('harness.load_rooms');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'harness.load_rooms',
    attributes: { 'flowtrace.flow.trigger': 'click', 'flowtrace.click.target_name': 'Load rooms', 'flowtrace.flow.outcome': 'ok' },
    children: [{ kind: 'client', children: [{ role: 'server', name: 'GET /api/rooms' }] }],
  });
});

test('an empty data-flow names the click flow after the accessible name', async ({ page, traces }) => {
  await page.evaluate(() => void globalThis.flowtraceInitForTest());
  await page.getByRole('button', { name: 'Refresh the list' }).click();
  await expect(page.locator('#out')).toHaveText('rooms 200');
  const trace = await traces.rootedAt('click "Refresh the list"');
  expect(trace).toHaveSpanTree({ name: 'click "Refresh the list"', children: [{ kind: 'client' }] });
});

test('session.id goes on every span through baggage; enduser.id on browser spans only (the server trusts its own auth); an email is refused', async ({ page, traces }) => {
  const sessionId = await page.evaluate(async () => {
    const client = globalThis.flowtraceInitForTest();
    client.setUser('jane@example.com');
    await globalThis.flowtraceSdk.runFlow('before.login', () => fetch('/api/rooms'));
    client.setUser('user-42');
    await globalThis.flowtraceSdk.runFlow('after.login', () => fetch('/api/rooms'));
    return client.sessionId;
  });
  expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
  const spans = (await traces.settle({ minTraces: 2 })).flatMap((trace) => trace.spans);
  expect(spans.length).toBeGreaterThanOrEqual(8);
  expect(spans.every((span) => span.attributes['session.id'] === sessionId)).toBe(true);
  const traceOf = (name: string) => spans.filter((span) => span.traceId === spans.find((s) => s.name === name)!.traceId);
  expect(traceOf('before.login').some((span) => 'enduser.id' in span.attributes)).toBe(false);
  const after = traceOf('after.login');
  expect(after.filter((span) => span.side === 'server').length).toBeGreaterThan(0);
  expect(after.filter((span) => span.side === 'browser').every((span) => span.attributes['enduser.id'] === 'user-42')).toBe(true);
  // A user id a browser claims is not trusted: the server's default baggage allow-list drops it.
  expect(after.filter((span) => span.side === 'server').some((span) => 'enduser.id' in span.attributes)).toBe(false);
  // The same tab keeps its session across a reload.
  await page.reload();
  await expect(page.locator('#ready')).toHaveText('ready');
  expect(await page.evaluate(() => globalThis.flowtraceInitForTest().sessionId)).toBe(sessionId);
});

test('sampling decides at the root flow and the decision travels in traceparent', async ({ page, traces }) => {
  const traceparents: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/rooms?sampled=')) traceparents.push(request.headers()['traceparent'] ?? 'none');
  });
  await page.evaluate(async () => {
    globalThis.flowtraceInitForTest({ sampleRatio: 0 });
    await globalThis.flowtraceSdk.runFlow('not.sampled', () => fetch('/api/rooms?sampled=no'));
  });
  await expect.poll(() => traceparents.length).toBe(1);
  expect(traceparents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  // Nothing of the unsampled flow was exported (the server may record its side: trust is its call).
  const stored = await traces.current();
  expect(stored.flatMap((trace) => trace.spans).filter((span) => span.side === 'browser')).toEqual([]);
});

test('a sampled flow sends traceparent with the sampled flag', async ({ page, traces }) => {
  const traceparents: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/rooms?sampled=')) traceparents.push(request.headers()['traceparent'] ?? 'none');
  });
  await page.evaluate(() => {
    globalThis.flowtraceInitForTest({ sampleRatio: 1 });
    return globalThis.flowtraceSdk.runFlow('sampled', () => fetch('/api/rooms?sampled=yes'));
  });
  await expect.poll(() => traceparents.length).toBe(1);
  const trace = await traces.rootedAt('sampled');
  const flow = trace.find((span) => span.name === 'sampled')!;
  expect(traceparents[0]).toMatch(new RegExp(`^00-${flow.traceId}-[0-9a-f]{16}-01$`));
});

test('sensitive query parameters are redacted in URLs and span names before export', async ({ page, traces }) => {
  await page.evaluate(() => {
    globalThis.flowtraceInitForTest({ redactQueryParams: ['session_key'] });
    return globalThis.flowtraceSdk.runFlow('open /join?token=abc123&room=7', () =>
      fetch('/api/rooms?token=abc123&password=hunter2&code=42&signature=s1&secret=x&session_key=k&room=7'),
    );
  });
  const [trace] = await traces.settle();
  const browserText = JSON.stringify(trace!.spans.filter((span) => span.side === 'browser'));
  for (const secret of ['abc123', 'hunter2', 'code=42', 'signature=s1', 'secret=x', 'session_key=k']) expect(browserText).not.toContain(secret);
  expect(trace!.spans.some((span) => span.name === 'open /join?token=REDACTED&room=7')).toBe(true);
  const client = trace!.spans.find((span) => span.side === 'browser' && span.kind === 'client')!;
  expect(client.attributes['url.full']).toMatch(
    /\/api\/rooms\?token=REDACTED&password=REDACTED&code=REDACTED&signature=REDACTED&secret=REDACTED&session_key=REDACTED&room=7$/,
  );
});

test('a production build leaves the test hook inert unless testHooks is enabled', async ({ page }) => {
  const hooked = await page.evaluate(async () => {
    const client = globalThis.flowtraceSdk.createClientTracing({ exportDelayMs: 0 });
    const inert = typeof globalThis.__FLOWTRACE_TEST__?.settle;
    await client.shutdown();
    globalThis.flowtraceSdk.createClientTracing({ exportDelayMs: 0, testHooks: true });
    return [inert, typeof globalThis.__FLOWTRACE_TEST__?.settle];
  });
  expect(hooked).toEqual(['undefined', 'function']);
});

test('shutdown removes the click listener, the patches and the page listeners', async ({ page, traces }) => {
  const traceparents: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/rooms?from=click')) traceparents.push(request.headers()['traceparent'] ?? 'none');
  });
  await page.evaluate(async () => {
    const nativeFetch = globalThis.fetch;
    const NativePc = globalThis.RTCPeerConnection;
    const client = globalThis.flowtraceInitForTest({ webrtc: true, recording: true });
    await client.ready;
    if (globalThis.RTCPeerConnection === NativePc) throw new Error('RTCPeerConnection was not instrumented');
    await client.shutdown();
    if (globalThis.RTCPeerConnection !== NativePc) throw new Error('RTCPeerConnection still patched');
    if (globalThis.fetch !== nativeFetch) throw new Error('fetch still patched');
  });
  await page.getByRole('button', { name: 'Load rooms' }).click();
  await expect(page.locator('#out')).toHaveText('rooms 200');
  expect(traceparents).toEqual(['none']);
  const stored = await traces.current();
  expect(stored.flatMap((trace) => trace.spans).filter((span) => span.side === 'browser')).toEqual([]);
});
