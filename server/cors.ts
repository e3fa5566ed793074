/**
 * CORS for traced cross-origin calls: a browser only sends `traceparent`, `tracestate` and
 * `baggage` to another origin when the preflight allows them, and only lets the page read the
 * correlation headers when they are exposed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXPOSED_HEADERS } from './correlation.ts';
import type { NextFunction } from './http.ts';

/** The W3C request headers a traced browser sends. */
export const TRACE_REQUEST_HEADERS: readonly string[] = ['traceparent', 'tracestate', 'baggage'];

/**
 * `allowed` plus the trace headers, without duplicates, for any CORS library's allowed-headers
 * option (Express `cors({ allowedHeaders })`, Hono `cors({ allowHeaders })`).
 */
export function withTraceHeaders(allowed: readonly string[] = []): string[] {
  const seen = new Set(allowed.map((name) => name.toLowerCase()));
  return [...allowed, ...TRACE_REQUEST_HEADERS.filter((name) => !seen.has(name)), ...(seen.has('x-request-id') ? [] : ['x-request-id'])];
}

export interface TraceCorsOptions {
  /** Origins allowed to call, exactly as sent in `Origin`. Required: there is no safe default. */
  origins: readonly string[];
  /** Other request headers to allow. @default ['content-type'] */
  allowHeaders?: readonly string[];
  /** @default ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] */
  methods?: readonly string[];
  /** @default false */
  credentials?: boolean;
  /** Preflight cache, seconds. @default 600 */
  maxAge?: number;
}

/**
 * A small CORS middleware for node:http/Express that allows the trace headers: answers preflights
 * from allowed origins with 204, and adds the allow and expose headers to their other requests.
 */
export function createTraceCors(options: TraceCorsOptions) {
  const origins = new Set(options.origins);
  const allowHeaders = withTraceHeaders(options.allowHeaders ?? ['content-type']).join(', ');
  const methods = (options.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).join(', ');
  const { credentials = false, maxAge = 600 } = options;

  return function flowtraceCors(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    const origin = req.headers.origin;
    if (!origin || !origins.has(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    if (credentials) res.setHeader('access-control-allow-credentials', 'true');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('access-control-allow-headers', allowHeaders);
      res.setHeader('access-control-allow-methods', methods);
      res.setHeader('access-control-max-age', String(maxAge));
      res.writeHead(204).end();
      return;
    }
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    next();
  };
}
