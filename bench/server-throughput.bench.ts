/**
 * server.throughput_ratio.*: throughput of a traced server over the same server untraced, each in
 * its own process, with autocannon as the load generator in a third process (50 connections).
 *
 * Throughput is counted as requests served per CPU-second of the server process (its capacity on
 * a dedicated core), not raw requests per second: on a shared 2-core machine the load generator
 * and other jobs take a varying share of the CPU, and raw req/s swung 4x between identical runs.
 * Raw req/s is printed alongside. Modes run in two interleaved rounds and each keeps its better
 * round.
 * - sampled_100 / sampled_10: flowtrace middleware at 100 % / 10 % sampling, trivial route
 * - otel_http: OpenTelemetry's instrumentation-http on the same route (the anchor)
 * - db_route: flowtrace middleware + DB spans on a route inserting a row into PGlite
 * - context_only: no spans, only AsyncLocalStorage context around the handler: the floor any
 *   context propagation pays on Node 20 (its promise hooks), which the traced modes include
 * Traced servers export over OTLP/HTTP to a sink in this process that drains and answers 200.
 */
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const PORT = 4630;
const SINK_PORT = 4631;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ALL_MODES = ['untraced', 'context_only', 'sampled_100', 'sampled_10', 'otel_http', 'db_untraced', 'db_traced'] as const;
type Mode = (typeof ALL_MODES)[number];
// BENCH_SERVER_MODES=untraced,sampled_100 runs a subset while optimising (ratios need their base).
const MODES = process.env.BENCH_SERVER_MODES ? (process.env.BENCH_SERVER_MODES.split(',') as Mode[]) : ALL_MODES;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

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

interface CpuSample {
  cpuMicros: number;
  served: number;
}

function sample(child: ReturnType<typeof fork>): Promise<CpuSample> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as CpuSample));
    child.send('sample');
  });
}

/** Requests per server CPU-second, and raw requests per second. */
async function measure(mode: Mode, sinkUrl: string): Promise<{ perCpuSecond: number; rps: number }> {
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
    return { perCpuSecond: (after.served - before.served) / ((after.cpuMicros - before.cpuMicros) / 1e6), rps };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export default async function serverThroughput(): Promise<Record<string, number>> {
  let exportedBatches = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      exportedBatches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(SINK_PORT, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`;
  try {
    const best = new Map<Mode, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const { perCpuSecond, rps } = await measure(mode, sinkUrl);
        console.log(`  round ${round + 1} ${mode.padEnd(12)} ${Math.round(perCpuSecond)} req/CPU-s  (${Math.round(rps)} req/s)`);
        best.set(mode, Math.max(best.get(mode) ?? 0, perCpuSecond));
      }
    }
    if (exportedBatches === 0 && MODES.some((mode) => mode.includes('sampled') || mode === 'db_traced')) throw new Error('no traced server exported anything to the sink');
    const ratio = (mode: Mode, base: Mode) => Math.round((best.get(mode)! / best.get(base)!) * 1000) / 1000;
    if (MODES !== ALL_MODES) return Object.fromEntries(MODES.map((mode) => [`server.subset.${mode}`, ratio(mode, MODES[0]!)]));
    return {
      'server.throughput_ratio.sampled_100': ratio('sampled_100', 'untraced'),
      'server.throughput_ratio.sampled_10': ratio('sampled_10', 'untraced'),
      'server.throughput_ratio.otel_http': ratio('otel_http', 'untraced'),
      'server.throughput_ratio.db_route': ratio('db_traced', 'db_untraced'),
      'server.throughput_ratio.context_only': ratio('context_only', 'untraced'),
      'server.untraced_req_per_cpu_s': Math.round(best.get('untraced')!),
    };
  } finally {
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}
