/**
 * Where the `traces` fixture reads a test's traces: the app's own trace API (the in-process store,
 * the default), or a trace backend the app exports to (Jaeger v2's api/v3), for an app running as
 * several instances with the store off. Either way the fixture flushes first and waits by condition.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';

/** One trace of a test, as a source returns it. */
export interface CollectedTrace {
  traceId: string;
  spans: SpanRecord[];
  /** Server spans started and not ended (only the in-process store knows; 0 from a backend). */
  openSpans: number;
  missingParents: string[];
}

/**
 * Read a test's traces from Jaeger v2 (its api/v3) instead of the app's store. Set it as the
 * `traceSource` option in the Playwright config: `use: { traceSource: { jaeger, instances } }`.
 */
export interface JaegerTraceSource {
  /** Base URL of Jaeger's query service, for example `http://127.0.0.1:16686`. */
  jaeger: string;
  /**
   * Base URL of every app instance that exports to that Jaeger. Each is asked to flush and to say
   * how many spans of the test it exported, and in which traces (`POST {basePath}/api/flush?testId`).
   */
  instances: readonly string[];
  /** flowtrace's endpoints on the instances. @default '/flowtrace' */
  basePath?: string;
}

/** What the servers said when asked to flush. */
export interface FlushReport {
  /** Spans of the test the servers exported upstream, when the source counts them. */
  exportedSpans?: number;
  /** Traces those spans belong to. */
  traceIds?: readonly string[];
}

/** How the collector reaches its traces; one per {@link JaegerTraceSource} or the app's store. */
export interface TraceReader {
  /** Names the source in error messages. */
  readonly name: string;
  /** Makes every server export its ended spans now. */
  flush(testId: string): Promise<FlushReport>;
  /** The test's traces as the source holds them now. */
  read(testId: string): Promise<CollectedTrace[]>;
}

/** Fails with the status, and with how to give the fixture the token when access was refused. */
async function failed(what: string, response: APIResponse): Promise<never> {
  const hint = [401, 403].includes(response.status()) ? ' (give the fixture the token: use: { flowtrace: { token } } in playwright.config.ts)' : '';
  throw new Error(`flowtrace: ${what} answered ${response.status()}${hint}: ${await response.text()}`);
}

/** Reads from the app's in-process trace store through its trace API (flowtrace's endpoints). */
export function appTraceReader(request: APIRequestContext, { basePath = '/flowtrace', token }: { basePath?: string; token?: string } = {}): TraceReader {
  const base = basePath.replace(/\/$/, '');
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return {
    name: 'the app’s trace API',
    async flush() {
      const flushed = await request.post(`${base}/api/flush`, { headers });
      if (!flushed.ok()) await failed('server flush', flushed);
      return {};
    },
    async read(testId) {
      const response = await request.get(`${base}/api/traces?testId=${encodeURIComponent(testId)}`, { headers });
      if (!response.ok()) await failed('trace API', response);
      return ((await response.json()) as { traces: CollectedTrace[] }).traces;
    },
  };
}
