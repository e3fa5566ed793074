/**
 * Bad handshake carriers sent straight to the demo server by a Node `ws` client (a browser
 * could not send most of them): the connection is accepted and a new root trace starts.
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { SpanRecord } from 'flowtrace/testing';
import { wrapEnvelope } from '../shared/ws-envelope.ts';
import { expect, test } from './fixtures.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

async function echoOnce(url: string, message: string): Promise<string> {
  const ws = new WebSocket(url);
  await new Promise((opened, failed) => {
    ws.once('open', opened);
    ws.once('error', failed);
  });
  const reply = new Promise<string>((got) => ws.once('message', (data) => got(String(data))));
  ws.send(message);
  const text = await reply;
  ws.close();
  return text;
}

test('a malformed traceparent in the handshake starts a new root trace and the connection is accepted', async ({ baseURL, traces }) => {
  const baggage = encodeURIComponent(`flowtrace.test_id=${traces.testId}`);
  const url = `${baseURL!.replace('http', 'ws')}/ws/echo?traceparent=00-${TRACE_ID}-zzzzzzzzzzzzzzzz-01&baggage=${baggage}`;
  expect(await echoOnce(url, 'still served')).toBe('still served');
  const [trace, ...others] = await traces.settle();
  expect(others).toHaveLength(0);
  expect(trace!.traceId).not.toBe(TRACE_ID);
  expect(trace!.spans).toHaveSpanTree({
    role: 'server',
    name: 'upgrade /ws/echo',
    attributes: { 'flowtrace.ws.context': 'invalid', 'flowtrace.ws.carrier': 'query', 'http.response.status_code': 101 },
  });
  expect(JSON.stringify(trace!.spans)).not.toContain('zzzzzzzzzzzzzzzz');
});

test('an oversized handshake carrier is ignored whole: new root trace, connection accepted', async ({ baseURL, request, traces }) => {
  const url = `${baseURL!.replace('http', 'ws')}/ws/echo?traceparent=00-${TRACE_ID}-00f067aa0ba902b7-01&baggage=k%3D${'v'.repeat(9000)}&flowtrace-envelope=1`;
  // The oversized baggage cannot tag the upgrade with the test, so a message does: its span links the handshake.
  const message = wrapEnvelope(
    // A fresh trace id: the trace store files a trace under the first test id it sees in it.
    { traceparent: `00-${randomBytes(16).toString('hex')}-aaaaaaaaaaaaaaa1-01`, baggage: `flowtrace.test_id=${traces.testId}` },
    'hello',
  );
  const reply = await echoOnce(url, message);
  expect(reply.endsWith('\nhello')).toBe(true);
  // Not settle(): the message's parent is a browser span that never arrives.
  let process: SpanRecord | undefined;
  await expect
    .poll(async () => {
      await request.post('/flowtrace/api/flush');
      process = (await traces.current()).flatMap((trace) => trace.spans).find((span) => span.name === 'process /ws/echo');
      return process;
    })
    .toBeDefined();
  const handshake = process!.links[0];
  expect(handshake, 'the message span links the handshake').toBeDefined();
  await expect
    .poll(async () => {
      await request.post('/flowtrace/api/flush');
      const response = await request.get(`/flowtrace/api/traces/${handshake!.traceId}`);
      return response.ok() ? ((await response.json()) as { spans: Array<{ name: string; parentSpanId?: string; attributes: object }> }).spans : [];
    })
    .toEqual([expect.objectContaining({ name: 'upgrade /ws/echo', attributes: expect.objectContaining({ 'flowtrace.ws.context': 'oversized' }) })]);
  expect(handshake!.traceId).not.toBe(TRACE_ID);
});
