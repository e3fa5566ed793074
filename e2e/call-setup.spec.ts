import type { APIRequestContext, Page } from '@playwright/test';
import type { SpanExpectation } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';

async function createRoom(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post('/api/rooms', { data: { name } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function enter(page: Page, roomId: string, name: string): Promise<void> {
  await page.goto(`/room.html?room=${roomId}`);
  await page.getByLabel('Your name').fill(name);
}

const signal = (type: string, side: 'browser' | 'server', kind: 'producer' | 'consumer', children: SpanExpectation[] = []): SpanExpectation => ({
  role: side,
  kind,
  name: kind === 'producer' ? 'send /ws/signal' : 'process /ws/signal',
  attributes: { 'simplycaster.signal.type': type, 'messaging.operation.type': kind === 'producer' ? 'send' : 'process' },
  children,
});

/** A signal from one browser, through the relay, into the other browser. */
const relayed = (type: string, received: SpanExpectation[] = []): SpanExpectation =>
  signal(type, 'browser', 'producer', [signal(type, 'server', 'consumer', [signal(type, 'server', 'producer', [signal(type, 'browser', 'consumer', received)])])]);

const connected = (role: 'caller' | 'callee'): SpanExpectation => ({
  role: 'browser',
  name: 'call.connect',
  status: 'unset',
  attributes: { 'simplycaster.call.role': role, 'simplycaster.call.connection_state': 'connected' },
});

test('a call set up over the signalling WebSocket is one trace across two browsers, the server and the database', async ({
  page,
  newTracedContext,
  request,
  traces,
}) => {
  const roomId = await createRoom(request, 'Interview');
  const callee = await (await newTracedContext()).newPage();
  await enter(callee, roomId, 'Bob');
  await callee.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(callee.getByRole('status')).toHaveText('Waiting for a call.');

  await enter(page, roomId, 'Alice');
  await page.getByRole('button', { name: 'Join and call' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected.');
  await expect(callee.getByRole('status')).toHaveText('Connected.');

  const trace = await traces.rootedAt('call.start');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'call.start',
    attributes: { 'flowtrace.flow.outcome': 'ok', 'simplycaster.room.id': roomId },
    children: [
      {
        role: 'browser',
        kind: 'client',
        attributes: { 'http.request.method': 'POST' },
        children: [
          {
            role: 'server',
            name: 'POST /api/rooms/:id/participants',
            attributes: { 'http.response.status_code': 201 },
            children: [{ role: 'db', name: 'INSERT participants', attributes: { 'db.operation.name': 'INSERT' } }],
          },
        ],
      },
      {
        role: 'browser',
        kind: 'client',
        name: 'connect /ws/signal',
        attributes: { 'flowtrace.ws.carrier': 'query', 'flowtrace.ws.envelope': true },
        children: [
          {
            role: 'server',
            kind: 'server',
            name: 'upgrade /ws/signal',
            attributes: { 'http.response.status_code': 101, 'flowtrace.ws.context': 'valid', 'url.query': /^room=[0-9a-f-]{36}&participant=[0-9a-f-]{36}$/ },
          },
        ],
      },
      relayed('offer', [relayed('answer'), connected('callee')]),
      connected('caller'),
    ],
  });
  // Both browsers, the server and the database recorded into the one trace, all tagged with the test.
  expect(new Set(trace.map((span) => span.side))).toEqual(new Set(['browser', 'server']));
  expect(trace.every((span) => span.attributes['flowtrace.test_id'] === traces.testId)).toBe(true);
  // The carrier never reaches a recorded URL.
  expect(JSON.stringify(trace)).not.toMatch(/traceparent=|flowtrace-envelope/);
});
