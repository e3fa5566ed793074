import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

const VALID_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('a malformed traceparent starts a fresh trace on the server', async ({ request, traces }) => {
  await signUp(request, 'Malformed');
  const response = await request.post('/api/rooms', {
    headers: {
      traceparent: `00-${VALID_TRACE_ID}-zzzzzzzzzzzzzzzz-01`,
      baggage: `flowtrace.test_id=${traces.testId}`,
    },
    data: { name: 'Malformed context' },
  });
  expect(response.status()).toBe(201);

  const [trace, ...others] = await traces.settle();
  expect(others).toHaveLength(0);
  expect(trace!.traceId).not.toBe(VALID_TRACE_ID);
  expect(trace!.spans).toHaveSpanTree({
    role: 'server',
    name: 'POST /api/rooms',
    children: [{ name: 'room.create', children: [{ role: 'db', name: 'INSERT rooms' }] }],
  });
  const server = trace!.spans.find((span) => span.kind === 'server')!;
  expect(server.parentSpanId).toBeUndefined();
});

test('a valid traceparent is continued as the parent of the server span', async ({ request, traces }) => {
  const parent = '00f067aa0ba902b7';
  // A trace id of its own: the server keeps the traces of earlier runs (--repeat-each).
  await request.get('/api/rooms', {
    headers: { traceparent: `00-${randomBytes(16).toString('hex')}-${parent}-01`, baggage: `flowtrace.test_id=${traces.testId}` },
  });
  // The browser parent never arrives here, so look at what is stored rather than settling.
  await expect
    .poll(async () => {
      await request.post('/flowtrace/api/flush');
      return (await traces.current()).flatMap((trace) => trace.spans).find((span) => span.kind === 'server')?.parentSpanId;
    })
    .toBe(parent);
});

test('a malformed OTLP body gets 400 with a reason, and the server keeps serving', async ({ request }) => {
  const notJson = await request.post('/flowtrace/v1/traces', {
    headers: { 'content-type': 'application/json' },
    data: Buffer.from('{"resourceSpans": ['),
  });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error).toMatch(/not JSON/);

  const badId = await request.post('/flowtrace/v1/traces', {
    headers: { 'content-type': 'application/json' },
    data: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'nope', spanId: '00f067aa0ba902b7', name: 'x' }] }] }] },
  });
  expect(badId.status()).toBe(400);
  expect((await badId.json()).error).toMatch(/traceId must be a non-zero hex id/);

  const wrongType = await request.post('/flowtrace/v1/traces', { headers: { 'content-type': 'text/plain' }, data: Buffer.from('hello') });
  expect(wrongType.status()).toBe(415);

  const health = await request.get('/healthz');
  expect(health.ok()).toBe(true);
});

test('an OTLP body over the size cap gets 413', async ({ request }) => {
  const response = await request.post('/flowtrace/v1/traces', {
    headers: { 'content-type': 'application/json' },
    data: Buffer.from(JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(1_100_000) })),
  });
  expect(response.status()).toBe(413);
  expect((await request.get('/healthz')).ok()).toBe(true);
});
