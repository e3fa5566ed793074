/**
 * Reads a test's traces from Jaeger v2's query API (api/v3, which answers in OTLP/JSON).
 *
 * api/v3's search cannot filter by attribute (its HTTP gateway ignores them), so the test id cannot
 * find the traces there. The instances know instead: each one reports the traces of the test it
 * exported, and each trace is fetched by id (decoded by otlp/jaeger-trace.ts).
 */
import type { APIRequestContext } from '@playwright/test';
import { ATTR_TEST_ID } from '../shared/attributes.ts';
import { decodeJaegerTraces } from '../otlp/jaeger-trace.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { missingParents } from '../shared/span-tree.ts';
import type { CollectedTrace, FlushReport, JaegerTraceSource, TraceReader } from './trace-source.ts';

/** A {@link TraceReader} over Jaeger's api/v3 and the instances' flush reports. */
export function jaegerTraceReader(request: APIRequestContext, source: JaegerTraceSource): TraceReader {
  const basePath = source.basePath ?? '/flowtrace';
  const jaeger = source.jaeger.replace(/\/$/, '');
  if (source.instances.length === 0) throw new Error('flowtrace: traceSource.instances is empty; list the base URL of every app instance');

  async function flushOne(instance: string, testId: string): Promise<{ spans: number; traceIds: string[] }> {
    const url = `${instance.replace(/\/$/, '')}${basePath}/api/flush?testId=${encodeURIComponent(testId)}`;
    const response = await request.post(url);
    if (response.status() !== 200) {
      throw new Error(`flowtrace: ${url} answered ${response.status()} (an instance of flowtrace before test reports?): ${await response.text()}`);
    }
    return (await response.json()) as { spans: number; traceIds: string[] };
  }

  async function readTrace(traceId: string): Promise<SpanRecord[]> {
    const response = await request.get(`${jaeger}/api/v3/traces/${traceId}`);
    // Not stored yet: Jaeger answers 404 for a trace it has no span of.
    if (response.status() === 404) return [];
    if (!response.ok()) throw new Error(`flowtrace: Jaeger (${jaeger}) answered ${response.status()} for trace ${traceId}: ${await response.text()}`);
    return decodeJaegerTraces(await response.json());
  }

  let last: (FlushReport & { testId: string }) | undefined;
  return {
    name: `Jaeger at ${jaeger}`,
    async flush(testId) {
      const reports = await Promise.all(source.instances.map((instance) => flushOne(instance, testId)));
      last = {
        testId,
        exportedSpans: reports.reduce((sum, report) => sum + report.spans, 0),
        traceIds: [...new Set(reports.flatMap((report) => report.traceIds))],
      };
      return last;
    },
    async read(testId): Promise<CollectedTrace[]> {
      // Reading without a flush first (a report after a failure): ask the instances what they have.
      const report = last?.testId === testId ? last : await this.flush(testId);
      const traces = await Promise.all((report.traceIds ?? []).map(async (traceId) => ({ traceId, spans: await readTrace(traceId) })));
      return traces
        .filter((trace) => trace.spans.some((span) => span.attributes[ATTR_TEST_ID] === testId))
        .map(({ traceId, spans }) => ({ traceId, spans, openSpans: 0, missingParents: missingParents(spans) }));
    },
  };
}
