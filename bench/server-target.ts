/**
 * The server under load for server-throughput.bench.ts, one process per mode (BENCH_MODE):
 * - `untraced`: node:http, trivial route, nothing else
 * - `context_only`: the trivial route inside an AsyncLocalStorage context, no spans: the floor any
 *   context propagation pays on Node 20, where AsyncLocalStorage runs on async_hooks
 * - `sdk_floor`: one bare OpenTelemetry SDK span per request (no attributes, headers or
 *   redaction) in that context, exported like the traced modes: the floor of any tracing built on
 *   the OpenTelemetry SDK
 * - `sampled_100`, `sampled_10`, `sampled_0`: flowtrace middleware at 100 % / 10 % / 0 % sampling
 *   (`sampled_0` is the unrecorded path alone: request id, sampling decision, non-recording span)
 * - `otel_http`: OpenTelemetry's instrumentation-http (module patching), the anchor
 * - `db_untraced`, `db_context_only`, `db_traced`, `db_traced_10`: a route inserting one row into
 *   PGlite, with nothing, context alone, or flowtrace middleware and DB spans at 100 % / 10 %
 * Traced modes export as production would: no in-process store, OTLP/HTTP protobuf to SINK_URL,
 * flowtrace's modes through its default exporter and the OpenTelemetry baselines through
 * OpenTelemetry's (BENCH_EXPORT=json for OTLP/JSON); `<mode>_noexport` (or BENCH_EXPORT=none)
 * creates spans only.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, createContextKey, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { createHttpMiddleware, createServerTracing, traceDatabase, type NextFunction, type Queryable } from '../server/index.ts';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

// `<mode>_noexport` runs a traced mode with no exporter: span creation alone, the condition under
// which DESIGN.md measured the anchor.
const requested = process.env.BENCH_MODE ?? 'untraced';
const noExport = requested.endsWith('_noexport');
const mode = noExport ? requested.slice(0, -'_noexport'.length) : requested;
const contextOnly = mode === 'context_only' || mode === 'db_context_only';
const traced = mode !== 'untraced' && mode !== 'db_untraced' && !contextOnly;
// `sampled_10`, `db_traced_10`, `sampled_0`: the suffix is the sampled percentage (BENCH_RATIO
// overrides it); no suffix is 100 %.
const percent = /_(\d+)$/.exec(mode)?.[1];
const sampleRatio = percent === undefined ? 1 : Number(process.env.BENCH_RATIO ?? Number(percent) / 100);

// flowtrace's modes export as its users do by default (`export: { url }`: flowtrace's own
// OtlpHttpExporter, protobuf, gzip). The floor and the anchor are OpenTelemetry's own pipeline, so
// they get OpenTelemetry's exporter. BENCH_EXPORT=json gives every mode OpenTelemetry's OTLP/JSON one.
const otelBaseline = mode === 'sdk_floor' || mode === 'otel_http';
function createExporter() {
  const url = process.env.SINK_URL;
  if (noExport || process.env.BENCH_EXPORT === 'none') return {};
  if (process.env.BENCH_EXPORT === 'json') return { exporter: new OTLPJsonTraceExporter({ url }) };
  return otelBaseline ? { exporter: new OTLPTraceExporter({ url }) } : { export: { url } };
}
// The floor gets OpenTelemetry's pipeline alone: no redaction pass.
const tracing = traced
  ? createServerTracing({ store: false, ...createExporter(), sampleRatio, redact: mode !== 'sdk_floor' })
  : undefined;

if (mode === 'otel_http') {
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()], tracerProvider: tracing!.provider });
}
// Required after the instrumentation is registered, so its patch of http.Server applies.
const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');

let db: Queryable | undefined;
if (mode.startsWith('db_')) {
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = await PGlite.create('memory://');
  await raw.exec('CREATE TABLE hits (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), path text)');
  db = traced ? traceDatabase(tracing!, raw, { namespace: 'bench' }) : raw;
}

const BODY = '{"ok":true}';
function trivial(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  res.end(BODY);
}
function insert(req: IncomingMessage, res: ServerResponse): void {
  db!.query('INSERT INTO hits (path) VALUES ($1)', [req.url]).then(
    () => trivial(req, res),
    () => res.writeHead(500).end(),
  );
}

function floorMiddleware(): Middleware {
  const tracer = tracing!.provider.getTracer('floor');
  return (_req, res, next) => {
    const span = tracer.startSpan('GET', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    res.once('close', () => span.end());
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => next());
  };
}

function contextOnlyMiddleware(): Middleware {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const key = createContextKey('bench');
  return (_req, _res, next) => context.with(ROOT_CONTEXT.setValue(key, 1), () => next());
}

function chooseMiddleware(): Middleware | undefined {
  if (contextOnly) return contextOnlyMiddleware();
  if (mode === 'sdk_floor') return floorMiddleware();
  if (!tracing || mode === 'otel_http') return undefined;
  // BENCH_HTTP_OPTIONS='{"requestId":false}' passes middleware options, to measure one feature's cost.
  return createHttpMiddleware(tracing, JSON.parse(process.env.BENCH_HTTP_OPTIONS ?? '{}'));
}

const route = db ? insert : trivial;
const middleware = chooseMiddleware();
const server = http.createServer(middleware ? (req, res) => middleware(req, res, () => route(req, res)) : route);
server.keepAliveTimeout = 60_000;
let served = 0;
server.on('request', () => served++);
// The bench asks for CPU time, requests served and export counts around each run.
process.on('message', () => {
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMicros: user + system, served, exportStats: tracing?.exportStats() });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.once('SIGINT', () => process.exit(0)); // lets --cpu-prof write its profile
process.once('disconnect', () => process.exit(0)); // the bench is gone: do not linger holding the port
