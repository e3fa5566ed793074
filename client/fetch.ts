/**
 * CLIENT spans for `fetch`, with `traceparent`/`tracestate`/`baggage` injected for same-origin
 * requests and `propagateTo` matches. Our own wrapper rather than
 * @opentelemetry/instrumentation-fetch: that one creates a PerformanceObserver per request, clones
 * and reads every response body to time its end and ends spans on a 300 ms timer, which measured
 * 0.7–0.8 ms per fetch here (goal 0.3) and 3 KB min+gz. This span ends when the response
 * headers arrive (or the request fails), with the stable HTTP client attributes.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';

export interface FetchTracingOptions {
  propagateTo: Array<string | RegExp>;
  /** URLs never traced (the ingest endpoint). */
  ignoreUrls: string[];
}

const headerSetter: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };

function matches(url: string, patterns: Array<string | RegExp>): boolean {
  return patterns.some((pattern) => (typeof pattern === 'string' ? url.startsWith(pattern) : pattern.test(url)));
}

/** Wraps `globalThis.fetch`; returns the undo. */
export function instrumentFetch({ propagateTo, ignoreUrls }: FetchTracingOptions): () => void {
  const original = globalThis.fetch;
  const tracer = trace.getTracer('flowtrace');
  const wrapper = function flowtraceFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const active = context.active();
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : String(input), location.href);
    } catch {
      return original(input, init);
    }
    if (isTracingSuppressed(active) || ignoreUrls.includes(url.href)) return original(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_FULL]: url.href,
          [ATTR_SERVER_ADDRESS]: url.hostname,
          [ATTR_SERVER_PORT]: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        },
      },
      active,
    );
    let sent = init;
    if (url.origin === location.origin || matches(url.href, propagateTo)) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      propagation.inject(trace.setSpan(active, span), headers, headerSetter);
      sent = { ...init, headers };
    }
    const pending = original(input, sent);
    // Observed, not chained: the app gets fetch's own promise, with no extra hop, and a rejection
    // stays the app's to handle exactly as without the SDK.
    pending.then(
      (response) => {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
        if (response.status >= 400) {
          span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      },
      (error: unknown) => {
        const name = (error as { name?: unknown } | null)?.name;
        span.setAttribute(ATTR_ERROR_TYPE, typeof name === 'string' ? name : 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      },
    );
    return pending;
  };
  globalThis.fetch = wrapper;
  return function uninstrumentFetch() {
    if (globalThis.fetch === wrapper) globalThis.fetch = original;
  };
}
