/**
 * Options of {@link createClientTracing}: the public type is all optional; it is resolved once into an
 * all-required internal type, and bad values throw at init with a message that says how to fix them.
 */
import { DEFAULT_SENSITIVE_QUERY_PARAMS } from '../shared/redact.ts';
import type { BuildInfo } from './build-info.ts';

/**
 * How flows keep their spans parented across `await`:
 * - `'transform'`: a synchronous context manager, carried across native `await` by the
 *   `flowtrace/vite` await transform (no zone.js); what it cannot see (callbacks, dependencies)
 *   gets the fallback below
 * - `'zone'`: zone.js, loaded on demand (a separate chunk); right when async/await is lowered, as
 *   the plugin does with `flowtrace({ asyncContext: 'zone' })`
 * - `'fallback'`: a span that lost its context joins the only open flow, and stays unattached when
 *   several flows are open (never a wrong parent)
 * - `'auto'`: what the plugin built for, else `'fallback'`
 */
export type AsyncContextMode = 'auto' | 'transform' | 'zone' | 'fallback';

export interface ClientTracingOptions {
  /** `service.name` of the browser's spans. @default 'flowtrace-web' */
  serviceName?: string;
  /**
   * Where spans are exported (OTLP/HTTP JSON), relative to the page or absolute.
   * @default '/flowtrace/v1/traces'
   */
  ingestUrl?: string;
  /**
   * Cross-origin URLs that may receive `traceparent`, `tracestate` and `baggage` headers.
   * Same-origin requests always do. @default []
   */
  propagateTo?: Array<string | RegExp>;
  /**
   * Share of new root traces (flows, and requests outside any flow) recorded; the decision
   * travels in `traceparent`. @default 1 in development, 0.1 in production builds
   */
  sampleRatio?: number;
  /** How long ended spans wait before a batch is exported. @default 1000 */
  exportDelayMs?: number;
  /** Query parameters redacted in URLs and span names, on top of the built-in list. @default [] */
  redactQueryParams?: string[];
  /** Start a flow for each click on an element with `data-flow`. @default true */
  clickFlows?: boolean;
  /** See {@link AsyncContextMode}. @default 'auto' */
  asyncContext?: AsyncContextMode;
  /** Instrument getUserMedia and RTCPeerConnection (loaded lazily). @default false */
  webrtc?: boolean;
  /** Instrument MediaRecorder (loaded lazily). @default false */
  recording?: boolean;
  /**
   * Answer the flowtrace/testing fixture (`globalThis.__FLOWTRACE_TEST__`): tag spans with the test
   * id and let the fixture flush. Keep it off in production unless e2e tests run a production build.
   * @default true in development, false in production builds
   */
  testHooks?: boolean;
  /**
   * Longest a flow that ends by itself (runFlow, clickFlow, a `data-flow` click) may stay open;
   * it then ends with outcome `timeout` and the reason. `0` for no cap. A flow's own `timeoutMs`
   * wins. @default 30000
   */
  flowTimeoutMs?: number;
  /**
   * Warn (through OpenTelemetry `diag`) with the stack of each span that starts without a parent
   * while a flow is open: usually a context lost at an `await` in code the plugin did not transform.
   * @default false
   */
  debugLostContext?: boolean;
}

/** @internal */
export interface ResolvedOptions {
  serviceName: string;
  ingestUrl: string;
  propagateTo: Array<string | RegExp>;
  sampleRatio: number;
  exportDelayMs: number;
  sensitiveQueryParams: string[];
  clickFlows: boolean;
  asyncContext: 'transform' | 'zone' | 'fallback';
  debugLostContext: boolean;
  webrtc: boolean;
  recording: boolean;
  testHooks: boolean;
  flowTimeoutMs: number;
}

function fail(message: string): never {
  throw new TypeError(`flowtrace: ${message}`);
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(`${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** @internal */
export function resolveOptions(options: ClientTracingOptions = {}, baseUrl: string, build: BuildInfo): ResolvedOptions {
  const dev = build.mode === 'development';
  const {
    serviceName = 'flowtrace-web',
    ingestUrl = '/flowtrace/v1/traces',
    propagateTo = [],
    sampleRatio = dev ? 1 : 0.1,
    exportDelayMs = 1000,
    redactQueryParams = [],
    clickFlows = true,
    asyncContext = 'auto',
    webrtc = false,
    recording = false,
    testHooks = dev,
    flowTimeoutMs = 30_000,
    debugLostContext = false,
  } = options;
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    fail(`serviceName must be a non-empty string, got ${JSON.stringify(serviceName)}`);
  }
  let resolvedUrl: string;
  try {
    resolvedUrl = new URL(ingestUrl, baseUrl).href;
  } catch {
    fail(`ingestUrl ${JSON.stringify(ingestUrl)} is not a URL; pass a path such as '/flowtrace/v1/traces'`);
  }
  if (!Array.isArray(propagateTo) || !propagateTo.every((u) => typeof u === 'string' || u instanceof RegExp)) {
    fail('propagateTo must be an array of URL prefixes (strings) or RegExps, for example [/^https:\\/\\/api\\.example\\.com/]');
  }
  if (typeof sampleRatio !== 'number' || !(sampleRatio >= 0 && sampleRatio <= 1)) {
    fail(`sampleRatio must be a number from 0 to 1, got ${JSON.stringify(sampleRatio)}`);
  }
  if (!Number.isInteger(exportDelayMs) || exportDelayMs < 0) {
    fail(`exportDelayMs must be a non-negative integer of milliseconds, got ${JSON.stringify(exportDelayMs)}`);
  }
  if (!Array.isArray(redactQueryParams) || !redactQueryParams.every((p) => typeof p === 'string' && p !== '')) {
    fail(`redactQueryParams must be an array of parameter names, for example ['session_key'], got ${JSON.stringify(redactQueryParams)}`);
  }
  if (!Number.isInteger(flowTimeoutMs) || flowTimeoutMs < 0) {
    fail(`flowTimeoutMs must be a non-negative integer of milliseconds (0 for no cap), got ${JSON.stringify(flowTimeoutMs)}`);
  }
  if (!['auto', 'transform', 'zone', 'fallback'].includes(asyncContext)) {
    fail(`asyncContext must be 'auto', 'transform', 'zone' or 'fallback', got ${JSON.stringify(asyncContext)}`);
  }
  return {
    serviceName,
    ingestUrl: resolvedUrl,
    propagateTo,
    sampleRatio,
    exportDelayMs,
    sensitiveQueryParams: [...DEFAULT_SENSITIVE_QUERY_PARAMS, ...redactQueryParams.map((p) => p.toLowerCase())],
    clickFlows: boolean('clickFlows', clickFlows),
    asyncContext: asyncContext !== 'auto' ? asyncContext : build.asyncContext === 'none' ? 'fallback' : build.asyncContext,
    debugLostContext: boolean('debugLostContext', debugLostContext),
    webrtc: boolean('webrtc', webrtc),
    recording: boolean('recording', recording),
    testHooks: boolean('testHooks', testHooks),
    flowTimeoutMs,
  };
}
