/**
 * A span received over OTLP and passed on upstream. It is a `ReadableSpan`, so it goes through the
 * same export queue (cap, batching, drop counts) as the server's own spans and any OpenTelemetry
 * exporter can send it; but it keeps the OTLP/JSON form it arrived in, and our protobuf encoder
 * writes that form back field for field: nanoseconds, int64 values beyond 2^53, bytes and kvlist
 * values, the whole resource, scope version and attributes, tracestate, flags and dropped counts
 * survive, which the SDK's own span types cannot all hold.
 */
import { TraceFlags, type Attributes, type AttributeValue, type HrTime, type Link, type SpanContext, type SpanKind, type SpanStatus } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationScope } from '@opentelemetry/core';
import { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf-writer.ts';

/** One decoded OTLP/JSON object (a span, a resource, an AnyValue, ...). */
export type OtlpJson = Record<string, unknown>;

const list = (value: unknown): OtlpJson[] => (Array.isArray(value) ? (value as OtlpJson[]) : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number => (typeof value === 'number' && value > 0 ? value : 0);

function hrTime(decimal: unknown): HrTime {
  const s = String(decimal ?? '0');
  return s.length > 9 ? [Number(s.slice(0, -9)), Number(s.slice(-9))] : [0, Number(s)];
}

/** An AnyValue as an OpenTelemetry attribute value (for exporters other than ours; int64 past 2^53 rounds). */
function attributeValue(value: OtlpJson | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value || 'doubleValue' in value) return Number(value.intValue ?? value.doubleValue);
  if ('arrayValue' in value) return list((value.arrayValue as OtlpJson | undefined)?.values).map((item) => attributeValue(item)) as AttributeValue;
  if ('kvlistValue' in value) return JSON.stringify(attributesOf((value.kvlistValue as OtlpJson | undefined)?.values));
  if ('bytesValue' in value) return String(value.bytesValue);
  return undefined;
}

function attributesOf(entries: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of list(entries)) out[text(kv.key)] = attributeValue(kv.value as OtlpJson | undefined);
  return out;
}

// The SDK types for a request's resource and scope, made once per group when an SDK exporter asks.
const resources = new WeakMap<OtlpJson, Resource>();

/** A span as it arrived over OTLP, with the `resourceSpans` and `scopeSpans` that held it. */
export class ForwardedSpan implements ReadableSpan {
  readonly #context: SpanContext;

  constructor(
    /** The span in OTLP/JSON form (hex ids, nanoseconds as decimal strings), already scrubbed. */
    readonly otlp: OtlpJson,
    readonly otlpResource: OtlpJson,
    readonly otlpScope: OtlpJson,
  ) {
    // The sender exported it, so it was sampled: the queue must not drop it as unsampled.
    this.#context = { traceId: text(otlp.traceId), spanId: text(otlp.spanId), traceFlags: TraceFlags.SAMPLED, isRemote: true };
  }

  spanContext(): SpanContext {
    return this.#context;
  }
  get name(): string {
    return text(this.otlp.name);
  }
  get kind(): SpanKind {
    return Math.max(0, Number(this.otlp.kind ?? 1) - 1) as SpanKind;
  }
  get parentSpanContext(): SpanContext | undefined {
    const spanId = text(this.otlp.parentSpanId);
    return spanId ? { traceId: this.#context.traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true } : undefined;
  }
  get startTime(): HrTime {
    return hrTime(this.otlp.startTimeUnixNano);
  }
  get endTime(): HrTime {
    return hrTime(this.otlp.endTimeUnixNano);
  }
  get duration(): HrTime {
    const [s0, n0] = this.startTime;
    const [s1, n1] = this.endTime;
    const diff = n1 - n0;
    return diff < 0 ? [s1 - s0 - 1, diff + 1e9] : [s1 - s0, diff];
  }
  get status(): SpanStatus {
    const status = (this.otlp.status ?? {}) as OtlpJson;
    return { code: Number(status.code ?? 0), ...(status.message ? { message: String(status.message) } : {}) };
  }
  get attributes(): Attributes {
    return attributesOf(this.otlp.attributes);
  }
  get links(): Link[] {
    return list(this.otlp.links).map((link) => ({
      context: {
        traceId: text(link.traceId),
        spanId: text(link.spanId),
        traceFlags: Number(link.flags ?? 0) & 0xff,
        ...(link.traceState ? { traceState: new TraceState(text(link.traceState)) } : {}),
      },
      attributes: attributesOf(link.attributes),
    }));
  }
  get events(): TimedEvent[] {
    return list(this.otlp.events).map((event) => ({ name: text(event.name), time: hrTime(event.timeUnixNano), attributes: attributesOf(event.attributes) }));
  }
  get ended(): boolean {
    return true;
  }
  get resource(): Resource {
    let resource = resources.get(this.otlpResource);
    if (!resource) resources.set(this.otlpResource, (resource = resourceFromAttributes(attributesOf((this.otlpResource.resource as OtlpJson | undefined)?.attributes))));
    return resource;
  }
  get instrumentationScope(): InstrumentationScope {
    const scope = (this.otlpScope.scope ?? {}) as OtlpJson;
    return { name: text(scope.name), ...(scope.version ? { version: text(scope.version) } : {}) };
  }
  get droppedAttributesCount(): number {
    return count(this.otlp.droppedAttributesCount);
  }
  get droppedEventsCount(): number {
    return count(this.otlp.droppedEventsCount);
  }
  get droppedLinksCount(): number {
    return count(this.otlp.droppedLinksCount);
  }
}

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

function keyValues(w: ProtobufWriter, values: unknown, field: number): void {
  for (const kv of list(values)) {
    w.tag(field, WIRE_LENGTH);
    const at = w.begin(1);
    w.tag(1, WIRE_LENGTH);
    w.string(text(kv.key));
    if (kv.value) {
      w.tag(2, WIRE_LENGTH);
      const inner = w.begin(1);
      anyValue(w, kv.value as OtlpJson);
      w.end(inner, 1);
    }
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
      for (const s of group) span(w, s.otlp);
      stringField(w, 3, scopeSpans.schemaUrl);
      w.end(ss, 3);
    }
    stringField(w, 3, resourceSpans.schemaUrl);
    w.end(at, 3);
  }
}
