import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import type { Attributes } from '@opentelemetry/api';
import { cachedKeyCount, MAX_CACHED_KEYS, resetAttributeCache } from './encode-attributes.ts';
import { encodeSpans } from './encode-spans.ts';
import { ForwardedSpan, type OtlpJson } from './forwarded-span.ts';
import { otlpProtobufToJson } from './otlp-protobuf.ts';

function spans(...attributes: Attributes[]): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
  for (const a of attributes) tracer.startSpan('span', { attributes: a }).end();
  return exporter.getFinishedSpans();
}

const otel = (s: ReadableSpan[]) => Buffer.from(ProtobufTraceSerializer.serializeRequest(s)!);

test.beforeEach(() => resetAttributeCache());

test('repeated, changing and alternating values encode as OpenTelemetry encodes them, span after span', () => {
  const batch = spans(
    ...Array.from({ length: 12 }, (_, i) => ({
      same: 'POST', changing: `req-${i}`, alternating: i % 2 ? 'a' : 'b', n: i % 3, flag: i % 2 === 0, ratio: 0.5, list: ['x'],
      // A value that becomes another type under the same key.
      mixed: i < 6 ? 'text' : 6,
    })),
  );
  expect(Buffer.from(encodeSpans(batch))).toEqual(otel(batch));
  // And again with everything cached, one span at a time.
  for (const span of batch) expect(Buffer.from(encodeSpans([span]))).toEqual(otel([span]));
});

test('keys named like Object.prototype members are plain keys to the cache', () => {
  const batch = spans({ constructor: 'c', toString: 't', hasOwnProperty: 1, valueOf: true }, { constructor: 'c', toString: 'u', hasOwnProperty: 1, valueOf: true });
  expect(Buffer.from(encodeSpans(batch))).toEqual(otel(batch));
  // `__proto__` cannot be an SDK attribute (setting it on an object sets the prototype), but a
  // browser can send it; it is forwarded as it arrived, twice (once cached).
  const kv = (key: string, value: OtlpJson) => ({ key, value });
  const span = (i: number) => ({
    traceId: 'ab'.repeat(16), spanId: `${i}`.padStart(16, '0'), name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2', events: [], links: [],
    attributes: [kv('__proto__', { stringValue: 'p' }), kv('constructor', { boolValue: true }), kv('hasOwnProperty', { intValue: '3' })],
  });
  const resourceSpans = { resource: { attributes: [kv('__proto__', { stringValue: 'r' })] }, scopeSpans: [{ scope: { name: 's' }, spans: [span(1), span(2)] }] };
  const scopeSpans = resourceSpans.scopeSpans[0]!;
  const decoded = otlpProtobufToJson(encodeSpans(scopeSpans.spans.map((s) => new ForwardedSpan(s, resourceSpans, scopeSpans))));
  expect(decoded).toEqual({ resourceSpans: [resourceSpans] });
});

test(`keeps at most ${MAX_CACHED_KEYS} keys, and writes the rest as usual`, () => {
  // Spans of 100 attributes each (the SDK keeps at most 128 a span), more keys in all than the cache keeps.
  const attributes = (span: number) => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key.${span}.${i}`, `value ${i}`]));
  const batch = spans(...Array.from({ length: Math.ceil(MAX_CACHED_KEYS / 100) + 1 }, (_, i) => attributes(i)));
  expect(Buffer.from(encodeSpans(batch))).toEqual(otel(batch));
  expect(cachedKeyCount()).toBe(MAX_CACHED_KEYS);
});
