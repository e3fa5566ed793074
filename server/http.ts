/**
 * HTTP SERVER spans as explicit middleware for node:http, Connect and Express: no module patching,
 * so it works under ESM, tsx and bundlers alike (DESIGN.md §3).
 *
 * Incoming W3C context (traceparent, tracestate, baggage) is continued through OpenTelemetry's
 * propagators; a malformed header is ignored by them and the request starts a fresh trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { redactQuery } from '../shared/redact.ts';
import type { ServerTracing } from './tracing.ts';
import { decideTrust, incomingContext, type TrustPolicy } from './trust.ts';

/** Connect/Express-style continuation. */
export type NextFunction = (error?: unknown) => void;

export interface HttpTracingOptions {
  /**
   * Requests to leave untraced, for example health checks.
   * @default none
   */
  ignore?: (req: IncomingMessage) => boolean;
  /**
   * What to do with the client's trace context.
   * @default 'continue'
   */
  trust?: TrustPolicy<IncomingMessage>;
}

const headerGetter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

// https://opentelemetry.io/docs/specs/semconv/http/http-spans/#common-attributes: methods outside the
// well-known set are recorded as _OTHER, so a client cannot mint unbounded span names.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

const SERVER_SPAN = Symbol('flowtrace.serverSpan');
type TracedRequest = IncomingMessage & { [SERVER_SPAN]?: { span: Span; method: string; route?: string } };

/**
 * Names the request's SERVER span after its route template (`POST /api/rooms/:id`) and sets
 * `http.route`. Call it from a router that knows the template; Express routes are found without it.
 */
export function setHttpRoute(req: IncomingMessage, route: string): void {
  const state = (req as TracedRequest)[SERVER_SPAN];
  if (!state) return;
  state.route = route;
  state.span.updateName(`${state.method} ${route}`);
  state.span.setAttribute(ATTR_HTTP_ROUTE, route);
}

function expressRoute(req: IncomingMessage): string | undefined {
  const { route, baseUrl } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : undefined;
}

/** Creates middleware that traces each request as a SERVER span and runs the rest inside it. */
export function createHttpMiddleware(tracing: ServerTracing, options: HttpTracingOptions = {}) {
  const { ignore, trust = 'continue' } = options;
  const { tracer } = tracing;

  return function flowtraceHttpMiddleware(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    if (ignore?.(req)) return next();
    const rawMethod = (req.method ?? 'GET').toUpperCase();
    const method = KNOWN_METHODS.has(rawMethod) ? rawMethod : '_OTHER';
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const host = req.headers.host ?? '';
    const portMatch = /:(\d+)$/.exec(host);
    const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;

    const { parent, links } = incomingContext(req.headers, headerGetter, decideTrust(trust, req));
    const span = tracer.startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      {
        kind: SpanKind.SERVER,
        links,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_PATH]: q < 0 ? target : target.slice(0, q),
          [ATTR_URL_SCHEME]: encrypted ? 'https' : 'http',
          [ATTR_SERVER_ADDRESS]: portMatch ? host.slice(0, portMatch.index) : host,
          [ATTR_SERVER_PORT]: portMatch ? Number(portMatch[1]) : encrypted ? 443 : 80,
          [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
          ...(q >= 0 ? { [ATTR_URL_QUERY]: redactQuery(target.slice(q + 1)) } : {}),
          ...(req.headers['user-agent'] ? { [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'] } : {}),
          ...(req.socket.remoteAddress ? { [ATTR_CLIENT_ADDRESS]: req.socket.remoteAddress } : {}),
        },
      },
      parent,
    );
    const state: NonNullable<TracedRequest[typeof SERVER_SPAN]> = { span, method };
    (req as TracedRequest)[SERVER_SPAN] = state;

    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (!state.route) {
        const route = expressRoute(req);
        if (route) setHttpRoute(req, route);
      }
      const status = res.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (!res.writableFinished) {
        span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'response aborted before it finished' });
      } else if (status >= 500) {
        // Server spans: only 5xx is an error; 4xx is the client's fault (HTTP span conventions).
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);

    context.with(trace.setSpan(parent, span), () => {
      try {
        next();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      }
    });
  };
}
