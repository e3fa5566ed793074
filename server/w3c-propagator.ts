/**
 * W3C Trace Context (Level 1 and 2) as a subclass of OpenTelemetry's W3CTraceContextPropagator,
 * which parses `traceparent` per the spec. What it adds, and why:
 * - `tracestate` by the current grammar (https://www.w3.org/TR/trace-context-2/#key, the W3C
 *   suite since commit acab820): a key is a lower-case letter or digit and up to 255 more of
 *   `a-z 0-9 _ - * / @`. OpenTelemetry's TraceState still checks the older tenant@system grammar
 *   (dropping `foo@`, `foo@@bar` and long tenants), so a parsed list is kept in our own
 *   {@link ListTraceState}.
 * - Strict lists: OpenTelemetry keeps the valid members of a partly invalid `tracestate` and cuts
 *   one with over 32 members. The spec says a `tracestate` that fails to parse is dropped whole
 *   (https://www.w3.org/TR/trace-context-2/#tracestate-header-field-values), which this does.
 *   Duplicate keys are passed on as received: the spec lets a vendor drop duplicates it did not
 *   write, and passing them on breaks no one's correlation.
 * - The random trace-id flag (Level 2, https://www.w3.org/TR/trace-context-2/#random-trace-id-flag):
 *   the SDK gives every new span the flags 00 or 01 only, so the flag would be lost. On the way
 *   out it is set for a continued trace whose incoming `traceparent` had it, and for a trace id
 *   this process generated (the SDK's RandomIdGenerator draws all 16 bytes at random).
 */
import { createContextKey, trace, TraceFlags, type Context, type TextMapGetter, type TextMapSetter, type TraceState } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const MAX_MEMBERS = 32;
// https://www.w3.org/TR/trace-context-2/#key and #value
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// Optional whitespace around list members: spaces and tabs only (RFC 9110 §5.6.3).
const OWS = /^[ \t]+|[ \t]+$/g;
/** Bit 1 of trace-flags: the trace id's right-most 7 bytes are random. */
export const RANDOM_TRACE_ID_FLAG = 0x02;

/**
 * A `tracestate` list as received: members in order, duplicates kept. `set` moves a key to the
 * front and drops the right-most member past 32, as the spec's mutation rules say.
 */
export class ListTraceState implements TraceState {
  readonly #members: ReadonlyArray<readonly [string, string]>;

  constructor(members: ReadonlyArray<readonly [string, string]> = []) {
    this.#members = members;
  }

  set(key: string, value: string): TraceState {
    return new ListTraceState([[key, value] as const, ...this.#members.filter(([k]) => k !== key)].slice(0, MAX_MEMBERS));
  }

  unset(key: string): TraceState {
    return new ListTraceState(this.#members.filter(([k]) => k !== key));
  }

  get(key: string): string | undefined {
    return this.#members.find(([k]) => k === key)?.[1];
  }

  serialize(): string {
    return this.#members.map(([key, value]) => `${key}=${value}`).join(',');
  }
}

/**
 * Parses a (combined) `tracestate` header value: at most 32 list members, each `key=value` per
 * the grammar; empty members and optional whitespace are allowed. Undefined when any of it is
 * invalid: the whole header is then dropped.
 */
export function parseTraceState(header: string): ListTraceState | undefined {
  const members: Array<readonly [string, string]> = [];
  for (const raw of header.split(',')) {
    const member = raw.replace(OWS, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value)) return undefined;
    if (members.push([key, value]) > MAX_MEMBERS) return undefined;
  }
  return new ListTraceState(members);
}

/** Whether a (combined) `tracestate` header value is valid as a whole (see {@link parseTraceState}). */
export function isValidTraceState(header: string): boolean {
  return parseTraceState(header) !== undefined;
}

// The trace id of an incoming traceparent without the random flag. Any other trace id in this
// context was either received with the flag or generated here, at random.
const NOT_RANDOM_TRACE_ID = createContextKey('flowtrace.w3c.not-random-trace-id');

function headerValue(value: string | string[] | undefined): string | undefined {
  // Several tracestate headers form one list (RFC 9110 §5.3); several traceparent headers are invalid.
  return Array.isArray(value) ? value.join(',') : value;
}

/** OpenTelemetry's W3C propagator with the current `tracestate` grammar, strict lists and the random flag. */
export class StrictW3CTraceContextPropagator extends W3CTraceContextPropagator {
  override extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parent = getter.get(carrier, 'traceparent');
    if (Array.isArray(parent) && parent.length > 1) return context;
    const extracted = super.extract(context, carrier, getter);
    const spanContext = trace.getSpanContext(extracted);
    if (!spanContext || extracted === context) return extracted;
    if (!trace.isSpanContextValid(spanContext)) return context;
    const { traceState: _parsedByOtel, ...rest } = spanContext;
    const header = headerValue(getter.get(carrier, 'tracestate'));
    const traceState = header === undefined ? undefined : parseTraceState(header);
    const result = trace.setSpanContext(context, traceState ? { ...rest, traceState } : rest);
    return spanContext.traceFlags & RANDOM_TRACE_ID_FLAG ? result : result.setValue(NOT_RANDOM_TRACE_ID, spanContext.traceId);
  }

  override inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || !trace.isSpanContextValid(spanContext)) return super.inject(context, carrier, setter);
    const random = context.getValue(NOT_RANDOM_TRACE_ID) !== spanContext.traceId;
    const traceFlags = random ? spanContext.traceFlags | RANDOM_TRACE_ID_FLAG : spanContext.traceFlags & ~RANDOM_TRACE_ID_FLAG & 0xff;
    const state = spanContext.traceState?.serialize();
    // Another library's TraceState may serialize anything: an invalid or empty list is not sent.
    const traceState = state !== undefined && state !== '' && isValidTraceState(state) ? spanContext.traceState : undefined;
    if (traceFlags === spanContext.traceFlags && traceState === spanContext.traceState) return super.inject(context, carrier, setter);
    const { traceState: _dropped, ...rest } = spanContext;
    super.inject(trace.setSpanContext(context, { ...rest, traceFlags: traceFlags as TraceFlags, ...(traceState ? { traceState } : {}) }), carrier, setter);
  }
}
