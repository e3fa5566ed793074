/**
 * Writes {@link ForwardedSpan}s back to OTLP protobuf from the OTLP/JSON form they arrived in,
 * field for field: int64 values exact past 2^53 (via BigInt only when a decimal has more than 15
 * digits), nanoseconds exact, bytes and kvlist values, every resource attribute, the scope with
 * its version and attributes, tracestate, flags and dropped counts. Proto3 defaults (zero, empty)
 * are left out, which decodes to the same message.
 */
import { writeKeyValue, type CacheToken } from './encode-attributes.ts';
import { count, hrTime, list, text, type ForwardedSpan, type OtlpJson } from './forwarded-span.ts';
import { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf-writer.ts';

function nanos(w: ProtobufWriter, field: number, value: unknown): void {
  const [seconds, rest] = hrTime(value);
  w.tag(field, WIRE_FIXED64);
  w.fixed64Nanos(seconds, rest);
}

function int64(w: ProtobufWriter, value: unknown): void {
  // Decimal strings of up to 15 digits are exact as doubles; longer ones go through BigInt.
  if (typeof value === 'number' || String(value).length <= 15) return w.int64(Math.trunc(Number(value)));
  const big = BigInt.asUintN(64, BigInt(String(value)));
  w.varint64(Number(big & 0xffff_ffffn), Number(big >> 32n));
}

function anyValue(w: ProtobufWriter, value: OtlpJson): void {
  if ('stringValue' in value) {
    w.tag(1, WIRE_LENGTH);
    w.string(text(value.stringValue));
  } else if ('boolValue' in value) {
    w.tag(2, WIRE_VARINT);
    w.varint(value.boolValue ? 1 : 0);
  } else if ('intValue' in value) {
    w.tag(3, WIRE_VARINT);
    int64(w, value.intValue);
  } else if ('doubleValue' in value) {
    w.tag(4, WIRE_FIXED64);
    w.double(Number(value.doubleValue));
  } else if ('arrayValue' in value) {
    w.tag(5, WIRE_LENGTH);
    const at = w.begin(1);
    for (const item of list((value.arrayValue as OtlpJson | undefined)?.values)) {
      w.tag(1, WIRE_LENGTH);
      const inner = w.begin(1);
      anyValue(w, item);
      w.end(inner, 1);
    }
    w.end(at, 1);
  } else if ('kvlistValue' in value) {
    w.tag(6, WIRE_LENGTH);
    const at = w.begin(1);
    keyValues(w, (value.kvlistValue as OtlpJson | undefined)?.values, 1);
    w.end(at, 1);
  } else if ('bytesValue' in value) {
    w.tag(7, WIRE_LENGTH);
    w.bytes(Buffer.from(text(value.bytesValue), 'base64'));
  }
}

/**
 * The value as the attribute cache compares it: string and bool values only, which are written
 * exactly as a server span's string or boolean (ints are not: `intValue: 1` and `doubleValue: 1`
 * would compare equal as numbers).
 */
function cacheToken(value: OtlpJson): CacheToken {
  if ('stringValue' in value) return typeof value.stringValue === 'string' ? value.stringValue : undefined;
  if ('boolValue' in value) return typeof value.boolValue === 'boolean' ? value.boolValue : undefined;
  return undefined;
}

function keyValues(w: ProtobufWriter, values: unknown, field: number): void {
  for (const kv of list(values)) {
    w.tag(field, WIRE_LENGTH);
    const value = kv.value as OtlpJson | undefined;
    if (value) {
      writeKeyValue(w, text(kv.key), cacheToken(value), value, anyValue);
      continue;
    }
    // No value: the key alone, as it arrived.
    const at = w.begin(1);
    w.tag(1, WIRE_LENGTH);
    w.string(text(kv.key));
    w.end(at, 1);
  }
}

function stringField(w: ProtobufWriter, field: number, value: unknown): void {
  if (typeof value !== 'string' || value === '') return;
  w.tag(field, WIRE_LENGTH);
  w.string(value);
}

function countField(w: ProtobufWriter, field: number, value: unknown): void {
  if (!count(value)) return;
  w.tag(field, WIRE_VARINT);
  w.varint(count(value));
}

function flagsField(w: ProtobufWriter, field: number, value: unknown): void {
  if (typeof value !== 'number' || value === 0) return;
  w.tag(field, WIRE_FIXED32);
  w.fixed32(value);
}

function idField(w: ProtobufWriter, field: number, value: unknown): void {
  if (typeof value !== 'string' || value === '') return;
  w.tag(field, WIRE_LENGTH);
  w.hexId(value);
}

function span(w: ProtobufWriter, s: OtlpJson): void {
  w.tag(2, WIRE_LENGTH);
  const at = w.begin(2);
  idField(w, 1, s.traceId);
  idField(w, 2, s.spanId);
  stringField(w, 3, s.traceState);
  idField(w, 4, s.parentSpanId);
  w.tag(5, WIRE_LENGTH);
  w.string(text(s.name));
  if (Number(s.kind)) {
    w.tag(6, WIRE_VARINT);
    w.varint(Number(s.kind));
  }
  nanos(w, 7, s.startTimeUnixNano);
  nanos(w, 8, s.endTimeUnixNano);
  keyValues(w, s.attributes, 9);
  countField(w, 10, s.droppedAttributesCount);
  for (const e of list(s.events)) {
    w.tag(11, WIRE_LENGTH);
    const event = w.begin(1);
    nanos(w, 1, e.timeUnixNano);
    stringField(w, 2, e.name);
    keyValues(w, e.attributes, 3);
    countField(w, 4, e.droppedAttributesCount);
    w.end(event, 1);
  }
  countField(w, 12, s.droppedEventsCount);
  for (const l of list(s.links)) {
    w.tag(13, WIRE_LENGTH);
    const link = w.begin(1);
    idField(w, 1, l.traceId);
    idField(w, 2, l.spanId);
    stringField(w, 3, l.traceState);
    keyValues(w, l.attributes, 4);
    countField(w, 5, l.droppedAttributesCount);
    flagsField(w, 6, l.flags);
    w.end(link, 1);
  }
  countField(w, 14, s.droppedLinksCount);
  const status = s.status as OtlpJson | undefined;
  if (status) {
    w.tag(15, WIRE_LENGTH);
    const at2 = w.begin(1);
    stringField(w, 2, status.message);
    if (Number(status.code)) {
      w.tag(3, WIRE_VARINT);
      w.varint(Number(status.code));
    }
    w.end(at2, 1);
  }
  flagsField(w, 16, s.flags);
  w.end(at, 2);
}

/**
 * Each span as its `Span` field of `ScopeSpans` (tag and length included), encoded at ingest into
 * one exact-size buffer. A forwarding ingest queues these bytes instead of the parsed JSON: JSON
 * kept until the export survives young-generation GCs and is copied into the old generation,
 * which cost more than parsing it (ingest-forward bench: about 8.5 µs a span retained against
 * 2.5 µs dropped young), and the export then copies bytes instead of encoding.
 */
export function encodeSpanFields(spans: readonly OtlpJson[], estimateBytes: number): Uint8Array[] {
  const w = new ProtobufWriter(Math.max(256, estimateBytes));
  const ends: number[] = [];
  for (const s of spans) {
    span(w, s);
    ends.push(w.pos);
  }
  const bytes = w.finish().slice();
  let from = 0;
  return ends.map((end) => bytes.subarray(from, (from = end)));
}

/** Writes forwarded spans as `ResourceSpans` in their original resource and scope groups. */
export function writeForwardedSpan(w: ProtobufWriter, spans: readonly ForwardedSpan[]): void {
  const groups = new Map<OtlpJson, Map<OtlpJson, ForwardedSpan[]>>();
  for (const s of spans) {
    let byScope = groups.get(s.otlpResource);
    if (!byScope) groups.set(s.otlpResource, (byScope = new Map()));
    const group = byScope.get(s.otlpScope);
    if (group) group.push(s);
    else byScope.set(s.otlpScope, [s]);
  }
  for (const [resourceSpans, byScope] of groups) {
    w.tag(1, WIRE_LENGTH);
    const at = w.begin(3);
    const resource = resourceSpans.resource as OtlpJson | undefined;
    if (resource) {
      w.tag(1, WIRE_LENGTH);
      const r = w.begin(2);
      keyValues(w, resource.attributes, 1);
      countField(w, 2, resource.droppedAttributesCount);
      w.end(r, 2);
    }
    for (const [scopeSpans, group] of byScope) {
      w.tag(2, WIRE_LENGTH);
      const ss = w.begin(3);
      const scope = scopeSpans.scope as OtlpJson | undefined;
      if (scope) {
        w.tag(1, WIRE_LENGTH);
        const sc = w.begin(1);
        stringField(w, 1, scope.name);
        stringField(w, 2, scope.version);
        keyValues(w, scope.attributes, 3);
        countField(w, 4, scope.droppedAttributesCount);
        w.end(sc, 1);
      }
      for (const s of group) {
        if (s.wire) w.raw(s.wire);
        else span(w, s.otlp);
      }
      stringField(w, 3, scopeSpans.schemaUrl);
      w.end(ss, 3);
    }
    stringField(w, 3, resourceSpans.schemaUrl);
    w.end(at, 3);
  }
}
