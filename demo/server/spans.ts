/**
 * Domain spans of the demo ("auth.validate_credentials", "room.create"...), children of the
 * request's SERVER span. Attributes carry ids and counts, never personal data.
 */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { traceAsync } from 'flowtrace/server';

// The demo's own instrumentation scope; the spans still go to the registered provider.
const demoSpans = { tracer: trace.getTracer('simplycaster') };

/** Runs `fn` in a span named `name` (flowtrace's `traceAsync`); a thrown error marks it failed and is rethrown. */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return traceAsync(demoSpans, name, fn, { attributes });
}

/** Marks the current span failed with a reason, without an exception (an expected refusal). */
export function refuse(span: Span, reason: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}
