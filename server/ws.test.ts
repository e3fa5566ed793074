import { createServer, type Server } from 'node:http';
import { test, expect } from '@playwright/test';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { SpanRecord } from '../shared/span-record.ts';
import { addCarrierToUrl, carrierToProtocol, type WsCarrier } from '../shared/ws-carrier.ts';
import { decodeEnvelope, wrapEnvelope } from '../shared/ws-envelope.ts';
import { createServerTracing, type ServerTracing } from './tracing.ts';
import { traceWebSockets, type WebSocketTracingOptions } from './ws.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const MESSAGE_TRACE_ID = '5c0a2f3577b34da6a3ce929d0e0e4799';
const MESSAGE_SPAN = 'aaaaaaaaaaaaaaa1';
const handshake: WsCarrier = { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`, baggage: 'flowtrace.test_id=unit' };

interface Harness {
  tracing: ServerTracing;
  url: string;
  /** Request URLs as the app saw them. */
  appUrls: string[];
  /** Payloads as the app's message listener got them. */
  received: Array<{ data: string; isBinary: boolean }>;
  spans(): Promise<SpanRecord[]>;
  close(): Promise<void>;
}

// Ports from the checkout's private range (FLOWTRACE_E2E_PORT), one per parallel worker.
const port = () => Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 20 + test.info().parallelIndex;

/** `admit`, when given, runs before the echo listener is added, as an app's admission check does. */
async function startEcho(options: WebSocketTracingOptions = {}, admit?: (ws: WebSocket, tracing: ServerTracing) => Promise<boolean>): Promise<Harness> {
  const tracing = createServerTracing({ serviceName: 'ws-unit' });
  const traced = traceWebSockets(tracing, options);
  const wss = new WebSocketServer({ noServer: true, handleProtocols: traced.handleProtocols });
  const appUrls: string[] = [];
  const received: Harness['received'] = [];
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) =>
    traced.handleUpgrade(wss, req, socket, head, (ws, request) => {
      appUrls.push(request.url ?? '');
      const echo = () =>
        traced.onMessage(ws, (data: RawData, isBinary) => {
          received.push({ data: (data as Buffer).toString(isBinary ? 'hex' : 'utf8'), isBinary });
          traced.send(ws, data as Buffer, { binary: isBinary });
        });
      if (!admit) return echo();
      return admit(ws, tracing).then((admitted) => {
        if (admitted) echo();
      });
    }),
  );
  await new Promise<void>((listening) => server.listen(port(), '127.0.0.1', listening));
  const started: Harness = {
    tracing,
    url: `ws://127.0.0.1:${port()}/ws/echo?room=1`,
    appUrls,
    received,
    async spans() {
      await tracing.forceFlush();
      return tracing.store!.recent(1000).flatMap(({ traceId }) => tracing.store!.trace(traceId));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await tracing.shutdown();
    },
  };
  running.push(started);
  return started;
}

let harness: Harness;
const running: Harness[] = [];
test.afterEach(async () => {
  for (const started of running.splice(0)) await started.close();
});

async function connect(url: string, protocols?: string[]): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  await new Promise((open, fail) => {
    ws.once('open', open);
    ws.once('error', fail);
  });
  return ws;
}

function roundTrip(ws: WebSocket, data: string | Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  const reply = new Promise<{ data: Buffer; isBinary: boolean }>((got) =>
    ws.once('message', (raw, isBinary) => got({ data: raw as Buffer, isBinary })),
  );
  ws.send(data, { binary: typeof data !== 'string' });
  return reply;
}

const upgradeSpan = async (h: Harness) => {
  let found: SpanRecord | undefined;
  await expect.poll(async () => (found = (await h.spans()).find((span) => span.name === 'upgrade /ws/echo'))).toBeDefined();
  return found!;
};

test('continues the browser trace across a WebSocket upgrade and strips the carrier from every URL', async () => {
  harness = await startEcho();
  const ws = await connect(addCarrierToUrl(harness.url, handshake));
  const span = await upgradeSpan(harness);
  expect(span).toMatchObject({ traceId: TRACE_ID, parentSpanId: CLIENT_SPAN, kind: 'server' });
  expect(span.attributes).toMatchObject({
    'url.path': '/ws/echo',
    'url.query': 'room=1',
    'http.response.status_code': 101,
    'network.protocol.name': 'websocket',
    'flowtrace.ws.carrier': 'query',
    'flowtrace.ws.context': 'valid',
    'flowtrace.test_id': 'unit',
  });
  expect(harness.appUrls).toEqual(['/ws/echo?room=1']);
  expect(JSON.stringify(await harness.spans())).not.toContain(CLIENT_SPAN + '-01');
  ws.close();
});

test('carries context in a Sec-WebSocket-Protocol entry, echoed unless the app offers its own protocol', async () => {
  harness = await startEcho();
  const entry = carrierToProtocol(handshake)!;
  const alone = await connect(harness.url, [entry]);
  expect(alone.protocol).toBe(entry);
  const withApp = await connect(harness.url, ['chat', entry]);
  expect(withApp.protocol).toBe('chat');
  await expect.poll(async () => (await harness.spans()).filter((s) => s.name === 'upgrade /ws/echo').length).toBe(2);
  for (const span of (await harness.spans()).filter((s) => s.name === 'upgrade /ws/echo')) {
    expect(span).toMatchObject({ traceId: TRACE_ID, parentSpanId: CLIENT_SPAN, attributes: { 'flowtrace.ws.carrier': 'protocol' } });
  }
  alone.close();
  withApp.close();
});

for (const [fault, query, state] of [
  ['a malformed', `traceparent=00-${TRACE_ID}-zzzzzzzzzzzzzzzz-01&baggage=flowtrace.test_id%3Dunit`, 'invalid'],
  ['an oversized', `traceparent=00-${TRACE_ID}-${CLIENT_SPAN}-01&baggage=k%3D${'v'.repeat(9000)}`, 'oversized'],
  ['a missing', '', 'missing'],
] as const) {
  test(`${fault} handshake carrier starts a new root trace and the connection is still accepted`, async () => {
    harness = await startEcho();
    const ws = await connect(`${harness.url}&${query}`);
    const reply = await roundTrip(ws, 'still served');
    expect(reply.data.toString()).toBe('still served');
    const span = await upgradeSpan(harness);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceId).not.toBe(TRACE_ID);
    expect(span.attributes['flowtrace.ws.context']).toBe(state);
    expect(harness.appUrls).toEqual(['/ws/echo?room=1']);
    ws.close();
  });
}

test('relays an envelope message in one trace: process continues it, links the handshake, send carries it on', async () => {
  harness = await startEcho();
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  const message = { traceparent: `00-${MESSAGE_TRACE_ID}-${MESSAGE_SPAN}-01`, baggage: 'flowtrace.test_id=unit' };
  const reply = await roundTrip(ws, wrapEnvelope(message, '{"type":"offer"}'));
  expect(harness.received).toEqual([{ data: '{"type":"offer"}', isBinary: false }]);

  const text = reply.data.toString();
  const envelope = decodeEnvelope(text)!;
  expect(text.slice(envelope.payloadStart)).toBe('{"type":"offer"}');
  const [, traceId, parentId] = envelope.carrier.traceparent!.split('-');
  expect(traceId).toBe(MESSAGE_TRACE_ID);

  const spans = await harness.spans();
  const upgrade = spans.find((s) => s.name === 'upgrade /ws/echo')!;
  const process = spans.find((s) => s.name === 'process /ws/echo')!;
  const send = spans.find((s) => s.name === 'send /ws/echo')!;
  expect(process).toMatchObject({ traceId: MESSAGE_TRACE_ID, parentSpanId: MESSAGE_SPAN, kind: 'consumer' });
  expect(process.links).toEqual([{ traceId: upgrade.traceId, spanId: upgrade.spanId, attributes: {} }]);
  expect(process.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.body.size': 16, 'flowtrace.ws.envelope': true });
  expect(send).toMatchObject({ parentSpanId: process.spanId, kind: 'producer', attributes: { 'messaging.operation.type': 'send' } });
  expect(parentId).toBe(send.spanId);
  ws.close();
});

test('without send spans a relay sends the process span\'s context on', async () => {
  harness = await startEcho({ sendSpans: false });
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  const reply = await roundTrip(ws, wrapEnvelope({ traceparent: `00-${MESSAGE_TRACE_ID}-${MESSAGE_SPAN}-01` }, 'x'));
  const [, traceId, parentId] = decodeEnvelope(reply.data.toString())!.carrier.traceparent!.split('-');
  let spans: SpanRecord[] = [];
  await expect.poll(async () => (spans = await harness.spans()).length).toBe(2);
  const process = spans.find((s) => s.name === 'process /ws/echo')!;
  expect({ traceId, parentId }).toEqual({ traceId: MESSAGE_TRACE_ID, parentId: process.spanId });
  expect(spans.map((s) => s.name).toSorted()).toEqual(['process /ws/echo', 'upgrade /ws/echo']);
  ws.close();
});

test('binary and non-envelope messages pass through untouched, with no bad-input spans', async () => {
  harness = await startEcho();
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  const bytes = Buffer.from([0x1e, 0x66, 0x74, 0x31, 0x20, 0x0a, 0xff, 0x00]);
  const binary = await roundTrip(ws, bytes);
  expect(binary).toEqual({ data: bytes, isBinary: true });
  for (const text of ['plain text', '{"json":true}', '\u001eft1 no end of header']) {
    const reply = await roundTrip(ws, text);
    expect({ text: reply.data.toString(), isBinary: reply.isBinary }).toEqual({ text, isBinary: false });
  }
  expect((await harness.spans()).filter((s) => s.kind === 'consumer')).toEqual([]);
  ws.close();
});

test('an envelope with a bad context still delivers its message, as a new trace linked to the handshake', async () => {
  harness = await startEcho({ messageSpans: 'all' });
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  const reply = await roundTrip(ws, '\u001eft1 traceparent=00-bad-context-01\nhello');
  expect(harness.received).toEqual([{ data: 'hello', isBinary: false }]);
  expect(reply.data.toString().endsWith('\nhello')).toBe(true);
  let process: SpanRecord | undefined;
  await expect.poll(async () => (process = (await harness.spans()).find((s) => s.name === 'process /ws/echo'))).toBeDefined();
  const upgrade = await upgradeSpan(harness);
  expect(process!.parentSpanId).toBeUndefined();
  expect(process!.attributes['flowtrace.ws.context']).toBe('invalid');
  expect(process!.links.map((link) => link.spanId)).toEqual([upgrade.spanId]);
  ws.close();
});

test('messageSpans "off" records no message spans and still carries the context through a relay', async () => {
  harness = await startEcho({ messageSpans: 'off' });
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  const reply = await roundTrip(ws, wrapEnvelope({ traceparent: `00-${MESSAGE_TRACE_ID}-${MESSAGE_SPAN}-01` }, 'x'));
  expect(decodeEnvelope(reply.data.toString())!.carrier.traceparent).toBe(`00-${MESSAGE_TRACE_ID}-${MESSAGE_SPAN}-01`);
  await upgradeSpan(harness);
  expect((await harness.spans()).map((s) => s.name)).toEqual(['upgrade /ws/echo']);
  ws.close();
});

test('messageSpans "sampled" records nothing for a message whose context is not sampled', async () => {
  harness = await startEcho();
  const ws = await connect(addCarrierToUrl(harness.url, handshake, true));
  await roundTrip(ws, wrapEnvelope({ traceparent: `00-${MESSAGE_TRACE_ID}-${MESSAGE_SPAN}-00` }, 'x'));
  await upgradeSpan(harness);
  expect((await harness.spans()).map((s) => s.name)).toEqual(['upgrade /ws/echo']);
  ws.close();
});

test('trust "link" starts the upgrade as a new trace linked to the browser span', async () => {
  harness = await startEcho({ trust: 'link' });
  const ws = await connect(addCarrierToUrl(harness.url, handshake));
  const span = await upgradeSpan(harness);
  expect(span.parentSpanId).toBeUndefined();
  expect(span.traceId).not.toBe(TRACE_ID);
  expect(span.links).toEqual([{ traceId: TRACE_ID, spanId: CLIENT_SPAN, attributes: {} }]);
  ws.close();
});

test('an asynchronous admission check runs inside the upgrade span, which ends when the check is done', async () => {
  // The check waits on a gate the test opens, so the upgrade span is seen still open meanwhile.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let checking!: () => void;
  const checkStarted = new Promise<void>((resolve) => (checking = resolve));
  harness = await startEcho({}, async (ws, tracing) => {
    await tracing.tracer.startActiveSpan('admission.check', async (span) => {
      checking();
      await gate;
      span.end();
    });
    ws.send('welcome');
    return true;
  });
  const ws = new WebSocket(addCarrierToUrl(harness.url, handshake, true));
  const welcome = new Promise<string>((got) => ws.once('message', (data) => got(String(data))));
  await checkStarted;
  expect((await harness.spans()).map((span) => span.name)).not.toContain('upgrade /ws/echo');
  open();
  expect(await welcome).toBe('welcome');
  const upgrade = await upgradeSpan(harness);
  const check = (await harness.spans()).find((span) => span.name === 'admission.check')!;
  expect(check.parentSpanId).toBe(upgrade.spanId);
  // The SDK anchors each span's clock on Date.now() (whole milliseconds): compare to within 1 ms.
  expect(upgrade.endTime).toBeGreaterThanOrEqual(check.endTime - 1);
  ws.close();
});

test('an admission check that fails ends the upgrade span in error with the reason', async () => {
  harness = await startEcho({}, async (ws) => {
    ws.close(4403, 'not a member');
    throw new Error('not a member of this room');
  });
  const ws = new WebSocket(addCarrierToUrl(harness.url, handshake));
  const closed = new Promise<number>((got) => ws.once('close', (code) => got(code)));
  expect(await closed).toBe(4403);
  const upgrade = await upgradeSpan(harness);
  expect(upgrade.status).toEqual({ code: 'error', message: 'not a member of this room' });
});

test('invalid options throw at setup, saying what is allowed', () => {
  const tracing = createServerTracing({ register: false });
  expect(() => traceWebSockets(tracing, { messageSpans: 'some' as never })).toThrow(/messageSpans must be 'off', 'sampled' or 'all', got "some"/);
  expect(() => traceWebSockets(tracing, { maxCarrierLength: 3 })).toThrow(/maxCarrierLength must be an integer of at least 64/);
});

test('handleProtocols answers with the app\'s first protocol, else the carrier entry, else none', () => {
  const tracing = createServerTracing({ register: false });
  const { handleProtocols } = traceWebSockets(tracing);
  const entry = carrierToProtocol(handshake)!;
  const req = {} as Parameters<typeof handleProtocols>[1];
  expect(handleProtocols(new Set([entry, 'chat', 'v2']), req)).toBe('chat');
  expect(handleProtocols(new Set([entry]), req)).toBe(entry);
  expect(handleProtocols(new Set(['v2']), req)).toBe('v2');
  expect(handleProtocols(new Set(), req)).toBe(false);
});
