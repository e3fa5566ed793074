/**
 * server.cost_ns.*: where a traced request's time goes, per piece, in CPU nanoseconds per request.
 *
 * Throughput ratios (server-throughput*.bench.ts) say how much a mode costs in all; on a shared
 * machine they also move with everything else running. This bench runs each piece in one process
 * on requests made in memory (node's own IncomingMessage and ServerResponse, no socket, no HTTP
 * parsing), interleaves the cases round by round, and charges process CPU time, so a busy machine
 * moves it far less. Nothing is exported: export is the exporter's cost, measured apart.
 *
 * The pieces, each over the one below it:
 * - `context`: AsyncLocalStorage context around the handler (over the bare handler)
 * - `unrecorded`: flowtrace's unrecorded path (request id, sampling decision, non-recording span)
 * - `bare_span`: one recorded OpenTelemetry SDK span, no attributes (over context)
 * - `recorded`: flowtrace's recorded path (over the bare span)
 * - `request_id`, `correlation_headers`, `redaction`: what each costs inside `recorded`
 * - `unrecorded_request_id`: what the request id costs inside `unrecorded`
 * - `set_header`: node's own price for one response header set before the app's `writeHead` (over
 *   context): the floor under any request id or correlation header
 *
 * Metric names carry the Node line: `server.cost_ns.*` on Node 20 (the machine's), else
 * `server.node<major>.cost_ns.*`. Run it on Node 26 with
 * `$(scripts/node-line.sh 26) --import tsx bench/run.ts server-cost`.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { context, createContextKey, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { createHttpMiddleware, createServerTracing, type HttpTracingOptions, type ServerTracing } from '../server/index.ts';
import { median } from './stats.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const ROUNDS = 9;
const PER_ROUND = Number(process.env.BENCH_COST_REQUESTS ?? 50_000);
const BODY = '{"ok":true}';
// The shape of a generated request id, {trace-id}-{span-id}.
const REQUEST_ID = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7';
const socket = new Socket();

function request(handler: Handler | undefined): void {
  const req = new IncomingMessage(socket);
  req.headers = { host: '127.0.0.1:4630', 'user-agent': 'autocannon' };
  req.method = 'GET';
  req.url = '/api/ping';
  req.httpVersion = '1.1';
  const res = new ServerResponse(req);
  // No socket will finish it: say it finished, as a served response would.
  Object.defineProperty(res, 'writableFinished', { value: true });
  const route = () => void res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  if (handler) handler(req, res, route);
  else route();
  res.emit('close');
}

function cpuNanosPerRequest(handler: Handler | undefined): number {
  const start = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) request(handler);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / PER_ROUND;
}

export default async function serverCost(): Promise<Record<string, number>> {
  const tracings: ServerTracing[] = [];
  const tracing = (sampleRatio: number, redact = true) => {
    // The first registers the context manager and propagators every case shares.
    const created = createServerTracing({ store: false, sampleRatio, redact, register: tracings.length === 0 });
    tracings.push(created);
    return created;
  };
  const unsampled = tracing(0);
  const sampled = tracing(1);
  const unredacted = tracing(1, false);
  const floorTracer = tracing(1, false).provider.getTracer('floor');
  const middleware = (t: ServerTracing, options: HttpTracingOptions = {}) => createHttpMiddleware(t, options) as Handler;
  const key = createContextKey('bench');

  const cases: Record<string, Handler | undefined> = {
    handler: undefined,
    context: (_req, _res, next) => context.with(ROOT_CONTEXT.setValue(key, 1), next),
    unrecorded: middleware(unsampled),
    unrecorded_no_request_id: middleware(unsampled, { requestId: false }),
    set_header: (_req, res, next) => {
      res.setHeader('x-request-id', REQUEST_ID);
      context.with(ROOT_CONTEXT.setValue(key, 1), next);
    },
    bare_span: (_req, res, next) => {
      const span = floorTracer.startSpan('GET', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
      res.once('close', () => span.end());
      context.with(trace.setSpan(ROOT_CONTEXT, span), next);
    },
    recorded: middleware(sampled),
    recorded_no_request_id: middleware(sampled, { requestId: false }),
    recorded_no_correlation: middleware(sampled, { correlationHeaders: false }),
    recorded_no_redaction: middleware(unredacted),
  };
  try {
    const samples = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
    for (const handler of Object.values(cases)) cpuNanosPerRequest(handler); // warm-up: JIT
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, handler] of Object.entries(cases)) samples.get(name)!.push(cpuNanosPerRequest(handler));
    }
    const ns = (name: string) => median(samples.get(name)!);
    for (const name of samples.keys()) console.log(`  ${name.padEnd(24)} ${Math.round(ns(name))} ns CPU per request`);
    const major = Number(process.versions.node.split('.')[0]);
    const p = major === 20 ? 'server.cost_ns.' : `server.node${major}.cost_ns.`;
    const round = Math.round;
    return {
      [`${p}context`]: round(ns('context') - ns('handler')),
      [`${p}unrecorded`]: round(ns('unrecorded') - ns('context')),
      [`${p}bare_span`]: round(ns('bare_span') - ns('context')),
      [`${p}recorded`]: round(ns('recorded') - ns('bare_span')),
      [`${p}request_id`]: round(ns('recorded') - ns('recorded_no_request_id')),
      [`${p}correlation_headers`]: round(ns('recorded') - ns('recorded_no_correlation')),
      [`${p}redaction`]: round(ns('recorded') - ns('recorded_no_redaction')),
      [`${p}unrecorded_request_id`]: round(ns('unrecorded') - ns('unrecorded_no_request_id')),
      [`${p}set_header`]: round(ns('set_header') - ns('context')),
    };
  } finally {
    for (const t of tracings.toReversed()) await t.shutdown();
  }
}
