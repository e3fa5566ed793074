/**
 * The HTTP middleware for Hono: the same SERVER spans as the node:http adapter, with `http.route`
 * from Hono's router. Hono is an optional peer: only types are imported statically, and the route
 * helper is loaded when the middleware is created.
 */
import type { IncomingMessage } from 'node:http';
import { context, diag, type TextMapGetter } from '@opentelemetry/api';
import type { Context as HonoContext, MiddlewareHandler } from 'hono';
import { sendCorrelationHeaders } from './correlation.ts';
import { applyEndUser, createHttpSpanCore, type RequestDetails, type ServerRequestState } from './http-core.ts';
import { resolveHttpOptions, type EndUser, type HttpTracingOptions } from './http-options.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { ServerTracing } from './tracing.ts';

/** Options of {@link createHonoMiddleware}; per-request functions receive Hono's context. */
export type HonoTracingOptions = HttpTracingOptions<HonoContext>;

const headersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

const STATE = 'flowtrace.serverRequest';

function stateOf(c: HonoContext): ServerRequestState | undefined {
  return (c as unknown as { get(key: string): unknown }).get(STATE) as ServerRequestState | undefined;
}

/** Records the authenticated user on a Hono request's span; public as `setEndUser`. */
export function setHonoEndUser(c: HonoContext, user: EndUser): void {
  const state = stateOf(c);
  if (state?.span.isRecording()) applyEndUser(state.span, user);
}

function describeRequest(c: HonoContext): RequestDetails {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const { headers } = c.req.raw;
  const url = new URL(c.req.url);
  return {
    host: headers.get('host') ?? url.host,
    encrypted: url.protocol === 'https:',
    httpVersion: incoming?.httpVersion,
    clientAddress: incoming?.socket.remoteAddress,
    userAgent: headers.get('user-agent') ?? undefined,
    contentLength: headers.get('content-length') ?? undefined,
  };
}

type RoutePath = (c: HonoContext, index?: number) => string;

async function cachedBody(c: HonoContext): Promise<unknown> {
  const cache = c.req.bodyCache as Record<string, Promise<unknown> | undefined>;
  const body = cache.json ?? cache.parsedBody ?? cache.text;
  return body?.catch(() => undefined);
}

/** Creates Hono middleware: `app.use(createHonoMiddleware(tracing))` before the routes. */
export function createHonoMiddleware(tracing: ServerTracing, options: HonoTracingOptions = {}): MiddlewareHandler {
  const resolved = resolveHttpOptions(options);
  const core = createHttpSpanCore(tracing.tracer, resolved, describeRequest);
  let routePath: RoutePath | undefined;
  // Loaded lazily so Hono stays an optional dependency; requests that finish before it loaded
  // wait for it (once), so no span misses its http.route.
  const routeHelper = import('hono/route').then(
    (helper) => {
      routePath = helper.routePath as RoutePath;
    },
    (error: unknown) => diag.warn('flowtrace: hono/route not found; Hono spans will lack http.route', error),
  );

  return async function flowtraceHonoMiddleware(c, next) {
    let state: ServerRequestState | undefined;
    try {
      const url = new URL(c.req.url);
      state = core.start(c, c.req.method, url.pathname + url.search, c.req.raw.headers, headersGetter);
      if (state) {
        c.set(STATE as never, state as never);
        sendCorrelationHeaders(state, resolved, c.req.raw.headers.get(REQUEST_ID_HEADER), true, { setHeader: (name, value) => c.header(name, value) });
      }
    } catch (error) {
      diag.error('flowtrace: starting a server span failed', error);
      state = undefined;
    }
    if (!state) return next();

    const traced = state;
    let thrown: unknown;
    try {
      await context.with(traced.context, next);
    } catch (error) {
      thrown = error;
      throw error;
    } finally {
      try {
        if (!routePath) await routeHelper;
        const route = routePath?.(c);
        core.finish(traced, {
          status: thrown === undefined ? c.res.status : 500,
          aborted: false,
          route: route && !route.includes('*') ? route : undefined,
          contentLength: c.res.headers.get('content-length') ?? undefined,
          header: (name) => c.res.headers.get(name) ?? undefined,
          body: traced.captureBody ? await cachedBody(c) : undefined,
          // Hono catches handler errors for its onError and leaves them on c.error.
          error: thrown ?? c.error,
        });
      } catch (error) {
        diag.error('flowtrace: finishing a server span failed', error);
      }
    }
  };
}
