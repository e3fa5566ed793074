/**
 * Options of {@link initFlowtrace}: the public type is all optional; it is resolved once into an
 * all-required internal type, and bad values throw at init with a message that says how to fix them.
 */

export interface FlowtraceOptions {
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
  /** Share of new flows (root traces) recorded. @default 1 */
  sampleRatio?: number;
  /** How long ended spans wait before a batch is exported. @default 1000 */
  exportDelayMs?: number;
}

/** @internal */
export interface ResolvedOptions {
  serviceName: string;
  ingestUrl: string;
  propagateTo: Array<string | RegExp>;
  sampleRatio: number;
  exportDelayMs: number;
}

function fail(message: string): never {
  throw new TypeError(`flowtrace: ${message}`);
}

/** @internal */
export function resolveOptions(options: FlowtraceOptions = {}, baseUrl: string): ResolvedOptions {
  const {
    serviceName = 'flowtrace-web',
    ingestUrl = '/flowtrace/v1/traces',
    propagateTo = [],
    sampleRatio = 1,
    exportDelayMs = 1000,
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
  return { serviceName, ingestUrl: resolvedUrl, propagateTo, sampleRatio, exportDelayMs };
}
