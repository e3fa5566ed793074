/**
 * The viewer's data from Jaeger v2 (its api/v3, OTLP/JSON) instead of the process's store: with the
 * app on several instances no process holds a whole trace, and the backend does.
 *
 * api/v3 searches one service at a time within a time window, and filters by nothing flowtrace
 * tags (attributes are ignored there), so the list reads the recent traces of every service and
 * filters them here, through a throwaway {@link TraceStore}: the same summaries and filters as the
 * in-process viewer.
 */
import { decodeJaegerTraces } from '../otlp/jaeger-trace.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { TraceStore, type TraceQuery, type TraceSummary } from './store.ts';

/** Where the viewer reads traces from when the app runs with the store off. */
export interface JaegerSourceOptions {
  /** Base URL of Jaeger's query service, for example `http://jaeger:16686`. */
  jaeger: string;
  /** How far back the list looks. @default 3_600_000 (one hour) */
  lookbackMs?: number;
}

/** Traces as the viewer reads them. */
export interface ViewerSource {
  search(query: TraceQuery): Promise<TraceSummary[]>;
  trace(traceId: string): Promise<SpanRecord[]>;
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`flowtrace: Jaeger answered ${response.status} for ${url}: ${await response.text()}`);
  return response.json();
}

/** Reads the viewer's traces from Jaeger. */
export function jaegerViewerSource({ jaeger, lookbackMs = 3_600_000 }: JaegerSourceOptions): ViewerSource {
  const base = jaeger.replace(/\/$/, '');
  return {
    async search(query) {
      const limit = query.limit ?? 50;
      const services = query.service
        ? [query.service]
        : (((await getJson(`${base}/api/v3/services`)) as { services?: string[] } | null)?.services ?? []);
      const now = Date.now();
      const window = new URLSearchParams({
        'query.start_time_min': new Date(now - lookbackMs).toISOString(),
        'query.start_time_max': new Date(now).toISOString(),
        // Never 0: Jaeger's memory store refuses a search depth of 0.
        'query.num_traces': String(Math.max(1, limit)),
      });
      const found = await Promise.all(
        services.map(async (service) => decodeJaegerTraces(await getJson(`${base}/api/v3/traces?query.service_name=${encodeURIComponent(service)}&${window}`))),
      );
      const store = new TraceStore();
      for (const spans of found) store.add(spans);
      return store.search(query);
    },
    async trace(traceId) {
      return decodeJaegerTraces(await getJson(`${base}/api/v3/traces/${traceId}`));
    },
  };
}
