/**
 * Correlation response headers, so a browser (or a human with devtools) can find the server's
 * trace for a response:
 * - `traceresponse` (W3C Trace Context Level 2 draft, https://w3c.github.io/trace-context/#traceresponse-header)
 * - `Server-Timing: traceparent;desc="..."`, readable from the browser's Resource Timing API
 * plus `Access-Control-Expose-Headers` so cross-origin callers may read them.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { ServerRequestState } from './http-core.ts';
import type { ResolvedHttpOptions } from './http-options.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';

export const EXPOSED_HEADERS = 'traceresponse, server-timing, x-request-id';

// The two hex digits of every trace-flags byte, made once rather than formatted per response.
const FLAGS = Array.from({ length: 256 }, (_, flags) => flags.toString(16).padStart(2, '0'));

/** `00-{trace-id}-{span-id}-{flags}` for the server span. */
export function traceresponseValue({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${FLAGS[traceFlags & 0xff]!}`;
}

/** The `Server-Timing` entry carrying the same value. */
export function serverTimingValue(traceresponse: string): string {
  return `traceparent;desc="${traceresponse}"`;
}

/** Where the headers go: node's ServerResponse is one as it is. */
export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  /** When given, an app's own `Access-Control-Expose-Headers` is left as it is. */
  hasHeader?(name: string): boolean;
}

/**
 * Sends a started request's headers: its request id (a well-formed incoming one, or one named
 * after the span, kept on `state`) and, as `correlationHeaders` asks, `traceresponse` and `Server-Timing`, plus
 * `Access-Control-Expose-Headers` for a cross-origin caller. Shared by the adapters, which differ
 * only in how they read and set headers.
 */
export function sendCorrelationHeaders(
  state: ServerRequestState,
  options: Pick<ResolvedHttpOptions<unknown>, 'requestId' | 'correlationHeaders'>,
  incomingRequestId: string | string[] | null | undefined,
  crossOrigin: boolean,
  target: HeaderTarget,
): void {
  const spanContext = state.span.spanContext();
  if (options.requestId) {
    state.requestId = requestIdFrom(incomingRequestId, spanContext);
    target.setHeader(REQUEST_ID_HEADER, state.requestId);
  }
  const wanted = options.correlationHeaders;
  if (wanted !== true && !(wanted === 'recorded' && state.span.isRecording())) return;
  const value = traceresponseValue(spanContext);
  target.setHeader('traceresponse', value);
  target.setHeader('server-timing', serverTimingValue(value));
  if (crossOrigin && !target.hasHeader?.('access-control-expose-headers')) target.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
}
