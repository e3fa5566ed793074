import { createServer } from 'node:http';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { createFlowtraceEndpoints } from './endpoints.ts';
import { createServerTracing } from './tracing.ts';
import { close, listen } from './test-support.ts';

function setUp() {
  const exporter = new InMemorySpanExporter();
  const tracing = createServerTracing({ store: false, register: false, exporter, exportQueue: { scheduledDelayMillis: 1 } });
  const endpoints = createFlowtraceEndpoints(tracing);
  const server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  const span = (testId: string | undefined) =>
    tracing.tracer.startSpan('work', { attributes: testId ? { 'flowtrace.test_id': testId } : {} });
  return { exporter, tracing, server, span };
}

test('with the store off, the flush answers how many spans of a test were exported upstream, and in which traces', async () => {
  const { tracing, server, span } = setUp();
  const base = await listen(server);
  try {
    const spans = [span('t-1'), span('t-1'), span('t-2'), span(undefined)];
    for (const s of spans) s.end();
    const response = await fetch(`${base}/flowtrace/api/flush?testId=t-1`, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { spans: number; traceIds: string[] };
    expect(body.spans).toBe(2);
    expect(new Set(body.traceIds)).toEqual(new Set([spans[0]!.spanContext().traceId, spans[1]!.spanContext().traceId]));
    expect(tracing.exportedForTest('t-2').spans).toBe(1);
    expect(tracing.exportedForTest('never-seen')).toEqual({ spans: 0, traceIds: [] });
    // Without a test id the flush answers as before.
    expect((await fetch(`${base}/flowtrace/api/flush`, { method: 'POST' })).status).toBe(204);
  } finally {
    await close(server);
    await tracing.shutdown();
  }
});

test('spans the exporter failed to deliver are not reported as exported', async () => {
  const { exporter, tracing, server, span } = setUp();
  const base = await listen(server);
  try {
    span('t-ok').end();
    await tracing.forceFlush();
    // A shut-down in-memory exporter fails every export, as a dead backend does.
    await exporter.shutdown();
    span('t-ok').end();
    span('t-lost').end();
    const body = (await (await fetch(`${base}/flowtrace/api/flush?testId=t-ok`, { method: 'POST' })).json()) as { spans: number };
    expect(body.spans).toBe(1);
    expect(tracing.exportedForTest('t-lost').spans).toBe(0);
    expect(tracing.exportStats().failed).toBe(2);
  } finally {
    await close(server);
    await tracing.shutdown();
  }
});
