/**
 * ingest.forward_spans_per_s: spans per second through the ingest into the upstream exporter, as
 * production runs it (`store: false`, `export: { url }`): browser-shaped OTLP/JSON requests of 100
 * spans, 8 in flight over loopback keep-alive HTTP, are decoded, validated, scrubbed, queued,
 * encoded as OTLP protobuf, gzipped and POSTed to a local OTLP sink. The clock stops when the
 * server reports every span exported (not merely accepted), so queueing cannot flatter the number.
 * ingest.forward_refused_spans: spans the ingest refused with 429 while its upstream queue was
 * full (the client retried them, as OTLP exporters do); ingest.forward_failed_spans: spans the
 * sink did not take (should be 0). ingest.forward_spans_per_cpu_s divides by the server process's
 * CPU time instead of wall time: less sensitive to other processes on the two cores.
 * The export queue is sized for a forwarding ingest (16384 spans, batches of 2048): the queue has
 * at most two exports in flight, so small batches cap the rate at two round trips at a time.
 * The server runs in a child process so the client's and the sink's CPU is not billed to it.
 * Ports: FLOWTRACE_BENCH_PORT (default 4560) for the server, the next one for the sink.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BATCH, ingestBody, postAll } from './ingest-load.ts';

const PORT = Number(process.env.FLOWTRACE_BENCH_PORT ?? 4560);
const SINK_PORT = PORT + 1;
// 300 000 spans, about five seconds: a run of one second (600 batches) measured start-up as much as
// the steady state (JIT still warming, the last batch's scheduled delay and the settling polls were
// a tenth of it) and read 41-50k where this reads the rate a forwarding instance holds.
const BATCHES = 3000;
const WARM_UP = 200;

const SERVER = `
  import { createServer } from 'node:http';
  import { createFlowtraceEndpoints, createServerTracing } from 'flowtrace/server';
  const tracing = createServerTracing({
    register: false,
    store: false,
    export: { url: 'http://127.0.0.1:${SINK_PORT}/v1/traces' },
    exportQueue: { maxQueueSize: 16384, maxExportBatchSize: 2048, scheduledDelayMillis: 50 },
  });
  const endpoints = createFlowtraceEndpoints(tracing, { rateLimit: false });
  const stats = (res) => { const { user, system } = process.cpuUsage(); res.end(JSON.stringify({ ...tracing.exportStats(), cpu: user + system })); };
  createServer((req, res) => endpoints(req, res, () => (req.url === '/stats' ? stats(res) : res.writeHead(404).end()))).listen(${PORT}, '127.0.0.1', () => console.log('ready'));
`;

interface Stats {
  exported: number;
  failed: number;
  dropped: number;
  /** The server process's CPU time so far, in microseconds. */
  cpu: number;
}

export default async function ingestForward(): Promise<Record<string, number>> {
  // The sink: a real OTLP/HTTP endpoint that reads each body whole and answers 200.
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => sink.listen(SINK_PORT, '127.0.0.1', resolve));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`ingest server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${PORT}/flowtrace/v1/traces`;
    const stats = async (): Promise<Stats> => (await (await fetch(`http://127.0.0.1:${PORT}/stats`)).json()) as Stats;
    const settled = async (count: number) => {
      // Polls the server's own counts until every span is exported, failed or dropped.
      // Spans refused with 429 are sent again, so only exported and failed ones are final.
      for (let s = await stats(); s.exported + s.failed < count; s = await stats()) await sleep(5);
      return stats();
    };
    const bodies = Array.from({ length: BATCHES }, ingestBody);
    await postAll(url, bodies.slice(0, WARM_UP)); // warm-up: JIT, connections
    const warm = await settled(WARM_UP * BATCH);
    const cpuBefore = warm.cpu;
    const started = performance.now();
    await postAll(url, bodies.slice(WARM_UP));
    const done = await settled(warm.exported + warm.failed + (BATCHES - WARM_UP) * BATCH);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = done.cpu;
    return {
      'ingest.forward_spans_per_s': Math.round((done.exported - warm.exported) / seconds),
      // Refused while the queue was full (the client retried them) or failed at the sink.
      'ingest.forward_refused_spans': done.dropped - warm.dropped,
      'ingest.forward_failed_spans': done.failed - warm.failed,
      'ingest.forward_spans_per_cpu_s': Math.round((done.exported - warm.exported) / ((cpuAfter - cpuBefore) / 1e6)),
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}
