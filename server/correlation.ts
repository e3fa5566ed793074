/**
 * Correlation response headers, so a browser (or a human with devtools) can find the server's
 * trace for a response:
 * - `traceresponse` (W3C Trace Context Level 2 draft, https://w3c.github.io/trace-context/#traceresponse-header)
 * - `Server-Timing: traceparent;desc="..."`, readable from the browser's Resource Timing API
 * plus `Access-Control-Expose-Headers` so cross-origin callers may read them.
 */
import type { SpanContext } from '@opentelemetry/api';

export const EXPOSED_HEADERS = 'traceresponse, server-timing, x-request-id';

/** `00-{trace-id}-{span-id}-{flags}` for the server span. */
export function traceresponseValue({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The `Server-Timing` entry carrying the same value. */
export function serverTimingValue(traceresponse: string): string {
  return `traceparent;desc="${traceresponse}"`;
}

/** Whether a request gets the correlation headers under the `correlationHeaders` option. */
export function wantsCorrelationHeaders(option: boolean | 'recorded', recorded: boolean): boolean {
  return option === true || (option === 'recorded' && recorded);
}
