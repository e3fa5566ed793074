import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import type { OtlpJson } from '../otlp/forwarded-span.ts';
import { createFlowtraceEndpoints } from './endpoints.ts';
import { startReceiver, type Answer, type Receiver } from './otlp-receiver.test-support.ts';
import { close, listen } from './test-support.ts';
import { createServerTracing, type ServerTracingOptions } from './tracing.ts';

const kv = (key: string, value: OtlpJson) => ({ key, value });

/** A browser export with what the SDK's span types cannot all hold, and personal data planted in it. */
function browserExport(spanCount = 1): { resourceSpans: OtlpJson[] } {
  const spans = Array.from({ length: spanCount }, (_, i) => ({
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: '00f067aa0ba902b7',
    name: 'GET /api/rooms?token=s3cret', kind: 3, startTimeUnixNano: '1796400863123456789', endTimeUnixNano: '1796400863223456701',
    attributes: [
      kv('huge', { intValue: '9007199254740993' }), kv('min', { intValue: '-9223372036854775808' }), kv('ratio', { doubleValue: 0.25 }),
      kv('url.full', { stringValue: 'https://app.test/api/rooms?token=s3cret&page=2' }), kv('user.note', { stringValue: 'mail me at jane@example.com' }),
      kv('http.request.header.authorization', { arrayValue: { values: [{ stringValue: 'Basic abc' }] } }), kv('ok', { boolValue: true }),
    ],
    events: [{ name: 'first byte', timeUnixNano: '1796400863200000001', attributes: [kv('n', { intValue: '1' })] }],
    links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'vendor=x,other=y', attributes: [] }],
    status: { code: 2, message: 'failed for jane@example.com' },
  }));
  return {
    resourceSpans: [{
      resource: { attributes: [kv('service.name', { stringValue: 'simplycaster-web' }), kv('browser.language', { stringValue: 'de-CH' }), kv('browser.mobile', { boolValue: false })] },
      scopeSpans: [{ scope: { name: 'flowtrace', version: '0.1.0' }, spans }],
    }],
  };
}

async function startIngest(options: ServerTracingOptions, answer?: (n: number) => Answer) {
  const receiver: Receiver = await startReceiver(answer);
  const tracing = createServerTracing({ register: false, exportQueue: { scheduledDelayMillis: 10 }, ...options, ...(options.exporter ? {} : { export: { url: receiver.url, initialBackoffMillis: 10 } }) });
  const endpoints = createFlowtraceEndpoints(tracing, { rateLimit: false });
  const server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  const base = await listen(server);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/flowtrace/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: headers['content-encoding'] ? gzipSync(JSON.stringify(body)) : JSON.stringify(body) });
  return {
    receiver, tracing, post,
    async stop() {
      await tracing.shutdown(2000);
      await close(server);
      await receiver.close();
    },
  };
}

test('with store: false and an exporter, the ingest answers 200 and forwards', async () => {
  const ingest = await startIngest({ store: false });
  const res = await ingest.post(browserExport(), { 'content-encoding': 'gzip' });
  expect(res.status).toBe(200);
  await ingest.tracing.forceFlush();
  expect(ingest.receiver.spans()).toHaveLength(1);
  expect(ingest.tracing.exportStats()).toMatchObject({ exported: 1, dropped: 0 });
  await ingest.stop();
});

test('counts forwarded spans per test id for the settle, from their wire form', async () => {
  const ingest = await startIngest({ store: false });
  const sent = browserExport(3);
  const spans = (sent.resourceSpans[0]!.scopeSpans as OtlpJson[])[0]!.spans as Array<{ attributes: unknown[] }>;
  spans[0]!.attributes.push(kv('flowtrace.test_id', { stringValue: 'test-a' }));
  spans[1]!.attributes.push(kv('flowtrace.test_id', { stringValue: 'test-a' }));
  spans[2]!.attributes.push(kv('flowtrace.test_id', { intValue: '7' })); // not a test id
  expect((await ingest.post(sent)).status).toBe(200);
  await ingest.tracing.forceFlush();
  expect(ingest.tracing.exportedForTest('test-a')).toEqual({ spans: 2, traceIds: ['0af7651916cd43dd8448eb211c80319c'] });
  expect(ingest.tracing.exportedForTest('7').spans).toBe(0);
  await ingest.stop();
});

test('forwards a browser span field by field as it arrived, except what the scrub removes', async () => {
  const ingest = await startIngest({ store: false });
  const sent = browserExport();
  expect((await ingest.post(sent)).status).toBe(200);
  await ingest.tracing.forceFlush();
  const [received] = ingest.receiver.received.map((r) => r.body.resourceSpans).flat();
  const span = ((received!.scopeSpans as OtlpJson[])[0]!.spans as OtlpJson[])[0]!;
  const attributes = Object.fromEntries((span.attributes as Array<{ key: string; value: OtlpJson }>).map((a) => [a.key, a.value]));
  // Exact: nanoseconds, int64 past 2^53 and at its minimum, resource, scope, link tracestate.
  expect(span.startTimeUnixNano).toBe('1796400863123456789');
  expect(span.endTimeUnixNano).toBe('1796400863223456701');
  expect((span.events as OtlpJson[])[0]!.timeUnixNano).toBe('1796400863200000001');
  expect(attributes.huge).toEqual({ intValue: '9007199254740993' });
  expect(attributes.min).toEqual({ intValue: '-9223372036854775808' });
  expect(attributes.ratio).toEqual({ doubleValue: 0.25 });
  expect(attributes.ok).toEqual({ boolValue: true });
  expect(received!.resource).toEqual(sent.resourceSpans[0]!.resource);
  expect((received!.scopeSpans as OtlpJson[])[0]!.scope).toEqual({ name: 'flowtrace', version: '0.1.0' });
  expect((span.links as OtlpJson[])[0]).toMatchObject({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'vendor=x,other=y' });
  expect(span).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentSpanId: '00f067aa0ba902b7', kind: 3, status: { code: 2 } });
  // Scrubbed: query secrets (name and URL), personal data, sensitive headers.
  expect(span.name).toBe('GET /api/rooms?token=REDACTED');
  expect(attributes['url.full']).toEqual({ stringValue: 'https://app.test/api/rooms?token=REDACTED&page=2' });
  expect(attributes['user.note']).toEqual({ stringValue: 'mail me at REDACTED' });
  expect(attributes['http.request.header.authorization']).toEqual({ arrayValue: { values: [{ stringValue: 'REDACTED' }] } });
  expect(span.status).toEqual({ code: 2, message: 'failed for REDACTED' });
  await ingest.stop();
});

test('scrubs before every sink: the store keeps no more than the backend gets, with nanoseconds and resource', async () => {
  const ingest = await startIngest({});
  expect((await ingest.post(browserExport())).status).toBe(200);
  await ingest.tracing.forceFlush();
  const [stored] = ingest.tracing.store!.trace('0af7651916cd43dd8448eb211c80319c');
  expect(stored).toMatchObject({
    name: 'GET /api/rooms?token=REDACTED',
    side: 'browser',
    startTimeUnixNano: '1796400863123456789',
    resource: { 'service.name': 'simplycaster-web', 'browser.language': 'de-CH' },
    scope: { name: 'flowtrace', version: '0.1.0' },
    status: { code: 'error', message: 'failed for REDACTED' },
  });
  expect(stored!.attributes).toMatchObject({ 'url.full': 'https://app.test/api/rooms?token=REDACTED&page=2', 'user.note': 'mail me at REDACTED', 'http.request.header.authorization': ['REDACTED'] });
  expect(JSON.stringify(ingest.receiver.spans())).not.toContain('jane@example.com');
  expect(JSON.stringify(ingest.receiver.spans())).not.toContain('s3cret');
  await ingest.stop();
});

test('when the upstream queue is full, the ingest answers 429 at once, forwards none of that request, and counts the drops', async () => {
  // A collector that never answers and a queue of 10: two batches go out and hang (two exports are
  // in flight at most), the third fills the queue.
  const ingest = await startIngest({ store: false, exportQueue: { maxQueueSize: 10, maxExportBatchSize: 10, scheduledDelayMillis: 60_000 } }, () => 'hang');
  expect((await ingest.post(browserExport(10))).status).toBe(200);
  await ingest.receiver.requests(1);
  expect((await ingest.post(browserExport(10))).status).toBe(200);
  await ingest.receiver.requests(2);
  expect((await ingest.post(browserExport(10))).status).toBe(200);
  const started = Date.now();
  const res = await ingest.post(browserExport(5));
  expect(Date.now() - started).toBeLessThan(2000);
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(await res.json()).toEqual({ error: '5 spans not forwarded: the upstream export queue is full; retry after 1 s' });
  expect(ingest.tracing.exportStats()).toMatchObject({ dropped: 5, queued: 10 });
  await ingest.stop();
});

test('with the store on, a full upstream queue still stores the spans and says what was not forwarded', async () => {
  const ingest = await startIngest({ exportQueue: { maxQueueSize: 4, maxExportBatchSize: 4, scheduledDelayMillis: 60_000 } }, () => 'hang');
  const res = await ingest.post(browserExport(5));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ partialSuccess: {} });
  expect(ingest.tracing.store!.trace('0af7651916cd43dd8448eb211c80319c')).toHaveLength(5);
  expect(ingest.tracing.exportStats().dropped).toBe(5);
  await ingest.stop();
});

test('a resource without scopeSpans, or a scope without spans, is an empty but valid export', async () => {
  const ingest = await startIngest({ store: false });
  const res = await ingest.post({ resourceSpans: [{ resource: { attributes: [] } }, { scopeSpans: [{ scope: { name: 'x' } }] }] });
  expect(res.status).toBe(200);
  expect(ingest.tracing.exportStats().dropped).toBe(0);
  await ingest.stop();
});

test('without a store or an exporter the ingest says so with 503', async () => {
  const tracing = createServerTracing({ register: false, store: false });
  const endpoints = createFlowtraceEndpoints(tracing, { rateLimit: false });
  const server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  const base = await listen(server);
  const res = await fetch(`${base}/flowtrace/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(browserExport()) });
  expect(res.status).toBe(503);
  expect(await res.json()).toEqual({ error: 'no trace store or upstream exporter is configured to take spans' });
  await tracing.shutdown();
  await close(server);
});
