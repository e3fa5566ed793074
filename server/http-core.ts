/**
 * The framework-neutral half of the HTTP middleware: starts the SERVER span from a request's
 * facts under the trust policy, and finishes it from the response's. The node:http/Express and
 * Hono adapters only translate their request and response into these calls.
 */
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
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
import {
  ATTR_ENDUSER_ID,
  ATTR_HTTP_REQUEST_BODY,
  ATTR_HTTP_REQUEST_BODY_SIZE,
  ATTR_HTTP_REQUEST_HEADER,
  ATTR_HTTP_RESPONSE_BODY_SIZE,
  ATTR_HTTP_RESPONSE_HEADER,
  ATTR_REQUEST_ID,
  ATTR_USER_ROLES,
} from '../shared/attributes.ts';
import { REDACTED, redactFields, redactQuery } from '../shared/redact.ts';
import type { EndUser, ResolvedHttpOptions } from './http-options.ts';
import { recordError } from './record-error.ts';
import { decideTrust, incomingContext } from './trust.ts';
import { unsampledRootsFor } from './unsampled-roots.ts';

/**
 * What the adapters read off a request for a span that records. Read only then: an unrecorded
 * request never pays for them (the peer address alone is a call into libuv on first read).
 */
export interface RequestDetails {
  host: string;
  encrypted: boolean;
  httpVersion: string | undefined;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  contentLength: string | undefined;
}

/** One traced request in flight. */
export interface ServerRequestState {
  readonly span: Span;
  /** The context the handler runs in (the span under its parent). */
  readonly context: Context;
  readonly method: string;
  route: string | undefined;
  requestId: string | undefined;
  captureBody: boolean;
  /** An exception was recorded: the status it set stands. */
  failed: boolean;
  ended: boolean;
}

/** What the adapters read off a finished response. */
export interface ResponseFacts {
  status: number;
  aborted: boolean;
  route: string | undefined;
  contentLength: string | number | undefined;
  header: ((name: string) => string | string[] | number | undefined) | undefined;
  /** A body the framework parsed, when capture is on. */
  body: unknown;
  error: unknown;
}

// https://opentelemetry.io/docs/specs/semconv/http/http-spans/#common-attributes: other methods are
// recorded as _OTHER so a client cannot mint unbounded span names.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** The method as semantic conventions record it. */
export function normalizeMethod(raw: string): string {
  if (KNOWN_METHODS.has(raw)) return raw;
  const upper = raw.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

function headerAttribute(name: string, value: unknown, sensitive: ReadonlySet<string>): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (sensitive.has(name)) return [REDACTED];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function bodyAttribute(body: unknown, options: ResolvedHttpOptions<unknown>): string | undefined {
  if (body === undefined || body === null) return undefined;
  let text: string;
  try {
    text = typeof body === 'string' ? body : JSON.stringify(redactFields(body, options.sensitiveQueryParams));
  } catch {
    return undefined;
  }
  return text.length > options.maxBodyBytes ? `${text.slice(0, options.maxBodyBytes)}…` : text;
}

/** Records an exception on a request's span, once. */
export function failRequest(state: ServerRequestState, error: unknown): void {
  if (state.failed || !state.span.isRecording()) return;
  state.failed = true;
  recordError(state.span, error);
}

/** Sets `enduser.id` and `user.roles` once the app knows the user. */
export function applyEndUser(span: Span, user: EndUser): void {
  if (user.id) span.setAttribute(ATTR_ENDUSER_ID, user.id);
  if (user.roles?.length) span.setAttribute(ATTR_USER_ROLES, [...user.roles]);
}

/** The start and finish of SERVER spans, bound to a tracer and resolved options. */
export interface HttpSpanCore<Request> {
  /**
   * Starts the span for a request line (`target` is the path and query as sent), or returns
   * undefined when the request is not traced.
   */
  start<Carrier>(request: Request, rawMethod: string, target: string, carrier: Carrier, getter: TextMapGetter<Carrier>): ServerRequestState | undefined;
  finish(state: ServerRequestState, response: ResponseFacts): void;
}

const START: SpanOptions = Object.freeze({ kind: SpanKind.SERVER });

/** `describe` reads the {@link RequestDetails} of a request whose span records. */
export function createHttpSpanCore<Request>(
  tracer: Tracer,
  options: ResolvedHttpOptions<Request>,
  describe: (request: Request) => RequestDetails,
): HttpSpanCore<Request> {
  const { filter, ignore, identify, roles } = options;
  const contextOptions = { baggage: options.baggage, trustSampledFlag: options.trustSampledFlag };
  // Set when the tracer's sampler lets a dropped new root skip the SDK (unsampled-roots.ts).
  const startUnsampledRoot = unsampledRootsFor(tracer);

  function recordRequest<Carrier>(span: Span, request: Request, method: string, rawMethod: string, target: string, q: number, path: string, user: EndUser | undefined, carrier: Carrier, getter: TextMapGetter<Carrier>): void {
    const details = describe(request);
    const { host } = details;
    const colon = host.lastIndexOf(':');
    const hasPort = colon > 0 && host.indexOf(']', colon) < 0;
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_PATH]: path,
      [ATTR_URL_SCHEME]: details.encrypted ? 'https' : 'http',
      [ATTR_SERVER_ADDRESS]: hasPort ? host.slice(0, colon) : host,
      [ATTR_SERVER_PORT]: hasPort ? Number(host.slice(colon + 1)) : details.encrypted ? 443 : 80,
    };
    if (method === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = rawMethod;
    if (q >= 0) attributes[ATTR_URL_QUERY] = redactQuery(target.slice(q + 1), options.sensitiveQueryParams);
    if (details.httpVersion) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = details.httpVersion;
    if (details.userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = details.userAgent;
    if (details.clientAddress) attributes[ATTR_CLIENT_ADDRESS] = details.clientAddress;
    if (details.contentLength) attributes[ATTR_HTTP_REQUEST_BODY_SIZE] = Number(details.contentLength);
    if (user?.id) attributes[ATTR_ENDUSER_ID] = user.id;
    for (const name of options.requestHeaders) {
      const value = headerAttribute(name, getter.get(carrier, name), options.sensitiveHeaders);
      if (value) attributes[ATTR_HTTP_REQUEST_HEADER(name)] = value;
    }
    span.setAttributes(attributes);
  }

  function start<Carrier>(request: Request, rawMethod: string, target: string, carrier: Carrier, getter: TextMapGetter<Carrier>): ServerRequestState | undefined {
    const method = normalizeMethod(rawMethod);
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    if (filter && !filter(method, path)) return undefined;
    if (ignore?.(request)) return undefined;

    const { parent, links } = incomingContext(carrier, getter, decideTrust(options.trust, request), contextOptions);
    // A dropped root needs nothing more: not the user (its roles cannot change a plain ratio's
    // decision), not the SDK.
    const unsampled = startUnsampledRoot?.(parent);
    if (unsampled) return { span: unsampled, context: trace.setSpan(parent, unsampled), method, route: undefined, requestId: undefined, captureBody: false, failed: false, ended: false };

    const user = identify?.(request);
    // Only what the sampler reads goes in at the start: the SDK checks start attributes on every
    // span, recorded or not, and three times over on a recorded one. The rest go in once, below.
    const userRoles = user?.roles?.length ? [...user.roles] : undefined;
    const spanOptions = userRoles || links.length ? { kind: SpanKind.SERVER, links, attributes: userRoles ? { [ATTR_USER_ROLES]: userRoles } : undefined } : START;
    const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, spanOptions, parent);

    let captureBody = false;
    if (span.isRecording()) {
      recordRequest(span, request, method, rawMethod, target, q, path, user, carrier, getter);
      captureBody = options.captureBody || (user?.roles?.some((role) => roles[role]?.captureBody === true) ?? false);
    }
    return { span, context: trace.setSpan(parent, span), method, route: undefined, requestId: undefined, captureBody, failed: false, ended: false };
  }

  function finish(state: ServerRequestState, response: ResponseFacts): void {
    if (state.ended) return;
    state.ended = true;
    const { span } = state;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const route = state.route ?? response.route;
    if (route) {
      span.updateName(`${state.method === '_OTHER' ? 'HTTP' : state.method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    const { status } = response;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (state.requestId) span.setAttribute(ATTR_REQUEST_ID, state.requestId);
    if (response.contentLength !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_BODY_SIZE, Number(response.contentLength));
    if (response.header) {
      for (const name of options.responseHeaders) {
        const value = headerAttribute(name, response.header(name), options.sensitiveHeaders);
        if (value) span.setAttribute(ATTR_HTTP_RESPONSE_HEADER(name), value);
      }
    }
    if (state.captureBody) {
      const body = bodyAttribute(response.body, options as ResolvedHttpOptions<unknown>);
      if (body !== undefined) span.setAttribute(ATTR_HTTP_REQUEST_BODY, body);
    }
    if (response.error !== undefined) {
      failRequest(state, response.error);
    } else if (state.failed) {
      // The recorded exception already set the status and error.type.
    } else if (response.aborted) {
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'response aborted before it finished' });
    } else if (status >= 500) {
      // Server spans: only 5xx is an error; 4xx is the client's fault (HTTP span conventions).
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  return { start, finish };
}

/** Runs `fn` inside the request's context. */
export function runInRequest<T>(state: ServerRequestState, fn: () => T): T {
  return context.with(state.context, fn);
}
