/**
 * server.throughput_ratio.*: requests per second of a traced server over the same server
 * untraced, each in its own process, with autocannon (50 connections) as the load generator in
 * another process, as the issue defines them. Modes run in interleaved rounds (BENCH_ROUNDS,
 * default 3) and each keeps its median round, so a burst of other work on the machine moves one
 * round, not the result. See server-target.ts for the modes.
 *
 * server.cpu_ratio.* are the same ratios in requests per CPU-second of the server process: a
 * stricter view that also charges work done off the main thread (GC helpers, the exporter's
 * socket), which raw req/s hides while a core is spare.
 *
 * Traced servers export OTLP/HTTP protobuf to a sink in this process that drains and answers 200;
 * spans the export queue dropped are counted (a ratio earned by dropping spans would flatter).
 * The `_noexport` modes create spans and export nothing: DESIGN.md's anchor (instrumentation-http
 * at 0.57) was measured that way.
 *
 * The floors bound what any tracing built on OpenTelemetry's SDK and context manager can reach on
 * this Node (20, AsyncLocalStorage on async_hooks): context_only and db_context_only (context
 * alone), sdk_floor (plus one bare span per request, exported) and sdk_floor_noexport.
 */
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { median } from './stats.ts';

const PORT = 4630;
const SINK_PORT = 4631;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ALL_MODES = [
  'untraced',
  'context_only',
  'sdk_floor',
  'sampled_100',
  'sampled_10',
  'otel_http',
  'db_untraced',
  'db_context_only',
  'db_traced',
  'db_traced_10',
  'sdk_floor_noexport',
  'sampled_100_noexport',
  'otel_http_noexport',
] as const;
type Mode = (typeof ALL_MODES)[number];
// BENCH_SERVER_MODES=untraced,sampled_100 runs a subset while optimising (ratios need their base).
const MODES = process.env.BENCH_SERVER_MODES ? (process.env.BENCH_SERVER_MODES.split(',') as Mode[]) : ALL_MODES;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function autocannon(url: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/autocannon/autocannon.js', '-c', '50', '-d', String(seconds), '-j', url], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`));
      resolve(result.requests.average);
    });
  });
}

interface TargetSample {
  cpuMicros: number;
  served: number;
  exportStats?: { exported: number; failed: number; dropped: number };
}

function sample(child: ReturnType<typeof fork>): Promise<TargetSample> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as TargetSample));
    child.send('sample');
  });
}

interface Measurement {
  rps: number;
  perCpuSecond: number;
  dropped: number;
}

async function measure(mode: Mode, sinkUrl: string): Promise<Measurement> {
  const child = fork('bench/server-target.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_MODE: mode, PORT: String(PORT), SINK_URL: sinkUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`server-target ${mode} exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${PORT}/api/ping`;
    await autocannon(url, 1); // warm-up: JIT, connection setup
    const before = await sample(child);
    const rps = await autocannon(url, DURATION_S);
    const after = await sample(child);
    return {
      rps,
      perCpuSecond: (after.served - before.served) / ((after.cpuMicros - before.cpuMicros) / 1e6),
      dropped: after.exportStats?.dropped ?? 0,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export default async function serverThroughput(): Promise<Record<string, number>> {
  let exportedBatches = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      exportedBatches++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(SINK_PORT, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`;
  try {
    const runs = new Map<Mode, Measurement[]>(MODES.map((mode) => [mode, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const run = await measure(mode, sinkUrl);
        runs.get(mode)!.push(run);
        const drops = run.dropped ? `, ${run.dropped} spans dropped` : '';
        console.log(`  round ${round + 1} ${mode.padEnd(22)} ${Math.round(run.rps)} req/s  (${Math.round(run.perCpuSecond)} req/CPU-s${drops})`);
      }
    }
    if (exportedBatches === 0 && MODES.some((mode) => !/untraced|context|noexport/.test(mode))) {
      throw new Error('no traced server exported anything to the sink');
    }
    const rps = (mode: Mode) => median(runs.get(mode)!.map((run) => run.rps));
    const perCpu = (mode: Mode) => median(runs.get(mode)!.map((run) => run.perCpuSecond));
    if (MODES !== ALL_MODES) return Object.fromEntries(MODES.map((mode) => [`server.subset.${mode}`, round3(rps(mode) / rps(MODES[0]!))]));
    const ratio = (mode: Mode, base: Mode) => round3(rps(mode) / rps(base));
    const cpuRatio = (mode: Mode, base: Mode) => round3(perCpu(mode) / perCpu(base));
    const dropped = [...runs.values()].flat().reduce((sum, run) => sum + run.dropped, 0);
    return {
      'server.throughput_ratio.sampled_100': ratio('sampled_100', 'untraced'),
      'server.throughput_ratio.sampled_10': ratio('sampled_10', 'untraced'),
      'server.throughput_ratio.otel_http': ratio('otel_http', 'untraced'),
      'server.throughput_ratio.db_route': ratio('db_traced', 'db_untraced'),
      'server.throughput_ratio.db_route_sampled_10': ratio('db_traced_10', 'db_untraced'),
      'server.throughput_ratio.context_only': ratio('context_only', 'untraced'),
      'server.throughput_ratio.sdk_floor': ratio('sdk_floor', 'untraced'),
      'server.throughput_ratio.db_context_only': ratio('db_context_only', 'db_untraced'),
      'server.throughput_ratio.sdk_floor_noexport': ratio('sdk_floor_noexport', 'untraced'),
      'server.throughput_ratio.sampled_100_noexport': ratio('sampled_100_noexport', 'untraced'),
      'server.throughput_ratio.otel_http_noexport': ratio('otel_http_noexport', 'untraced'),
      'server.cpu_ratio.sampled_100': cpuRatio('sampled_100', 'untraced'),
      'server.cpu_ratio.sampled_10': cpuRatio('sampled_10', 'untraced'),
      'server.cpu_ratio.otel_http': cpuRatio('otel_http', 'untraced'),
      'server.cpu_ratio.db_route': cpuRatio('db_traced', 'db_untraced'),
      'server.untraced_req_per_s': Math.round(rps('untraced')),
      'server.export_dropped_spans': dropped,
    };
  } finally {
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}
