/**
 * What each server example must do, checked over real HTTP from outside the process: a request
 * that continues a caller's trace, the spans it made read back through the example's own trace
 * API (`/flowtrace/api/traces/{traceId}`), and a clean exit on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import type { SpanRecord } from '../../shared/span-record.ts';
import { until } from './process.ts';

interface TraceResponse {
  spans: SpanRecord[];
  openSpans: number;
  missingParents: string[];
}

/** Sends a request as the child of a fresh caller span; returns the response and the trace's spans. */
async function tracedRequest(base: string, method: string, path: string, expectSpans: number) {
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const response = await fetch(`${base}${path}`, { method, headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
  await response.arrayBuffer();
  const trace = await until(`${expectSpans} finished spans in trace ${traceId}`, async () => {
    const reply = await fetch(`${base}/flowtrace/api/traces/${traceId}`);
    if (!reply.ok) return undefined;
    const body = (await reply.json()) as TraceResponse;
    // Complete: every expected span stored, none open; the only missing parent is the caller's.
    const complete = body.spans.length >= expectSpans && body.openSpans === 0 && body.missingParents.every((id) => id === callerSpanId);
    return complete ? body : undefined;
  });
  return { status: response.status, spans: trace.spans, callerSpanId };
}

function named(spans: SpanRecord[], name: string): SpanRecord {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span "${name}" in ${JSON.stringify(spans.map((s) => s.name))}`);
  return span;
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** node-http: POST /api/notes → SERVER span continuing the caller → db span INSERT as its child. */
export async function checkNodeHttp(base: string): Promise<void> {
  const { status, spans, callerSpanId } = await tracedRequest(base, 'POST', '/api/notes', 2);
  expectEqual(status, 201, 'POST /api/notes status');
  const server = named(spans, 'POST /api/notes');
  expectEqual(server.parentSpanId, callerSpanId, 'the server span continues the caller');
  const db = named(spans, 'INSERT flowtrace_example_notes');
  expectEqual(db.parentSpanId, server.spanId, 'the db span is a child of the server span');
  expectEqual(db.attributes['db.system.name'], 'postgresql', 'db.system.name');
}

/** express: the route names the span; a thrown error is recorded by flowtraceErrorHandler. */
export async function checkExpress(base: string): Promise<void> {
  const ok = await tracedRequest(base, 'GET', '/api/notes/42', 1);
  expectEqual(ok.status, 200, 'GET /api/notes/42 status');
  expectEqual(named(ok.spans, 'GET /api/notes/:id').parentSpanId, ok.callerSpanId, 'the server span continues the caller');
  const failed = await tracedRequest(base, 'GET', '/api/fail', 1);
  expectEqual(failed.status, 500, 'GET /api/fail status');
  const span = named(failed.spans, 'GET /api/fail');
  expectEqual(span.status.code, 'error', 'the failed request span status');
  const exception = span.events.find((event) => event.name === 'exception');
  expectEqual(exception?.attributes['exception.message'], 'this route always fails', 'the recorded exception');
}

/** hono: the route names the span, continuing the caller. */
export async function checkHono(base: string): Promise<void> {
  const { status, spans, callerSpanId } = await tracedRequest(base, 'GET', '/api/notes/7', 1);
  expectEqual(status, 200, 'GET /api/notes/7 status');
  expectEqual(named(spans, 'GET /api/notes/:id').parentSpanId, callerSpanId, 'the server span continues the caller');
}
