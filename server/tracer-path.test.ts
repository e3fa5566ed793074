import { createServer } from 'node:http';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { expect, test } from '@playwright/test';
import { traceAsync } from './async.ts';
import { drainBackground, runInBackground } from './background.ts';
import { traceDatabase } from './db.ts';
import { createTracedFetch } from './downstream-fetch.ts';
import { createHttpMiddleware } from './http.ts';
import { close, listen, startTestTracing } from './test-support.ts';

test('with register: false, the HTTP, db, async, background and downstream spans all land in the instance', async () => {
  // The app's own OpenTelemetry setup owns the globals: its context manager, no global provider,
  // so a span made through the global tracer would be lost.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const t = startTestTracing({ register: false });
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = await PGlite.create('memory://');
  const db = traceDatabase(t.tracing, raw);
  const downstream = createServer((_req, res) => res.end('ok'));
  const downstreamBase = await listen(downstream);
  const tracedFetch = createTracedFetch(t.tracing);
  const traced = createHttpMiddleware(t.tracing);
  const server = createServer((req, res) =>
    traced(req, res, async () => {
      await traceAsync(t.tracing, 'room.create', () => db.query('SELECT 1 AS one'));
      await tracedFetch(`${downstreamBase}/notify`);
      void runInBackground(t.tracing, 'room.thumbnail', () => {}, { mode: 'child' });
      res.end('done');
    }),
  );
  const base = await listen(server);
  try {
    expect(await (await fetch(`${base}/rooms`)).text()).toBe('done');
    await drainBackground();
    const spans = await t.spans();
    const request = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(request, 'the HTTP span').toBeDefined();
    const childOf = (name: string) => spans.find((span) => span.name === name)?.parentSpanContext?.spanId;
    expect(childOf('room.create')).toBe(request!.spanContext().spanId);
    const domain = spans.find((span) => span.name === 'room.create')!;
    expect(childOf('SELECT')).toBe(domain.spanContext().spanId);
    expect(spans.filter((span) => span.kind === SpanKind.CLIENT).map((span) => span.name).toSorted()).toEqual(['GET', 'SELECT']);
    expect(childOf('room.thumbnail')).toBe(request!.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    // Nothing was registered globally by flowtrace.
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
  } finally {
    await close(server);
    await close(downstream);
    await raw.close();
    await t.stop();
    context.disable();
    contextManager.disable();
  }
});
