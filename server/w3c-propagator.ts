/**
 * W3C Trace Context (Level 1 and 2) with strict `tracestate` handling, as a subclass of
 * OpenTelemetry's W3CTraceContextPropagator: OpenTelemetry parses `traceparent` per the spec, but
 * keeps the valid members of a partly invalid `tracestate` and truncates one with over 32 members.
 * The spec says a `tracestate` that fails to parse is dropped whole
 * (https://www.w3.org/TR/trace-context-2/#tracestate-header-field-values), which this does.
 */
import { trace, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';

const MAX_MEMBERS = 32;
// https://www.w3.org/TR/trace-context-2/#key and #value
const KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * Whether a (combined) `tracestate` header value is valid as a whole: at most 32 list members,
 * each `key=value` per the grammar, no key twice. Empty members (`a=1,,b=2`) are allowed.
 */
export function isValidTraceState(header: string): boolean {
  const seen = new Set<string>();
  for (const raw of header.split(',')) {
    const member = raw.trim();
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return false;
    const key = member.slice(0, eq);
    if (!KEY.test(key) || !VALUE.test(member.slice(eq + 1)) || seen.has(key)) return false;
    seen.add(key);
    if (seen.size > MAX_MEMBERS) return false;
  }
  return true;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  // Several tracestate headers form one list (RFC 9110 §5.3); several traceparent headers are invalid.
  return Array.isArray(value) ? value.join(',') : value;
}

/** OpenTelemetry's W3C propagator with strict `tracestate` on the way in and on the way out. */
export class StrictW3CTraceContextPropagator extends W3CTraceContextPropagator {
  override extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parent = getter.get(carrier, 'traceparent');
    if (Array.isArray(parent) && parent.length > 1) return context;
    const extracted = super.extract(context, carrier, getter);
    const spanContext = trace.getSpanContext(extracted);
    if (!spanContext || extracted === context) return extracted;
    if (!trace.isSpanContextValid(spanContext)) return context;
    const state = headerValue(getter.get(carrier, 'tracestate'));
    if (state === undefined) return extracted;
    const { traceState: _dropped, ...rest } = spanContext;
    if (!isValidTraceState(state)) return trace.setSpanContext(context, rest);
    return trace.setSpanContext(context, { ...rest, traceState: new TraceState(state) });
  }

  override inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    const state = spanContext?.traceState?.serialize();
    if (spanContext && state !== undefined && (state === '' || !isValidTraceState(state))) {
      const { traceState: _dropped, ...rest } = spanContext;
      super.inject(trace.setSpanContext(context, rest), carrier, setter);
      return;
    }
    super.inject(context, carrier, setter);
  }
}
