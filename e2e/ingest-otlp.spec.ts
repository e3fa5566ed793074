/**
 * The demo's OTLP ingest fed the way OpenTelemetry's own exporters and the Collector feed it:
 * OTLPTraceExporter (JSON over HTTP), ProtobufTraceSerializer bodies, gzip as the Collector's
 * otlphttp exporter sends by default.
 */
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect, test } from './fixtures.ts';

/** A small real trace, recorded by the OpenTelemetry SDK, tagged with the test's id. */
async function recordTrace(testId: string, service: string): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('ingest-e2e');
  const attributes = { 'flowtrace.test_id': testId };
  const root = tracer.startSpan('checkout', { kind: SpanKind.SERVER, attributes });
  const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);
  const call = tracer.startSpan('GET /inventory', { kind: SpanKind.CLIENT, attributes }, under(root));
  const query = tracer.startSpan('SELECT items', { kind: SpanKind.CLIENT, attributes: { ...attributes, 'db.system.name': 'postgresql' } }, under(call));
  query.end();
  call.end();
  root.end();
  await provider.forceFlush();
  return memory.getFinishedSpans();
}

const EXPECTED = `
  browser: checkout [server]
    browser: GET /inventory [client]
      db: SELECT items
`;

test('accepts OTLP/JSON from the real OTLPTraceExporter', async ({ baseURL, traces }) => {
  const exporter = new OTLPTraceExporter({ url: `${baseURL}/flowtrace/v1/traces` });
  const spans = await recordTrace(traces.testId, 'json-sender');
  const exported = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  expect(exported.code, String(exported.error)).toBe(ExportResultCode.SUCCESS);
  await exporter.shutdown();
  const stored = await traces.one();
  expect(stored).toHaveSpanTree(EXPECTED);
  expect(stored.every((span) => span.service === 'json-sender')).toBe(true);
});

test('accepts OTLP/protobuf as ProtobufTraceSerializer encodes it, plain and gzip-compressed', async ({ request, traces }) => {
  const plain = ProtobufTraceSerializer.serializeRequest(await recordTrace(traces.testId, 'proto-sender'))!;
  const response = await request.post('/flowtrace/v1/traces', { headers: { 'content-type': 'application/x-protobuf' }, data: Buffer.from(plain) });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/x-protobuf');
  expect((await response.body()).length).toBe(0); // an empty ExportTraceServiceResponse: full success

  const compressed = gzipSync(ProtobufTraceSerializer.serializeRequest(await recordTrace(traces.testId, 'gzip-sender'))!);
  const gzipped = await request.post('/flowtrace/v1/traces', {
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    data: compressed,
  });
  expect(gzipped.status()).toBe(200);

  const stored = await traces.settle({ minTraces: 2 });
  expect(stored.map((t) => t.spans[0]!.service).toSorted()).toEqual(['gzip-sender', 'proto-sender']);
  for (const { spans } of stored) expect(spans).toHaveSpanTree(EXPECTED);
});

test('a malformed protobuf body gets 400 with the reason in a google.rpc.Status body', async ({ request }) => {
  const response = await request.post('/flowtrace/v1/traces', {
    headers: { 'content-type': 'application/x-protobuf' },
    data: Buffer.from([0x0a, 0x05, 0x01]),
  });
  expect(response.status()).toBe(400);
  expect(response.headers()['content-type']).toBe('application/x-protobuf');
  // Status.message is field 2; its text is readable inside the bytes.
  expect((await response.body()).toString('latin1')).toMatch(/invalid OTLP protobuf: not an OTLP protobuf message: truncated length-delimited field at byte 2/);
  expect((await request.get('/healthz')).ok()).toBe(true);
});
