/**
 * A span received over OTLP and passed on upstream. It is a `ReadableSpan`, so it goes through the
 * same export queue (cap, batching, drop counts) as the server's own spans and any OpenTelemetry
 * exporter can send it; but it keeps the OTLP/JSON form it arrived in, and our protobuf encoder
 * writes that form back field for field: nanoseconds, int64 values beyond 2^53, bytes and kvlist
 * values, the whole resource, scope version and attributes, tracestate, flags and dropped counts
 * survive, which the SDK's own span types cannot all hold (encode-forwarded.ts writes it).
 */
import { TraceFlags, type Attributes, type AttributeValue, type HrTime, type Link, type SpanContext, type SpanKind, type SpanStatus } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationScope } from '@opentelemetry/core';
import { decodeOtlpSpan } from './otlp-protobuf.ts';

/** One decoded OTLP/JSON object (a span, a resource, an AnyValue, ...). */
export type OtlpJson = Record<string, unknown>;

/** A repeated field of the OTLP/JSON form (absent or malformed reads as empty). */
export const list = (value: unknown): OtlpJson[] => (Array.isArray(value) ? (value as OtlpJson[]) : []);
/** A string field ('' when absent). */
export const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** A count field (0 when absent). */
export const count = (value: unknown): number => (typeof value === 'number' && value > 0 ? value : 0);

/**
 * Decimal nanoseconds since the epoch as `[seconds, nanoseconds]`, exact for a decimal string. A
 * JSON number past 2^53 is already rounded by the parser; BigInt keeps that value's digits, where
 * `String` would write `1.7e+21` and the split would read garbage.
 */
export function hrTime(decimal: unknown): HrTime {
  const s = typeof decimal === 'number' ? integerDigits(decimal) : String(decimal ?? '0');
  return s.length > 9 ? [Number(s.slice(0, -9)), Number(s.slice(-9))] : [0, Number(s)];
}

const integerDigits = (value: number): string =>
  Number.isFinite(value) ? BigInt(Math.trunc(value)).toString() : '0';

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

// The sender exported it, so it was sampled: the queue must not drop it as unsampled.
const contextOf = (otlp: OtlpJson): SpanContext => ({ traceId: text(otlp.traceId), spanId: text(otlp.spanId), traceFlags: TraceFlags.SAMPLED, isRemote: true });

function stringAttributeOf(otlp: OtlpJson, key: string): string | undefined {
  for (const kv of list(otlp.attributes)) {
    if (kv.key !== key) continue;
    const value = (kv.value ?? {}) as OtlpJson;
    return typeof value.stringValue === 'string' ? value.stringValue : undefined;
  }
  return undefined;
}

/** A `Span` field's message bytes: past its one-byte tag and its varint length. */
function messageOf(field: Uint8Array): Uint8Array {
  let at = 1;
  while (field[at++]! & 0x80);
  return field.subarray(at);
}

// The SDK types for a request's resource and scope, made once per group when an SDK exporter asks.
const resources = new WeakMap<OtlpJson, Resource>();

/** A span as it arrived over OTLP, with the `resourceSpans` and `scopeSpans` that held it. */
export class ForwardedSpan implements ReadableSpan {
  #context: SpanContext | undefined;
  #otlp: OtlpJson | undefined;
  /** The string attributes read before the JSON form was let go (see {@link stringAttribute}). */
  readonly #kept: Map<string, string | undefined> | undefined;
  /**
   * The span's `Span` field in OTLP protobuf (tag and length included) when it was encoded at
   * ingest (encode-forwarded.ts `encodeSpanFields`): our encoder copies these bytes, and the
   * OTLP/JSON form is decoded back from them only if another exporter reads a field.
   */
  readonly wire: Uint8Array | undefined;

  /**
   * @param otlp the span in OTLP/JSON form (hex ids, nanoseconds as decimal strings), already scrubbed
   * @param wire the same span already encoded: then `otlp` is not kept, only its ids and the string
   *   attributes named in `keep`
   */
  constructor(otlp: OtlpJson, readonly otlpResource: OtlpJson, readonly otlpScope: OtlpJson, wire?: Uint8Array, keep: readonly string[] = []) {
    if (!wire) {
      this.#otlp = otlp;
      return;
    }
    this.wire = wire;
    this.#context = contextOf(otlp);
    this.#kept = new Map(keep.map((key) => [key, stringAttributeOf(otlp, key)]));
  }

  /** The span in OTLP/JSON form (decoded again from {@link wire} when only that was kept). */
  get otlp(): OtlpJson {
    return (this.#otlp ??= decodeOtlpSpan(messageOf(this.wire!)));
  }

  spanContext(): SpanContext {
    return (this.#context ??= contextOf(this.otlp));
  }
  get name(): string {
    return text(this.otlp.name);
  }
  get kind(): SpanKind {
    return Math.max(0, Number(this.otlp.kind ?? 1) - 1) as SpanKind;
  }
  get parentSpanContext(): SpanContext | undefined {
    const spanId = text(this.otlp.parentSpanId);
    return spanId ? { traceId: this.spanContext().traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true } : undefined;
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
  /**
   * One string attribute, read from the wire form without building {@link attributes} (which
   * converts every value): the export ledger reads the test id of every forwarded span.
   */
  stringAttribute(key: string): string | undefined {
    if (this.#kept?.has(key)) return this.#kept.get(key);
    return stringAttributeOf(this.otlp, key);
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
