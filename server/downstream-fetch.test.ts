import { createServer, type IncomingHttpHeaders } from 'node:http';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { createTracedFetch } from './downstream-fetch.ts';
import { close, listen, startTestTracing, type TestTracing } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

test('each downstream fetch is a CLIENT span whose context the callee receives as W3C headers', async () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
    res.end('{}');
  });
  const base = await listen(server);
  const tracedFetch = createTracedFetch(t.tracing);
  try {
    const baggage = propagation.createBaggage({ 'flowtrace.test_id': { value: 't-7' } });
    await context.with(propagation.setBaggage(ROOT_CONTEXT, baggage), () =>
      trace.getTracer('test').startActiveSpan('use-case', async (parent) => {
        await tracedFetch(`${base}/rooms?token=abc`, { method: 'POST', body: '{}' });
        await tracedFetch(`${base}/missing`);
        parent.end();
      }),
    );
    const spans = await t.spans();
    const parent = spans.find((span) => span.name === 'use-case')!;
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients).toHaveLength(2);
    const [post, missing] = clients;
    expect(post!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(post!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${base}/rooms?token=REDACTED`,
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    // Sampled (01) and, for a trace id generated here, random (02): W3C Trace Context Level 2.
    expect(received[0]!.traceparent).toBe(`00-${post!.spanContext().traceId}-${post!.spanContext().spanId}-03`);
    expect(received[0]!.baggage).toBe('flowtrace.test_id=t-7');
    expect(missing!.status.code).toBe(SpanStatusCode.ERROR);
    expect(missing!.attributes['error.type']).toBe('404');
  } finally {
    await close(server);
  }
});

test('propagateTo keeps trace headers away from third parties; a network error is recorded', async () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.end();
  });
  const base = await listen(server);
  const tracedFetch = createTracedFetch(t.tracing, { propagateTo: (url) => url.pathname.startsWith('/internal') });
  try {
    await tracedFetch(`${base}/external`);
    await tracedFetch(`${base}/internal`);
    expect(received[0]!.traceparent).toBeUndefined();
    expect(received[1]!.traceparent).toMatch(/^00-/);
  } finally {
    await close(server);
  }
  await expect(tracedFetch(`${base}/gone`)).rejects.toThrow();
  const failed = (await t.spans()).at(-1)!;
  expect(failed.status.code).toBe(SpanStatusCode.ERROR);
  expect(failed.events.map((event) => event.name)).toContain('exception');
});
