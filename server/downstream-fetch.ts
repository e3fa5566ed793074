/**
 * Outgoing `fetch` calls from the server: one CLIENT span each, with W3C `traceparent`,
 * `tracestate` and `baggage` injected through the global propagator (strict W3C, see
 * w3c-propagator.ts). An explicit wrapper rather than undici instrumentation: no module patching.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { redactUrl } from '../shared/redact.ts';
import { normalizeMethod } from './http-core.ts';
import type { TracerSource } from './tracing.ts';

export interface TracedFetchOptions {
  /**
   * Whether to send trace headers to this URL. Context is information about your system; keep it
   * to services you run.
   * @default every URL
   */
  propagateTo?: (url: URL) => boolean;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Returns a `fetch` that traces each call as a CLIENT span of `tracing` and propagates the context. */
export function createTracedFetch(tracing: TracerSource, options: TracedFetchOptions = {}): typeof fetch {
  const { tracer } = tracing;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { propagateTo } = options;

  return async function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const method = normalizeMethod(request.method);
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_FULL]: redactUrl(`${url.origin}${url.pathname}${url.search}`),
        [ATTR_SERVER_ADDRESS]: url.hostname,
        [ATTR_SERVER_PORT]: url.port ? Number(url.port) : defaultPort,
      },
    });
    const active = trace.setSpan(context.active(), span);
    if (!propagateTo || propagateTo(url)) {
      propagation.inject(active, request.headers, { set: (headers, key, value) => headers.set(key, value) });
    }
    try {
      const response = await context.with(active, () => baseFetch(request));
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      // Client spans: 4xx and 5xx are both errors (HTTP span conventions).
      if (response.status >= 400) {
        span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      const err = error as Error;
      span.recordException(err);
      span.setAttribute(ATTR_ERROR_TYPE, err?.name ?? 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: err?.message });
      throw error;
    } finally {
      span.end();
    }
  };
}
