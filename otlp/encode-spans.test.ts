import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { expect, test } from '@playwright/test';
import { encodeSpanFields } from './encode-forwarded.ts';
import { encodeSpans } from './encode-spans.ts';
import { ForwardedSpan, type OtlpJson } from './forwarded-span.ts';
import { otlpProtobufToJson } from './otlp-protobuf.ts';
import { ProtobufWriter } from './protobuf-writer.ts';
import { recordCorpus } from './test-spans.ts';

test('writes the same bytes as OpenTelemetry\'s ProtobufTraceSerializer for every field of the corpus', async () => {
  const spans = await recordCorpus();
  expect(spans.length).toBeGreaterThan(5);
  expect(Buffer.from(encodeSpans(spans))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!));
  // One at a time too: the buffer sized from the last message must carry nothing over.
  for (const span of spans) expect(Buffer.from(encodeSpans([span]))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest([span])!));
});

test('each message keeps its bytes when later ones are written, smaller or larger than the estimate', async () => {
  const spans = await recordCorpus();
  const first = encodeSpans(spans);
  const firstCopy = Buffer.from(first);
  // Far larger per span than the last message: its buffer must grow while it is written.
  const big = spans.map((span) => ({ ...span, spanContext: () => span.spanContext(), attributes: { ...span.attributes, blob: 'x'.repeat(100_000) } }));
  const second = encodeSpans(big);
  expect(Buffer.from(second)).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(big)!));
  encodeSpans(spans.slice(0, 1));
  expect(Buffer.from(first)).toEqual(firstCopy);
});

test('writes exact 64-bit nanoseconds and the int64 extremes', () => {
  const w = new ProtobufWriter(8);
  // Each edge of the split into 16-bit parts, and the largest time an HrTime holds in 64 bits.
  for (const [seconds, nanos] of [[0, 0], [65_535, 999_999_999], [65_536, 0], [2 ** 31, 1], [18_446_744_072, 709_551_615]] as const) {
    const one = new ProtobufWriter(8);
    one.fixed64Nanos(seconds, nanos);
    const bytes = one.finish();
    expect(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
  }
  w.fixed64Nanos(1_796_400_863, 999_999_999);
  w.int64(-1);
  w.int64(2 ** 62);
  const bytes = w.finish();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getBigUint64(0, true)).toBe(1_796_400_863_999_999_999n);
  expect([...bytes.subarray(8, 18)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  expect([...bytes.subarray(18)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
});

/** An export request as a browser might send it, with what the SDK's span types cannot hold. */
function browserRequest(): { resourceSpans: OtlpJson[] } {
  const kv = (key: string, value: OtlpJson) => ({ key, value });
  return {
    resourceSpans: [{
      resource: { attributes: [kv('service.name', { stringValue: 'web' }), kv('browser.language', { stringValue: 'de-CH' }), kv('cores', { intValue: '8' })], droppedAttributesCount: 1 },
      scopeSpans: [{
        scope: { name: '@opentelemetry/instrumentation-fetch', version: '0.223.0', attributes: [kv('scope.kind', { stringValue: 'auto' })] },
        schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
        spans: [{
          traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', traceState: 'congo=t61rcWkgMzE',
          name: 'HTTP GET ✓', kind: 3, startTimeUnixNano: '1796400863123456789', endTimeUnixNano: '1796400863223456789', flags: 0x301,
          attributes: [
            kv('huge', { intValue: '9007199254740993' }), kv('min', { intValue: '-9223372036854775808' }), kv('max', { intValue: '9223372036854775807' }),
            kv('d', { doubleValue: 0.1 }), kv('b', { boolValue: true }), kv('raw', { bytesValue: 'AAEC/w==' }),
            kv('list', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '-3' }] } }), kv('map', { kvlistValue: { values: [kv('k', { stringValue: 'v' })] } }),
          ],
          droppedAttributesCount: 2,
          events: [{ name: 'first byte', timeUnixNano: '1796400863200000001', attributes: [kv('n', { intValue: '1' })], droppedAttributesCount: 1 }],
          links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'vendor=x', attributes: [], flags: 0x101 }],
          droppedLinksCount: 3,
          status: { code: 2, message: 'boom' },
        }],
      }],
    }],
  };
}

test('writes a forwarded span back exactly as it arrived: int64 past 2^53, nanoseconds, bytes, kvlists, resource, scope, tracestate', () => {
  const request = browserRequest();
  const resourceSpans = request.resourceSpans[0]!;
  const scopeSpans = (resourceSpans.scopeSpans as OtlpJson[])[0]!;
  const forwarded = (scopeSpans.spans as OtlpJson[]).map((span) => new ForwardedSpan(span, resourceSpans, scopeSpans));
  const decoded = otlpProtobufToJson(encodeSpans(forwarded));
  // The protobuf reader gives ints as decimal strings and drops nothing it knows.
  const expected = JSON.parse(JSON.stringify(request));
  const span = expected.resourceSpans[0].scopeSpans[0].spans[0];
  span.attributes[3].value.doubleValue = 0.1;
  expect(decoded).toEqual(expected);
});

test('a forwarded span reads as a ReadableSpan for OpenTelemetry\'s own exporters', () => {
  const request = browserRequest();
  const resourceSpans = request.resourceSpans[0]!;
  const scopeSpans = (resourceSpans.scopeSpans as OtlpJson[])[0]!;
  const span = new ForwardedSpan((scopeSpans.spans as OtlpJson[])[0]!, resourceSpans, scopeSpans);
  expect(span.startTime).toEqual([1796400863, 123456789]);
  expect(span.duration).toEqual([0, 100_000_000]);
  expect(span.kind).toBe(2);
  expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  expect(span.resource.attributes).toMatchObject({ 'service.name': 'web', 'browser.language': 'de-CH' });
  expect(span.instrumentationScope).toEqual({ name: '@opentelemetry/instrumentation-fetch', version: '0.223.0' });
  expect(span.links[0]!.context.traceState?.serialize()).toBe('vendor=x');
  const otel = otlpProtobufToJson(ProtobufTraceSerializer.serializeRequest([span])!);
  expect(otel.resourceSpans[0]!.scopeSpans).toHaveLength(1);
});

test('a span encoded at ingest writes the same bytes, keeps only its ids and kept attributes, and reads back whole for other exporters', () => {
  const request = browserRequest();
  const resourceSpans = request.resourceSpans[0]!;
  const scopeSpans = (resourceSpans.scopeSpans as OtlpJson[])[0]!;
  const spans = scopeSpans.spans as OtlpJson[];
  (spans[0]!.attributes as OtlpJson[]).push({ key: 'flowtrace.test_id', value: { stringValue: 't-1' } });
  const plain = spans.map((span) => new ForwardedSpan(span, resourceSpans, scopeSpans));
  // An estimate far too small: the buffer grows, and every span's bytes stay its own.
  const wires = encodeSpanFields(spans, 1);
  const encoded = spans.map((span, i) => new ForwardedSpan(span, resourceSpans, scopeSpans, wires[i], ['flowtrace.test_id']));
  expect(Buffer.from(encodeSpans(encoded))).toEqual(Buffer.from(encodeSpans(plain)));
  const [span] = encoded;
  expect(span!.spanContext()).toEqual(plain[0]!.spanContext());
  expect(span!.stringAttribute('flowtrace.test_id')).toBe('t-1');
  // Anything else decodes the span back from its bytes, as OpenTelemetry's exporters would read it.
  expect(span!.startTime).toEqual([1796400863, 123456789]);
  expect(span!.attributes).toEqual(plain[0]!.attributes);
  expect(span!.links[0]!.context.traceState?.serialize()).toBe('vendor=x');
  expect(otlpProtobufToJson(ProtobufTraceSerializer.serializeRequest(encoded)!)).toEqual(otlpProtobufToJson(ProtobufTraceSerializer.serializeRequest(plain)!));
});
