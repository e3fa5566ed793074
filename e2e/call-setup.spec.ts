import type { Page } from '@playwright/test';
import type { SpanExpectation } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';
import { addGuest, createRoom, signUp } from './members.ts';

async function enter(page: Page, roomId: string): Promise<void> {
  await page.goto(`/room.html?room=${roomId}`);
  await expect(page.locator('#who')).toHaveText(/^Signed in as /);
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
  traces,
}) => {
  const calleeContext = await newTracedContext();
  const alice = await signUp(page.context(), 'Alice');
  await signUp(calleeContext, 'Bob');
  const roomId = await createRoom(page.context(), 'Interview');
  await addGuest(page.context(), calleeContext, roomId);
  const callee = await calleeContext.newPage();
  await enter(callee, roomId);
  await callee.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(callee.locator('#call-status')).toHaveText('You joined “Interview” as guest. Waiting for a call.');

  await enter(page, roomId);
  await page.getByRole('button', { name: 'Join and call' }).click();
  await expect(page.locator('#call-status')).toHaveText('Connected.');
  await expect(callee.locator('#call-status')).toHaveText('Connected.');

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
            attributes: {
              'http.response.status_code': 101,
              'flowtrace.ws.context': 'valid',
              'url.query': /^room=[0-9a-f-]{36}$/,
              'simplycaster.room.id': roomId,
              'simplycaster.room.participant_count': 2,
              'enduser.id': alice.id,
            },
            // Admitted inside the handshake's span: session and membership checked, then welcomed,
            // and the one already in the room told that someone came.
            children: [
              { role: 'db', name: 'SELECT rooms' },
              signal('welcome', 'server', 'producer', [signal('welcome', 'browser', 'consumer')]),
              signal('presence', 'server', 'producer', [signal('presence', 'browser', 'consumer')]),
            ],
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
