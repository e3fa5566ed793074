/**
 * Options of the HTTP middleware (node:http/Express/Connect and Hono): the public all-optional
 * type and the resolved one, with every default in one place.
 */
import { DEFAULT_SENSITIVE_HEADERS, DEFAULT_SENSITIVE_QUERY_PARAMS } from '../shared/redact.ts';
import { type RequestFilter, compileFilter } from './request-filter.ts';
import type { BaggagePolicy, TrustPolicy } from './trust.ts';

/** Who made the request, as the app's authentication knows it. */
export interface EndUser {
  /** Recorded as `enduser.id`. */
  id?: string;
  /** Recorded as `user.roles`; the first role with a rule in `roles` picks that rule. */
  roles?: readonly string[];
}

/** Tracing rules for one role. Sampling per role is `sampleRatioByRole` on the tracing setup. */
export interface RoleRule {
  /** Capture request bodies of this role's requests. */
  captureBody?: boolean;
}

export interface HttpTracingOptions<Request> {
  /** Requests to leave untraced, for example health checks. @default none */
  ignore?: (request: Request) => boolean;
  /** Only trace requests matching this (paths and/or methods). @default everything */
  include?: RequestFilter;
  /** Never trace requests matching this. @default nothing */
  exclude?: RequestFilter;
  /** What to do with the client's trace context, fixed or per request. @default 'continue' */
  trust?: TrustPolicy<Request>;
  /** Which client baggage entries to keep. @default the test id only */
  baggage?: BaggagePolicy;
  /** Follow a client's not-sampled flag. @default false */
  trustSampledFlag?: boolean;
  /**
   * Honour a valid incoming `X-Request-Id`, or name the request `{trace-id}-{span-id}` after its
   * server span (a UUID when tracing is suppressed); return it in `X-Request-Id` and record it as
   * `flowtrace.request_id`. `false` turns it off.
   * @default true
   */
  requestId?: boolean;
  /**
   * Send `traceresponse` and `Server-Timing: traceparent;desc=...` with
   * `Access-Control-Expose-Headers`, so the browser can find the server's trace.
   * `'recorded'` sends them only for requests whose span is recorded: an unrecorded trace cannot
   * be found, and two headers cost about 1.4 µs per request (bench/server-throughput.bench.ts).
   * `true` sends them on every traced request, with the sampled flag telling the caller the decision.
   * @default 'recorded'
   */
  correlationHeaders?: boolean | 'recorded';
  /** Header names to record as `http.request.header.*` / `http.response.header.*`. @default none */
  captureHeaders?: { request?: readonly string[]; response?: readonly string[] };
  /** Header names whose values are recorded as `REDACTED`, added to the defaults. @default [] */
  redactHeaders?: readonly string[];
  /** Query parameter names whose values are recorded as `REDACTED`, added to the defaults. @default [] */
  redactQueryParams?: readonly string[];
  /**
   * Record the request body (JSON fields redacted, cut at `maxBodyBytes`), for every request or
   * per role through `roles`. Reads the body a framework has parsed (Express `req.body`, Hono's cache).
   * @default false
   */
  captureBody?: boolean;
  /** @default 4096 */
  maxBodyBytes?: number;
  /** Finds the user before the span starts, so sampling and body capture can follow the role. */
  identify?: (request: Request) => EndUser | undefined;
  /** Tracing rules by role. @default {} */
  roles?: Readonly<Record<string, RoleRule>>;
}

/** {@link HttpTracingOptions} with every default applied. */
export interface ResolvedHttpOptions<Request> {
  ignore: ((request: Request) => boolean) | undefined;
  filter: ((method: string, path: string) => boolean) | undefined;
  trust: TrustPolicy<Request>;
  baggage: BaggagePolicy | undefined;
  trustSampledFlag: boolean;
  requestId: boolean;
  correlationHeaders: boolean | 'recorded';
  requestHeaders: readonly string[];
  responseHeaders: readonly string[];
  sensitiveHeaders: ReadonlySet<string>;
  sensitiveQueryParams: readonly string[];
  captureBody: boolean;
  maxBodyBytes: number;
  identify: ((request: Request) => EndUser | undefined) | undefined;
  roles: Readonly<Record<string, RoleRule>>;
}

const lower = (names: readonly string[] = []) => names.map((name) => name.toLowerCase());

export function resolveHttpOptions<Request>(options: HttpTracingOptions<Request>): ResolvedHttpOptions<Request> {
  const include = options.include ? compileFilter(options.include) : undefined;
  const exclude = options.exclude ? compileFilter(options.exclude) : undefined;
  return {
    ignore: options.ignore,
    filter:
      include || exclude
        ? (method, path) => (!include || include(method, path)) && !exclude?.(method, path)
        : undefined,
    trust: options.trust ?? 'continue',
    baggage: options.baggage,
    trustSampledFlag: options.trustSampledFlag ?? false,
    requestId: options.requestId ?? true,
    correlationHeaders: options.correlationHeaders ?? 'recorded',
    requestHeaders: lower(options.captureHeaders?.request),
    responseHeaders: lower(options.captureHeaders?.response),
    sensitiveHeaders: new Set([...DEFAULT_SENSITIVE_HEADERS, ...lower(options.redactHeaders)]),
    sensitiveQueryParams: [...DEFAULT_SENSITIVE_QUERY_PARAMS, ...lower(options.redactQueryParams)],
    captureBody: options.captureBody ?? false,
    maxBodyBytes: options.maxBodyBytes ?? 4096,
    identify: options.identify,
    roles: options.roles ?? {},
  };
}
