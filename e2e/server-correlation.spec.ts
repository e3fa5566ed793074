import { randomUUID } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test('the API answers with traceresponse, Server-Timing and a request id that name the stored server span', async ({ request, traces }) => {
  await signUp(request, 'Correlated');
  const response = await request.post('/api/rooms', {
    headers: { baggage: `flowtrace.test_id=${traces.testId}`, 'x-request-id': `e2e-${traces.testId}` },
    data: { name: 'Correlated' },
  });
  expect(response.status()).toBe(201);
  expect(response.headers()['x-request-id']).toBe(`e2e-${traces.testId}`);
  const traceresponse = response.headers()['traceresponse'];
  expect(traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  expect(response.headers()['server-timing']).toBe(`traceparent;desc="${traceresponse}"`);

  const [trace] = await traces.settle();
  const [, traceId, spanId] = traceresponse!.split('-');
  expect(trace!.traceId).toBe(traceId);
  const server = trace!.spans.find((span) => span.kind === 'server')!;
  expect(server.spanId).toBe(spanId);
  expect(server.attributes['flowtrace.request_id']).toBe(`e2e-${traces.testId}`);
  expect(server.attributes['http.route']).toBe('/api/rooms');
});

test('an untrusted not-sampled flag from the client does not switch server tracing off', async ({ request, traces }) => {
  await signUp(request, 'Unsampled');
  const traceId = randomUUID().replaceAll('-', '');
  const response = await request.post('/api/rooms', {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00`, baggage: `flowtrace.test_id=${traces.testId}` },
    data: { name: 'Not sampled by the client' },
  });
  expect(response.status()).toBe(201);
  // The browser's parent span was never recorded, so read what is stored instead of settling.
  await expect
    .poll(async () => {
      await request.post('/flowtrace/api/flush');
      const server = (await traces.current()).flatMap((trace) => trace.spans).find((span) => span.kind === 'server');
      return server && { traceId: server.traceId, override: server.attributes['flowtrace.trust.override'] };
    })
    .toEqual({ traceId, override: 'sampled_flag_untrusted' });
});
