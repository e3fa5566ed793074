import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
});

test('a wrong init option throws at init with a message saying how to fix it', async ({ page }) => {
  const messages = await page.evaluate(() => {
    const attempt = (options: object) => {
      try {
        globalThis.flowtraceSdk.createClientTracing(options as never);
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    return [attempt({ sampleRatio: 2 }), attempt({ propagateTo: 'https://api.example.com' }), attempt({ serviceName: '' })];
  });
  expect(messages[0]).toBe('flowtrace: sampleRatio must be a number from 0 to 1, got 2');
  expect(messages[1]).toMatch(/^flowtrace: propagateTo must be an array of URL prefixes/);
  expect(messages[2]).toMatch(/^flowtrace: serviceName must be a non-empty string/);
});

for (const [fault, ingestUrl] of [
  ['answering 404', '/api/no-such-ingest'],
  ['answering 500', '/api/uploads/broken-ingest/chunks/0'],
  ['unreachable', 'http://127.0.0.1:9/v1/traces'],
] as const) {
  test(`an ingest ${fault} never surfaces in the page and the app keeps working`, async ({ page }) => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    const status = await page.evaluate(async (url) => {
      // Every flow sampled, so the failing export really happens.
      const client = globalThis.flowtraceInitForTest({ ingestUrl: url });
      const response = await globalThis.flowtraceSdk.runFlow('probe', () => fetch('/api/rooms'));
      await client.forceFlush();
      return response.status;
    }, ingestUrl);
    expect(status).toBe(200);
    // forceFlush resolved after the failed export, so any error it raised has already been thrown.
    expect(pageErrors).toEqual([]);
  });
}

test('a flow whose callback throws ends with error status and rethrows the app error', async ({ page, traces }) => {
  const thrown = await page.evaluate(async () => {
    globalThis.flowtraceInitForTest();
    try {
      await globalThis.flowtraceSdk.runFlow('room.create', async () => {
        throw new Error('room name taken');
      });
      return 'nothing';
    } catch (error) {
      return (error as Error).message;
    }
  });
  expect(thrown).toBe('room name taken');
  const [flow] = await traces.one();
  expect(flow).toMatchObject({
    name: 'room.create',
    status: { code: 'error', message: 'room name taken' },
    attributes: { 'flowtrace.flow.outcome': 'error' },
  });
  expect(flow!.events.map((event) => event.name)).toEqual(['exception']);
});

test('personal data in span attributes and events is scrubbed in the browser before export', async ({ page, traces }) => {
  await page.evaluate(async () => {
    globalThis.flowtraceInitForTest();
    await globalThis.flowtraceSdk.runFlow(
      'profile.update',
      (flow) => {
        flow.span.addEvent('note', { text: 'contact jane.doe@example.com', auth: 'Bearer abcdefghijklmnop123456' });
        return fetch('/api/rooms');
      },
      { attributes: { 'app.contact': 'jane.doe@example.com', 'app.card': '4111 1111 1111 1111' } },
    );
  });
  const trace = await traces.rootedAt('profile.update');
  expect(trace).toBeFreeOfSecrets(['jane.doe@example.com', '4111 1111 1111 1111', 'abcdefghijklmnop123456']);
  const flow = trace.find((span) => span.name === 'profile.update')!;
  expect(flow.attributes['app.contact']).toEqual(expect.any(String));
});
