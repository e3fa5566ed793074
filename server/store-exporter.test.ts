import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { expect, test } from '@playwright/test';
import { decodeOtlpJson } from '../otlp/otlp-json.ts';
import { recordCorpus } from '../otlp/test-spans.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { spanToRecord, TraceStoreExporter } from './store-exporter.ts';
import { TraceStore } from './store.ts';

test('maps an ended span to the same record the OTLP round trip gave, without the round trip', async () => {
  const spans = await recordCorpus();
  const viaOtlp = decodeOtlpJson(JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)), 'server');
  // The round trip groups spans by scope and kept only microseconds in the millisecond times; the
  // exact nanoseconds (compared as they are) say the same more precisely.
  const comparable = (records: SpanRecord[]) =>
    JSON.parse(JSON.stringify(records.toSorted((a, b) => a.spanId.localeCompare(b.spanId)), (key, value) =>
      key === 'startTime' || key === 'endTime' || key === 'time' ? undefined : value));
  expect(comparable(spans.map(spanToRecord))).toEqual(comparable(viaOtlp));
});

test('keeps exact nanoseconds, the whole resource, the scope and link tracestate', async () => {
  const spans = await recordCorpus();
  const parent = spanToRecord(spans.find((span) => span.name === 'GET /api/rooms/:id')!);
  const [seconds, nanos] = spans.find((span) => span.name === 'GET /api/rooms/:id')!.startTime;
  expect(BigInt(parent.startTimeUnixNano!)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
  expect(parent.resource).toMatchObject({ 'service.name': 'corpus', 'service.version': '1.2.3', 'host.cpu.count': 2 });
  expect(parent.scope).toEqual({ name: 'flowtrace', version: '0.1.0' });
  expect(parent.links[1]).toMatchObject({ traceId: 'ab'.repeat(16), traceState: 'vendor=x,other=y' });
  expect(parent.parentSpanId).toBe('b7ad6b7169203331');
});

test('stores what it exports and reports success', async () => {
  const store = new TraceStore();
  const spans = await recordCorpus();
  const result = await new Promise((resolve) => new TraceStoreExporter(store).export(spans, resolve));
  expect(result).toEqual({ code: 0 });
  expect(store.trace(spans[1]!.spanContext().traceId).map((span) => span.name)).toContain('child');
});
