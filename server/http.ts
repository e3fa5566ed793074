/**
 * HTTP SERVER spans as explicit middleware for node:http, Connect and Express: no module patching,
 * so it works under ESM, tsx and bundlers alike (DESIGN.md §3). The span logic lives in
 * http-core.ts; this file only reads node's request and response.
 *
 * Incoming W3C context is continued through the propagators under the trust policy; a malformed
 * header is ignored by them and the request starts a fresh trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, diag, type TextMapGetter } from '@opentelemetry/api';
import { sendCorrelationHeaders } from './correlation.ts';
import { applyEndUser, createHttpSpanCore, failRequest, type RequestDetails, type ServerRequestState } from './http-core.ts';
import { resolveHttpOptions, type EndUser, type HttpTracingOptions } from './http-options.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { ServerTracing } from './tracing.ts';

/** Connect/Express-style continuation. */
export type NextFunction = (error?: unknown) => void;

/** Options of {@link createHttpMiddleware}. */
export type NodeHttpTracingOptions = HttpTracingOptions<IncomingMessage>;
export type { NodeHttpTracingOptions as HttpTracingOptions };

const headerGetter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

const STATE = Symbol('flowtrace.serverRequest');
type TracedRequest = IncomingMessage & { [STATE]?: ServerRequestState };

/** The SERVER span state of a request, when it is traced. */
export function requestState(req: IncomingMessage): ServerRequestState | undefined {
  return (req as TracedRequest)[STATE];
}

/**
 * Names the request's SERVER span after its route template (`POST /api/rooms/:id`) and sets
 * `http.route`. Call it from a router that knows the template; Express routes are found without it.
 */
export function setHttpRoute(req: IncomingMessage, route: string): void {
  const state = requestState(req);
  if (state) state.route = route;
}

/** Records the authenticated user on a node:http request's span; public as `setEndUser`. */
export function setNodeEndUser(req: IncomingMessage, user: EndUser): void {
  const state = requestState(req);
  if (state?.span.isRecording()) applyEndUser(state.span, user);
}

/** Records an exception on the request's span: an exception event and error status. */
export function recordRequestError(req: IncomingMessage, error: unknown): void {
  const state = requestState(req);
  if (state) failRequest(state, error);
}

/**
 * Express error middleware (four arguments) that records the error on the request's span and
 * passes it on: `app.use(flowtraceErrorHandler)` after the routes.
 */
export function flowtraceErrorHandler(error: unknown, req: IncomingMessage, _res: ServerResponse, next: NextFunction): void {
  recordRequestError(req, error);
  next(error);
}

function expressRoute(req: IncomingMessage): string | undefined {
  const { route, baseUrl } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : undefined;
}

function describeRequest(req: IncomingMessage): RequestDetails {
  const { headers, socket } = req;
  return {
    host: headers.host ?? '',
    encrypted: (socket as { encrypted?: boolean }).encrypted === true,
    httpVersion: req.httpVersion,
    clientAddress: socket.remoteAddress,
    userAgent: headers['user-agent'],
    contentLength: headers['content-length'],
  };
}

/** Creates middleware that traces each request as a SERVER span and runs the rest inside it. */
export function createHttpMiddleware(tracing: ServerTracing, options: NodeHttpTracingOptions = {}) {
  const resolved = resolveHttpOptions(options);
  const core = createHttpSpanCore(tracing.tracer, resolved, describeRequest);

  // One listener for every response of this middleware, no closure per request: the state is
  // found through the request (node sets `res.req`), so the response gains no properties.
  function onResponseClose(this: ServerResponse): void {
    const req = this.req as TracedRequest | undefined;
    const state = req?.[STATE];
    if (req && state) finish(req, this, state);
  }

  function finish(req: IncomingMessage, res: ServerResponse, state: ServerRequestState): void {
    try {
      core.finish(state, {
        status: res.statusCode,
        aborted: !res.writableFinished,
        route: state.route ? undefined : expressRoute(req),
        contentLength: res.getHeader('content-length') as string | number | undefined,
        header: resolved.responseHeaders.length ? (name) => res.getHeader(name) : undefined,
        body: state.captureBody ? (req as { body?: unknown }).body : undefined,
        error: undefined,
      });
    } catch (error) {
      diag.error('flowtrace: finishing a server span failed', error);
    }
  }

  return function flowtraceHttpMiddleware(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    let state: ServerRequestState | undefined;
    try {
      const { headers } = req;
      state = core.start(req, req.method ?? 'GET', req.url ?? '/', headers, headerGetter);
      if (state) {
        // Only cross-origin callers (which always send Origin) need the headers exposed.
        sendCorrelationHeaders(state, resolved, headers[REQUEST_ID_HEADER], headers.origin !== undefined, res);
        // An unrecorded span has nothing to finish, name or fail: it is not kept on the request
        // and gets no listener (the costliest part of the unrecorded path after the headers).
        if (state.span.isRecording()) {
          (req as TracedRequest)[STATE] = state;
          // 'close' fires once per response, after 'finish' or on abort; `on` avoids once()'s wrapper.
          res.on('close', onResponseClose);
        }
      }
    } catch (error) {
      // Tracing must never take the request down with it.
      diag.error('flowtrace: starting a server span failed', error);
      state = undefined;
    }
    if (!state) return next();
    // Nothing to record a thrown error on: the handler runs as it is, with no closure around it.
    if (!state.span.isRecording()) return context.with(state.context, next);

    const traced = state;
    context.with(traced.context, () => {
      try {
        next();
      } catch (error) {
        failRequest(traced, error);
        throw error;
      }
    });
  };
}
