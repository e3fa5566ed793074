/**
 * Encodes ended spans as an OTLP protobuf `ExportTraceServiceRequest`, straight from the SDK's
 * `ReadableSpan` into a buffer sized for it (see protobuf-writer.ts for why this is ours). The field
 * order and the choices of what to omit follow OpenTelemetry's `ProtobufTraceSerializer`, so the
 * bytes are the same as theirs (the unit test holds us to it). Spans received from browsers
 * ({@link ForwardedSpan}) are written from the wire form they arrived in, for full fidelity.
 */
import type { Attributes, AttributeValue, HrTime, Link, SpanStatus } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { writeKeyValue } from './encode-attributes.ts';
import { writeForwardedSpan } from './encode-forwarded.ts';
import { ForwardedSpan } from './forwarded-span.ts';
import { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf-writer.ts';

// OTLP span flags: the low byte is the W3C trace flags; bit 8 says whether bit 9 (remote) is known.
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (isRemote ? FLAGS_IS_REMOTE : 0);
}

function time(w: ProtobufWriter, field: number, value: HrTime): void {
  w.tag(field, WIRE_FIXED64);
  w.fixed64Nanos(Math.trunc(value[0]), Math.trunc(value[1]));
}

function anyValue(w: ProtobufWriter, value: unknown): void {
  if (typeof value === 'string') {
    w.tag(1, WIRE_LENGTH);
    w.string(value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      w.tag(3, WIRE_VARINT);
      w.int64(value);
    } else {
      w.tag(4, WIRE_FIXED64);
      w.double(value);
    }
  } else if (typeof value === 'boolean') {
    w.tag(2, WIRE_VARINT);
    w.varint(value ? 1 : 0);
  } else if (value instanceof Uint8Array) {
    w.tag(7, WIRE_LENGTH);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.tag(5, WIRE_LENGTH);
    const list = w.begin(1);
    for (const item of value) {
      w.tag(1, WIRE_LENGTH);
      const at = w.begin(1);
      anyValue(w, item);
      w.end(at, 1);
    }
    w.end(list, 1);
  } else if (typeof value === 'object' && value !== null) {
    w.tag(6, WIRE_LENGTH);
    const list = w.begin(1);
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      w.tag(1, WIRE_LENGTH);
      keyValueBody(w, key, (value as Record<string, unknown>)[key]);
    }
    w.end(list, 1);
  }
}

function keyValueBody(w: ProtobufWriter, key: string, value: unknown): void {
  // Equal strings, numbers and booleans are written alike here, so they may be cached whole.
  const token = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
  writeKeyValue(w, key, token, value, anyValue);
}

/** Repeated `KeyValue` attributes under `field`. */
export function writeAttributes(w: ProtobufWriter, attributes: Attributes | Record<string, AttributeValue | undefined>, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    w.tag(field, WIRE_LENGTH);
    keyValueBody(w, key, attributes[key]);
  }
}

function event(w: ProtobufWriter, e: TimedEvent): void {
  w.tag(11, WIRE_LENGTH);
  const at = w.begin(1);
  time(w, 1, e.time);
  w.tag(2, WIRE_LENGTH);
  w.string(e.name);
  if (e.attributes) writeAttributes(w, e.attributes, 3);
  w.tag(4, WIRE_VARINT);
  w.varint(e.droppedAttributesCount ?? 0);
  w.end(at, 1);
}

function link(w: ProtobufWriter, l: Link): void {
  w.tag(13, WIRE_LENGTH);
  const at = w.begin(1);
  w.tag(1, WIRE_LENGTH);
  w.hexId(l.context.traceId);
  w.tag(2, WIRE_LENGTH);
  w.hexId(l.context.spanId);
  const traceState = l.context.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LENGTH);
    w.string(traceState);
  }
  if (l.attributes) writeAttributes(w, l.attributes, 4);
  w.tag(5, WIRE_VARINT);
  w.varint(l.droppedAttributesCount ?? 0);
  w.tag(6, WIRE_FIXED32);
  w.fixed32(spanFlags(l.context.traceFlags, l.context.isRemote));
  w.end(at, 1);
}

function status(w: ProtobufWriter, s: SpanStatus): void {
  w.tag(15, WIRE_LENGTH);
  const at = w.begin(1);
  if (s.message) {
    w.tag(2, WIRE_LENGTH);
    w.string(s.message);
  }
  w.tag(3, WIRE_VARINT);
  w.varint(s.code);
  w.end(at, 1);
}

function span(w: ProtobufWriter, s: ReadableSpan): void {
  const context = s.spanContext();
  w.tag(2, WIRE_LENGTH);
  const at = w.begin(2);
  w.tag(1, WIRE_LENGTH);
  w.hexId(context.traceId);
  w.tag(2, WIRE_LENGTH);
  w.hexId(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LENGTH);
    w.string(traceState);
  }
  const parent = s.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, WIRE_LENGTH);
    w.hexId(parent.spanId);
  }
  w.tag(5, WIRE_LENGTH);
  w.string(s.name);
  // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0; the API's starts at INTERNAL = 0.
  w.tag(6, WIRE_VARINT);
  w.varint(s.kind + 1);
  time(w, 7, s.startTime);
  time(w, 8, s.endTime);
  writeAttributes(w, s.attributes, 9);
  w.tag(10, WIRE_VARINT);
  w.varint(s.droppedAttributesCount);
  for (const e of s.events) event(w, e);
  w.tag(12, WIRE_VARINT);
  w.varint(s.droppedEventsCount);
  for (const l of s.links) link(w, l);
  w.tag(14, WIRE_VARINT);
  w.varint(s.droppedLinksCount);
  status(w, s.status);
  w.tag(16, WIRE_FIXED32);
  w.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
  w.end(at, 2);
}

function resource(w: ProtobufWriter, r: Resource): void {
  w.tag(1, WIRE_LENGTH);
  const at = w.begin(2);
  writeAttributes(w, r.attributes, 1);
  w.tag(2, WIRE_VARINT);
  w.varint(0);
  w.end(at, 2);
}

function scopeSpans(w: ProtobufWriter, spans: ReadableSpan[]): void {
  const scope = spans[0]!.instrumentationScope;
  w.tag(2, WIRE_LENGTH);
  const at = w.begin(3);
  w.tag(1, WIRE_LENGTH);
  const head = w.begin(1);
  w.tag(1, WIRE_LENGTH);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, WIRE_LENGTH);
    w.string(scope.version);
  }
  w.end(head, 1);
  for (const s of spans) span(w, s);
  if (scope.schemaUrl) {
    w.tag(3, WIRE_LENGTH);
    w.string(scope.schemaUrl);
  }
  w.end(at, 3);
}

const writer = new ProtobufWriter();
// Bytes per span of the last message: the next message's buffer is sized from it with a margin,
// so it is written in place and handed out without a copy, and rarely has to grow.
let bytesPerSpan = 512;
const MARGIN = 1.25;

/**
 * The OTLP protobuf `ExportTraceServiceRequest` for `spans`, grouped by resource and scope (by
 * identity, in order of appearance, as OpenTelemetry groups them).
 */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array {
  const byResource = new Map<Resource, Map<object, ReadableSpan[]>>();
  const forwarded: ForwardedSpan[] = [];
  for (const s of spans) {
    if (s instanceof ForwardedSpan) {
      forwarded.push(s);
      continue;
    }
    let byScope = byResource.get(s.resource);
    if (!byScope) byResource.set(s.resource, (byScope = new Map()));
    const group = byScope.get(s.instrumentationScope);
    if (group) group.push(s);
    else byScope.set(s.instrumentationScope, [s]);
  }
  const w = writer;
  w.start(spans.length * bytesPerSpan * MARGIN + 256);
  for (const [r, byScope] of byResource) {
    w.tag(1, WIRE_LENGTH);
    const at = w.begin(3);
    resource(w, r);
    for (const group of byScope.values()) scopeSpans(w, group);
    if (r.schemaUrl) {
      w.tag(3, WIRE_LENGTH);
      w.string(r.schemaUrl);
    }
    w.end(at, 3);
  }
  if (forwarded.length) writeForwardedSpan(w, forwarded);
  if (spans.length) bytesPerSpan = w.pos / spans.length;
  return w.finish();
}
