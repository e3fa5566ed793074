/**
 * Request ids: honour a well-formed incoming `X-Request-Id`, otherwise name the request after its
 * server span, `{trace-id}-{span-id}`: unique like a UUID (the ids are random), free to make, and
 * a log line carrying it leads straight to the trace.
 */
import { randomUUID } from 'node:crypto';
import { INVALID_SPANID, type SpanContext } from '@opentelemetry/api';

/** The header carrying the request id, both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Printable, no spaces or separators that could forge log lines or headers; bounded length.
const VALID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The incoming id when it is well-formed, else `{trace-id}-{span-id}` of the request's span, or
 * a new UUID when the span has no valid ids (tracing suppressed).
 */
export function requestIdFrom(incoming: string | string[] | undefined | null, span: SpanContext): string {
  if (typeof incoming === 'string' && VALID.test(incoming)) return incoming;
  // The SDK hands out the all-zero INVALID_SPAN_CONTEXT when tracing is suppressed.
  return span.spanId === INVALID_SPANID ? randomUUID() : `${span.traceId}-${span.spanId}`;
}
