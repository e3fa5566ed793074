import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import express from 'express';
import { setEndUser } from './end-user.ts';
import { createHttpMiddleware, flowtraceErrorHandler, setHttpRoute, type NodeHttpTracingOptions } from './http.ts';
import { close, listen, startTestTracing, type TestTracing } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler, options: NodeHttpTracingOptions = {}) {
  const traced = createHttpMiddleware(t.tracing, options);
  const server = createServer((req, res) => {
    try {
      traced(req, res, () => handler(req, res));
    } catch {
      res.statusCode = 500;
      res.end('boom');
    }
  });
  const base = await listen(server);
  return { base, server };
}

async function serverSpans(count = 1): Promise<ReadableSpan[]> {
  let spans: ReadableSpan[] = [];
  await expect
    .poll(async () => (spans = (await t.spans()).filter((span) => span.kind === SpanKind.SERVER)).length, { intervals: [5, 10, 25] })
    .toBeGreaterThanOrEqual(count);
  return spans;
}

const ok: Handler = (_req, res) => {
  res.setHeader('content-length', '2');
  res.end('ok');
};

test('records the stable HTTP server attributes and names the span after the route', async () => {
  const { base, server } = await serve((req, res) => {
    setHttpRoute(req, '/rooms/:id');
    ok(req, res);
  });
  try {
    await fetch(`${base}/rooms/42?x=1&token=secret`, { method: 'POST', body: 'hello', headers: { 'user-agent': 'flowtrace-test' } });
    const [span] = await serverSpans();
    expect(span!.name).toBe('POST /rooms/:id');
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/rooms/:id',
      'url.path': '/rooms/42',
      'url.query': 'x=1&token=REDACTED',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
      'user_agent.original': 'flowtrace-test',
      'client.address': '127.0.0.1',
      'http.request.body.size': 5,
      'http.response.body.size': 2,
      'network.protocol.version': '1.1',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  } finally {
    await close(server);
  }
});

test('names a request after its span, {trace-id}-{span-id}, or honours a valid incoming request id', async () => {
  const { base, server } = await serve(ok);
  try {
    const generated = (await fetch(base)).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
    expect((await fetch(base, { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const forged = (await fetch(base, { headers: { 'x-request-id': 'a b\tc' } })).headers.get('x-request-id');
    expect(forged).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
    const spans = await serverSpans(3);
    const ids = spans.map((span) => span.attributes['flowtrace.request_id']);
    expect(ids).toContain('abc-123');
    const named = spans.find((span) => span.attributes['flowtrace.request_id'] === generated)!;
    expect(generated).toBe(`${named.spanContext().traceId}-${named.spanContext().spanId}`);
  } finally {
    await close(server);
  }
});

test('sends traceresponse and Server-Timing naming the server span, and exposes them to cross-origin callers', async () => {
  const { base, server } = await serve(ok);
  try {
    const response = await fetch(base, { headers: { origin: 'https://app.example.com' } });
    const [span] = await serverSpans();
    const { traceId, spanId } = span!.spanContext();
    expect(response.headers.get('traceresponse')).toBe(`00-${traceId}-${spanId}-01`);
    expect(response.headers.get('server-timing')).toBe(`traceparent;desc="00-${traceId}-${spanId}-01"`);
    expect(response.headers.get('access-control-expose-headers')).toContain('traceresponse');
  } finally {
    await close(server);
  }
});

test('an unrecorded request keeps its request id but gets correlation headers only when asked', async () => {
  await t.stop();
  t = startTestTracing({ sampleRatio: 0 });
  const byDefault = await serve(ok);
  const always = await serve(ok, { correlationHeaders: true });
  try {
    const quiet = await fetch(byDefault.base);
    expect(quiet.status).toBe(200);
    expect(quiet.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
    expect(quiet.headers.get('traceresponse')).toBeNull();
    expect(quiet.headers.get('server-timing')).toBeNull();
    const told = await fetch(always.base);
    expect(told.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    // The unrecorded span's ids name the request, as a recorded one's do.
    expect(`00-${told.headers.get('x-request-id')}-00`).toBe(told.headers.get('traceresponse'));
    expect(await t.spans()).toEqual([]);
  } finally {
    await close(byDefault.server);
    await close(always.server);
  }
});

test('at ratio 0 new roots are dropped, and a sampled incoming traceparent is still continued and recorded', async () => {
  await t.stop();
  t = startTestTracing({ sampleRatio: 0 });
  const { base, server } = await serve(ok);
  try {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${base}/fresh`);
    const continued = await fetch(`${base}/continued`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(continued.headers.get('x-request-id')).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}$`));
    const spans = await serverSpans();
    expect(spans.map((span) => span.attributes['url.path'])).toEqual(['/continued']);
    expect(spans[0]!.spanContext().traceId).toBe(traceId);
    expect(spans[0]!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  } finally {
    await close(server);
  }
});

test('5xx is an error, 4xx is not, and a thrown exception becomes an exception event', async () => {
  const { base, server } = await serve((req, res) => {
    if (req.url === '/throw') throw new TypeError('handler broke');
    res.statusCode = req.url === '/missing' ? 404 : 503;
    res.end();
  });
  try {
    await fetch(`${base}/missing`);
    await fetch(`${base}/unavailable`);
    await fetch(`${base}/throw`);
    const spans = await serverSpans(3);
    const byPath = (path: string) => spans.find((span) => span.attributes['url.path'] === path)!;
    expect(byPath('/missing').status.code).toBe(SpanStatusCode.UNSET);
    expect(byPath('/unavailable').status.code).toBe(SpanStatusCode.ERROR);
    expect(byPath('/unavailable').attributes['error.type']).toBe('503');
    const thrown = byPath('/throw');
    expect(thrown.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'handler broke' });
    expect(thrown.events.map((event) => event.name)).toContain('exception');
    expect(thrown.attributes['error.type']).toBe('TypeError');
  } finally {
    await close(server);
  }
});

test('include and exclude filters leave other requests untraced and headerless', async () => {
  const { base, server } = await serve(ok, { include: { paths: ['/api/*'] }, exclude: { paths: ['/api/health'], methods: ['GET'] } });
  try {
    const skipped = await fetch(`${base}/static/app.js`);
    expect(skipped.headers.get('traceresponse')).toBeNull();
    await fetch(`${base}/api/health`);
    await fetch(`${base}/api/health`, { method: 'POST' });
    await fetch(`${base}/api/rooms`);
    const spans = await serverSpans(2);
    expect(spans.map((span) => `${span.attributes['http.request.method']} ${span.attributes['url.path']}`).toSorted()).toEqual([
      'GET /api/rooms',
      'POST /api/health',
    ]);
  } finally {
    await close(server);
  }
});

test('continues a valid traceparent and starts a fresh trace on a malformed one', async () => {
  const { base, server } = await serve(ok);
  try {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${base}/good`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await fetch(`${base}/bad`, { headers: { traceparent: `00-${traceId}-zzzzzzzzzzzzzzzz-01` } });
    const spans = await serverSpans(2);
    const good = spans.find((span) => span.attributes['url.path'] === '/good')!;
    const bad = spans.find((span) => span.attributes['url.path'] === '/bad')!;
    expect(good.spanContext().traceId).toBe(traceId);
    expect(good.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(bad.spanContext().traceId).not.toBe(traceId);
    expect(bad.parentSpanContext).toBeUndefined();
  } finally {
    await close(server);
  }
});

test('trust policy per route: link starts a new linked trace, ignore drops the context', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const { base, server } = await serve(ok, { trust: (req) => (req.url === '/link' ? 'link' : req.url === '/ignore' ? 'ignore' : 'continue') });
  try {
    const headers = { traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    await fetch(`${base}/link`, { headers });
    await fetch(`${base}/ignore`, { headers });
    const spans = await serverSpans(2);
    const linked = spans.find((span) => span.attributes['url.path'] === '/link')!;
    const ignored = spans.find((span) => span.attributes['url.path'] === '/ignore')!;
    expect(linked.spanContext().traceId).not.toBe(traceId);
    expect(linked.parentSpanContext).toBeUndefined();
    expect(linked.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(ignored.spanContext().traceId).not.toBe(traceId);
    expect(ignored.links).toEqual([]);
  } finally {
    await close(server);
  }
});

test('an untrusted not-sampled flag does not switch tracing off; a trusted one does', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const headers = { traceparent: `00-${traceId}-00f067aa0ba902b7-00` };
  const untrusted = await serve(ok);
  try {
    await fetch(untrusted.base, { headers });
    const [span] = await serverSpans();
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.attributes['flowtrace.trust.override']).toBe('sampled_flag_untrusted');
  } finally {
    await close(untrusted.server);
  }
  t.exporter.reset();
  const trusted = await serve(ok, { trustSampledFlag: true, correlationHeaders: true });
  try {
    const response = await fetch(trusted.base, { headers });
    expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(await t.spans()).toEqual([]);
  } finally {
    await close(trusted.server);
  }
});

test('client baggage is allow-listed: only the test id reaches the spans and downstream context', async () => {
  let seen: string[] = [];
  const { base, server } = await serve(
    async (_req, res) => {
      const { propagation, context } = await import('@opentelemetry/api');
      seen = (propagation.getBaggage(context.active())?.getAllEntries() ?? []).map(([key]) => key);
      ok(_req, res);
    },
  );
  try {
    await fetch(base, { headers: { baggage: 'flowtrace.test_id=t-1,user.is_admin=true' } });
    const [span] = await serverSpans();
    expect(seen).toEqual(['flowtrace.test_id']);
    expect(span!.attributes['flowtrace.test_id']).toBe('t-1');
  } finally {
    await close(server);
  }
});

test('redacts sensitive headers it records and captures bodies per role, redacted and capped', async () => {
  const app = express();
  app.use(express.json());
  app.use(
    createHttpMiddleware(t.tracing, {
      captureHeaders: { request: ['authorization', 'x-tenant', 'x-secret-thing'], response: ['set-cookie', 'content-type'] },
      redactHeaders: ['X-Secret-Thing'],
      identify: (req) => ({ id: String(req.headers['x-user'] ?? ''), roles: req.headers['x-user'] === 'ada' ? ['support'] : ['member'] }),
      roles: { support: { captureBody: true } },
      maxBodyBytes: 60,
    }),
  );
  app.post('/api/login/:step', (req, res) => {
    setEndUser(req, { id: 'ada-verified' });
    res.cookie('session', 's3cret').json({ ok: true });
  });
  const server = createServer(app);
  const base = await listen(server);
  try {
    const body = JSON.stringify({ user: 'ada', password: 'hunter2', note: 'x'.repeat(100) });
    const headers = { 'content-type': 'application/json', authorization: 'Basic abc', 'x-tenant': 'acme', 'x-secret-thing': 'shh' };
    await fetch(`${base}/api/login/1`, { method: 'POST', body, headers: { ...headers, 'x-user': 'ada' } });
    await fetch(`${base}/api/login/2`, { method: 'POST', body, headers: { ...headers, 'x-user': 'bob' } });
    const spans = await serverSpans(2);
    const ada = spans.find((span) => span.attributes['url.path'] === '/api/login/1')!;
    const bob = spans.find((span) => span.attributes['url.path'] === '/api/login/2')!;
    expect(ada.name).toBe('POST /api/login/:step');
    expect(ada.attributes).toMatchObject({
      'http.route': '/api/login/:step',
      'http.request.header.authorization': ['REDACTED'],
      'http.request.header.x-secret-thing': ['REDACTED'],
      'http.request.header.x-tenant': ['acme'],
      'http.response.header.set-cookie': ['REDACTED'],
      'enduser.id': 'ada-verified',
      'user.roles': ['support'],
    });
    const captured = String(ada.attributes['flowtrace.http.request.body']);
    expect(captured).toContain('"password":"REDACTED"');
    expect(captured).not.toContain('hunter2');
    expect(captured.length).toBeLessThanOrEqual(61);
    expect(bob.attributes['flowtrace.http.request.body']).toBeUndefined();
  } finally {
    await close(server);
  }
});

test('Express: the route template names the span and the error handler records the exception', async () => {
  const app = express();
  app.set('env', 'test'); // Express's final handler logs errors outside 'test'
  app.use(createHttpMiddleware(t.tracing));
  app.get('/api/rooms/:id', () => {
    throw new RangeError('no such room');
  });
  app.use(flowtraceErrorHandler);
  const server = createServer(app);
  const base = await listen(server);
  try {
    expect((await fetch(`${base}/api/rooms/7`)).status).toBe(500);
    const [span] = await serverSpans();
    expect(span!.name).toBe('GET /api/rooms/:id');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events.find((event) => event.name === 'exception')?.attributes?.['exception.type']).toBe('RangeError');
  } finally {
    await close(server);
  }
});

test('personal data in any attribute is scrubbed before export', async () => {
  const { base, server } = await serve((req, res) => {
    setEndUser(req, { id: 'ada@example.com' });
    ok(req, res);
  });
  try {
    await fetch(`${base}/search?q=4111%201111%201111%201111`, { headers: { 'user-agent': 'Bearer abc.def.ghi' } });
    const [span] = await serverSpans();
    expect(span!.attributes['enduser.id']).toBe('REDACTED');
    expect(span!.attributes['user_agent.original']).toBe('REDACTED');
  } finally {
    await close(server);
  }
});
