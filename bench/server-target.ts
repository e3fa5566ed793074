/**
 * The server under load for server-throughput.bench.ts, one process per mode (BENCH_MODE):
 * - `untraced`, `sampled_100`, `sampled_10`: node:http, trivial route, flowtrace middleware or none
 * - `context_only`: the trivial route inside an AsyncLocalStorage context, no spans
 * - `otel_http`: the same route under OpenTelemetry's instrumentation-http (module patching)
 * - `db_untraced`, `db_traced`: a route inserting one row into PGlite
 * Traced modes export as in production: no in-process store, OTLP/HTTP to SINK_URL.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { createHttpMiddleware, createServerTracing, traceDatabase, type Queryable } from '../server/index.ts';

const mode = process.env.BENCH_MODE ?? 'untraced';
const traced = mode !== 'untraced' && mode !== 'db_untraced' && mode !== 'context_only';
// BENCH_EXPORT=none measures span creation alone, without the export pipeline.
const exporter = process.env.BENCH_EXPORT === 'none' ? undefined : new OTLPTraceExporter({ url: process.env.SINK_URL });
const tracing = traced
  ? createServerTracing({ store: false, exporter, sampleRatio: mode === 'sampled_10' ? 0.1 : 1 })
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
  db = mode === 'db_traced' ? traceDatabase(raw, { namespace: 'bench' }) : raw;
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

const route = db ? insert : trivial;
// BENCH_HTTP_OPTIONS='{"requestId":false}' passes middleware options, for measuring one feature's cost.
let middleware = tracing && mode !== 'otel_http' ? createHttpMiddleware(tracing, JSON.parse(process.env.BENCH_HTTP_OPTIONS ?? '{}')) : undefined;
if (mode === 'context_only') {
  // The floor: AsyncLocalStorage context propagation alone (what parenting needs), no spans.
  const { context, createContextKey, ROOT_CONTEXT } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const key = createContextKey('bench');
  middleware = (_req, _res, next) => context.with(ROOT_CONTEXT.setValue(key, 1), () => next());
}
const server = http.createServer(middleware ? (req, res) => middleware(req, res, () => route(req, res)) : route);
server.keepAliveTimeout = 60_000;
let served = 0;
server.on('request', () => served++);
// The bench asks for CPU time and requests served around each run: capacity per CPU-second is
// what a dedicated core would deliver, whatever else shares this machine.
process.on('message', () => {
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMicros: user + system, served });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.once('SIGINT', () => process.exit(0)); // lets --cpu-prof write its profile
