import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { decodeOtlpJson, OtlpDecodeError } from './otlp-json.ts';
import { decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus, otlpProtobufToJson } from './otlp-protobuf.ts';
import { ProtobufReader } from './protobuf-reader.ts';

/** Real spans from the OpenTelemetry SDK, with every field kind a trace export carries. */
async function recordSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'proto-test', 'service.version': '1.2.3' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test', '0.1');
  const other = tracer.startSpan('other');
  other.end();
  const link: Link = { context: other.spanContext(), attributes: { 'link.reason': 'trust' } };
  const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER, links: [link] });
  {
    // No context manager here: the parent is passed explicitly.
    const child = tracer.startSpan(
      'child',
      {
        kind: SpanKind.CLIENT,
        attributes: { str: 'é ✓', int: 42, neg: -7, big: 2 ** 40, dbl: 1.5, yes: true, no: false, list: ['a', 'b'], nums: [1, 2] },
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    child.addEvent('retry', { attempt: 2 });
    child.recordException(new Error('boom'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'it broke' });
    child.end();
    parent.setStatus({ code: SpanStatusCode.OK });
    parent.end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

test('decodes what ProtobufTraceSerializer sends into the same spans as the JSON encoding', async () => {
  const spans = await recordSpans();
  const proto = ProtobufTraceSerializer.serializeRequest(spans)!;
  const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
  const fromProto = decodeOtlpProtobuf(proto, 'browser');
  expect(fromProto).toHaveLength(3);
  expect(fromProto).toEqual(decodeOtlpJson(json, 'browser'));
  const child = fromProto.find((span) => span.name === 'child')!;
  expect(child).toMatchObject({
    kind: 'client',
    service: 'proto-test',
    status: { code: 'error', message: 'it broke' },
    attributes: { str: 'é ✓', int: 42, neg: -7, big: 2 ** 40, dbl: 1.5, yes: true, no: false, list: ['a', 'b'], nums: [1, 2] },
  });
  expect(child.events.map((event) => event.name)).toEqual(['retry', 'exception']);
  const parent = fromProto.find((span) => span.name === 'parent')!;
  expect(child.parentSpanId).toBe(parent.spanId);
  expect(parent.links).toEqual([
    { traceId: fromProto.find((s) => s.name === 'other')!.traceId, spanId: fromProto.find((s) => s.name === 'other')!.spanId, attributes: { 'link.reason': 'trust' } },
  ]);
  expect(child.endTime).toBeGreaterThanOrEqual(child.startTime);
  expect(child.startTime).toBeGreaterThan(Date.UTC(2020, 0, 1));
});

test('rejects truncated or garbage bytes with a reason that names the byte offset', async () => {
  const proto = ProtobufTraceSerializer.serializeRequest(await recordSpans())!;
  expect(() => decodeOtlpProtobuf(proto.subarray(0, proto.length - 5), 'browser')).toThrow(OtlpDecodeError);
  expect(() => decodeOtlpProtobuf(proto.subarray(0, proto.length - 5), 'browser')).toThrow(/truncated .* at byte \d+/);
  expect(() => decodeOtlpProtobuf(new TextEncoder().encode('{"resourceSpans":[]}'), 'browser')).toThrow(/not an OTLP protobuf message/);
});

test('an empty body is an empty export, and unknown fields are skipped', () => {
  expect(decodeOtlpProtobuf(new Uint8Array(0), 'browser')).toEqual([]);
  // field 9 (varint 1) at the top level: unknown to this schema version, skipped.
  expect(otlpProtobufToJson(Uint8Array.from([0x48, 0x01]))).toEqual({ resourceSpans: [] });
});

test('a span without ids is rejected by the shared OTLP validation', () => {
  // ResourceSpans{ ScopeSpans{ Span{ name: "x" } } }
  const span = [0x2a, 0x01, 0x78];
  const scope = [0x12, span.length, ...span];
  const resource = [0x12, scope.length, ...scope];
  const body = Uint8Array.from([0x0a, resource.length, ...resource]);
  expect(() => decodeOtlpProtobuf(body, 'browser')).toThrow(/traceId must be a non-zero hex id/);
});

test('encodes the partial-success response and the rpc Status error body', () => {
  expect(encodeExportResponse()).toHaveLength(0);
  const partial = new ProtobufReader(encodeExportResponse(3, 'too many spans'));
  expect(partial.tag()).toEqual({ field: 1, wire: 2 });
  const inner = new ProtobufReader(partial.bytes());
  expect(inner.tag()).toEqual({ field: 1, wire: 0 });
  expect(inner.varint()).toBe(3);
  expect(inner.tag()).toEqual({ field: 2, wire: 2 });
  expect(inner.string()).toBe('too many spans');
  const status = new ProtobufReader(encodeRpcStatus(3, 'bad'));
  expect(status.tag()).toEqual({ field: 1, wire: 0 });
  expect(status.varint()).toBe(3);
  expect(status.tag()).toEqual({ field: 2, wire: 2 });
  expect(status.string()).toBe('bad');
});
